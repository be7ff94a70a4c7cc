/** networking.k8s.io/v1 Ingress: validation, status and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, dig, objs, part, str, type Obj } from '../core/access.js';
import { invalid, newPath, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import {
  isDNS1035Label,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from '../../machinery/validation/formats.js';
import { isIPv4String, isIPv6String } from '../../machinery/validation/ip.js';
import { AGE_COLUMN, column, NAME_COLUMN, objectAge } from '../apps/printing.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

function validateBackend(backend: Obj, path: FieldPath): FieldError[] {
  const resource = asObj(backend['resource']);
  const service = asObj(backend['service']);
  if (resource && service) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (resource) {
    const errs: FieldError[] = [];
    const rp = path.child('resource');
    if (!str(resource['kind'])) errs.push(required(rp.child('kind'), ''));
    if (!str(resource['name'])) errs.push(required(rp.child('name'), ''));
    return errs;
  }
  if (!service) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = str(service['name']);
  if (!name) errs.push(required(path.child('service', 'name'), ''));
  else for (const m of isDNS1035Label(name)) errs.push(invalid(path.child('service', 'name'), name, m));
  const port = asObj(service['port']) ?? {};
  const portName = str(port['name']);
  const portNumber = typeof port['number'] === 'number' ? port['number'] : 0;
  if (portName && portNumber) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const m of isValidPortName(portName)) errs.push(invalid(path.child('service', 'port', 'name'), portName, m));
  else if (portNumber)
    for (const m of isValidPortNum(portNumber)) errs.push(invalid(path.child('service', 'port', 'number'), portNumber, m));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

function validateHTTPPath(p: Obj, path: FieldPath): FieldError[] {
  const pathType = p['pathType'];
  if (pathType === undefined || pathType === null) return [required(path.child('pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = str(p['path']);
  const pp = path.child('path');
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalid(pp, value, 'must be an absolute path'));
    if (value.length > 0) {
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(invalid(pp, value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(invalid(pp, value, `cannot end with '${suffix}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value.length > 0 && !value.startsWith('/')) errs.push(invalid(pp, value, 'must be an absolute path'));
  } else {
    errs.push(notSupported(path.child('pathType'), pathType, PATH_TYPES));
  }
  errs.push(...validateBackend(asObj(p['backend']) ?? {}, path.child('backend')));
  return errs;
}

function validateHost(host: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (isIPv4String(host) || isIPv6String(host)) errs.push(invalid(path, host, 'must be a DNS name, not an IP address'));
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  for (const m of msgs) errs.push(invalid(path, host, m));
  return errs;
}

/** ValidateIngressSpec. */
export function validateIngress(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const p = newPath('spec');
  const errs: FieldError[] = [];
  const rules = objs(s['rules']);
  const defaultBackend = asObj(s['defaultBackend']);
  if (rules.length === 0 && !defaultBackend)
    errs.push(invalid(p, s['rules'] ?? null, 'either `defaultBackend` or `rules` must be specified'));
  if (defaultBackend) errs.push(...validateBackend(defaultBackend, p.child('defaultBackend')));
  rules.forEach((rule, i) => {
    const rp = p.child('rules').index(i);
    const host = str(rule['host']);
    if (host) errs.push(...validateHost(host, rp.child('host')));
    const http = asObj(rule['http']);
    if (!http) return;
    const paths = objs(http['paths']);
    if (paths.length === 0) errs.push(required(rp.child('http', 'paths'), ''));
    paths.forEach((hp, j) => errs.push(...validateHTTPPath(hp, rp.child('http', 'paths').index(j))));
  });
  objs(s['tls']).forEach((tls, i) => {
    (Array.isArray(tls['hosts']) ? tls['hosts'] : []).forEach((h, j) => {
      const host = str(h);
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(invalid(p.child('tls').index(i).child('hosts').index(j), host, m));
    });
    const secret = str(tls['secretName']);
    if (secret) for (const m of isDNS1123Subdomain(secret)) errs.push(invalid(p.child('tls').index(i).child('secretName'), secret, m));
  });
  const className = str(s['ingressClassName']);
  if (className) for (const m of isDNS1123Subdomain(className)) errs.push(invalid(p.child('ingressClassName'), className, m));
  return errs;
}

export const ingressStrategy: ResourceStrategy = {
  prepareForCreate(obj) {
    obj['status'] = { loadBalancer: {} };
  },
  validate: validateIngress,
  validateUpdate: (obj) => validateIngress(obj),
};

/** formatHosts: up to four hosts, "*" when none. */
function formatHosts(rules: Obj[]): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === 4) more = true;
    const host = str(rule['host']);
    if (!more && host) list.push(host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - 4} more...` : list.join(',');
}

/** ingressLoadBalancerStatusStringer (wide): sorted unique IPs or hostnames. */
function formatAddress(obj: KubeObject): string {
  const set = new Set<string>();
  for (const ing of objs(dig(obj, 'status', 'loadBalancer', 'ingress'))) {
    const v = str(ing['ip']) || str(ing['hostname']);
    if (v) set.add(v);
  }
  return [...set].sort().join(',');
}

export const ingressPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const className = typeof s['ingressClassName'] === 'string' ? s['ingressClassName'] : '<none>';
    const ports = objs(s['tls']).length > 0 ? '80, 443' : '80';
    return [obj.metadata.name ?? '', className, formatHosts(objs(s['rules'])), formatAddress(obj), ports, objectAge(obj, now)];
  },
};
