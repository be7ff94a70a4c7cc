/**
 * The service environment variables of a pod (kubelet_pods.go getServiceEnvVarMap,
 * pkg/kubelet/envvars FromServices): for each Service with a cluster IP, `NAME_SERVICE_HOST`,
 * `NAME_SERVICE_PORT` (and `NAME_SERVICE_PORT_<PORTNAME>` per named port) and the docker-links
 * variables `NAME_PORT`, `NAME_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}`. The Services are
 * those of the pod's namespace (unless enableServiceLinks is false) plus the `kubernetes`
 * master service of `default`, which every pod sees.
 */
import { asObj, objs, str } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';

const MASTER_SERVICES = new Set(['kubernetes']);

/** upstream IsServiceIPSet: a cluster IP that is neither empty nor "None". */
function clusterIP(service: KubeObject): string {
  const ip = str(asObj(service['spec'])?.['clusterIP']);
  return ip === 'None' ? '' : ip;
}

function envName(name: string): string {
  return name.replaceAll('-', '_').toUpperCase();
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The variables of one Service, in upstream's order. */
export function serviceEnvVars(service: KubeObject): [string, string][] {
  const ip = clusterIP(service);
  const ports = objs(asObj(service['spec'])?.['ports']);
  const first = ports[0];
  if (!ip || !first) return [];
  const prefix = envName(service.metadata.name ?? '');
  const out: [string, string][] = [
    [`${prefix}_SERVICE_HOST`, ip],
    [`${prefix}_SERVICE_PORT`, String(first['port'])],
  ];
  for (const p of ports) if (str(p['name'])) out.push([`${prefix}_SERVICE_PORT_${envName(str(p['name']))}`, String(p['port'])]);
  ports.forEach((p, i) => {
    const protocol = (str(p['protocol']) || 'TCP').toLowerCase();
    const port = Number(p['port']);
    const url = `${protocol}://${hostPort(ip, port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${port}_${protocol.toUpperCase()}`;
    out.push([portPrefix, url], [`${portPrefix}_PROTO`, protocol], [`${portPrefix}_PORT`, String(port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/**
 * The service variables for a pod of `namespace`, from the Services of that namespace and of
 * `default` (the master service); by service name, so the master service of `default` yields to
 * a same-named Service of the pod's own namespace.
 */
export function serviceEnvironment(
  enableServiceLinks: boolean,
  own: readonly KubeObject[],
  defaults: readonly KubeObject[],
): Map<string, string> {
  const byName = new Map<string, KubeObject>();
  if (enableServiceLinks) for (const s of own) if (clusterIP(s)) byName.set(s.metadata.name ?? '', s);
  for (const s of defaults) {
    const name = s.metadata.name ?? '';
    if (MASTER_SERVICES.has(name) && clusterIP(s) && !byName.has(name)) byName.set(name, s);
  }
  const env = new Map<string, string>();
  for (const name of [...byName.keys()].sort()) for (const [k, v] of serviceEnvVars(byName.get(name) as KubeObject)) env.set(k, v);
  return env;
}
