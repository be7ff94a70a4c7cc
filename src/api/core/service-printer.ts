/** The services Table (printService in pkg/printers/internalversion/printers.go). */
import type { TablePrinter } from '../resource.js';
import { arr, asObj, num, objs, part, str, strMap, type Obj } from './access.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, describe, formatLabels } from './printer-columns.js';

/** loadBalancerStatusStringer (wide): distinct ingress IPs or hostnames joined by ','. */
function loadBalancerIngress(status: Obj): string {
  const seen: string[] = [];
  for (const ing of objs(asObj(status['loadBalancer'])?.['ingress'])) {
    const v = str(ing['ip']) || str(ing['hostname']);
    if (v && !seen.includes(v)) seen.push(v);
  }
  return seen.join(',');
}

/** getServiceExternalIP. */
export function serviceExternalIP(spec: Obj, status: Obj): string {
  const externalIPs = arr(spec['externalIPs']).map(str);
  switch (str(spec['type'])) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(status);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec['externalName']);
    default:
      return '<unknown>';
  }
}

/** makePortString: `port[:nodePort]/protocol` joined by ','. */
export function servicePorts(spec: Obj): string {
  return objs(spec['ports'])
    .map((p) => {
      const nodePort = num(p['nodePort']) ?? 0;
      const port = num(p['port']) ?? 0;
      return nodePort > 0 ? `${port}:${nodePort}/${str(p['protocol'])}` : `${port}/${str(p['protocol'])}`;
    })
    .join(',');
}

export const servicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', describe('ServiceSpec', 'type')),
    column('Cluster-IP', 'string', describe('ServiceSpec', 'clusterIP')),
    column('External-IP', 'string', describe('ServiceSpec', 'externalIPs')),
    column('Port(s)', 'string', describe('ServiceSpec', 'ports')),
    AGE_COLUMN,
    column('Selector', 'string', describe('ServiceSpec', 'selector'), 1),
  ],
  row(svc, now) {
    const spec = part(svc, 'spec');
    const clusterIPs = arr(spec['clusterIPs']).map(str);
    const internalIP = clusterIPs[0] || str(spec['clusterIP']) || '<none>';
    return [
      svc.metadata.name ?? '',
      str(spec['type']),
      internalIP,
      serviceExternalIP(spec, part(svc, 'status')),
      servicePorts(spec) || '<none>',
      age(svc.metadata.creationTimestamp, now),
      formatLabels(strMap(spec['selector'])),
    ];
  },
};
