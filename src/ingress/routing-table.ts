/**
 * The routing table: the host and path rules of every served Ingress merged into one lookup, as
 * the Ingress spec defines matching. A host is exact (`foo.bar.com`) or a wildcard (`*.bar.com`,
 * matching exactly one more DNS label); exact hosts win over wildcards, and rules without a host
 * catch whatever no host rule claims. Within a host the longest matching path wins, Exact before
 * Prefix at equal length; Prefix matches element-wise on `/` (`/foo` matches `/foo` and `/foo/bar`,
 * not `/foobar`; a trailing slash is ignored); ImplementationSpecific is treated as Prefix. When
 * no path matches, the host's Ingress' defaultBackend answers, else the oldest Ingress'
 * defaultBackend, else the 404 default backend. Where Ingresses claim the same host and path, the
 * oldest (creationTimestamp, then namespace/name) wins, as ingress-nginx merges them. A TLS entry
 * without hosts covers the hosts of its Ingress' rules.
 *
 *   buildRoutingTable(ingresses: KubeObject[]): RoutingTable
 */
import type { KubeObject } from '../machinery/object.js';
import type { RouteResult, Router, ServiceBackend, TLSEntry } from './interface.js';

type Obj = Record<string, unknown>;

interface PathRoute {
  /** Exact: the path as written; Prefix: without its trailing slash ('' for `/`). */
  path: string;
  exact: boolean;
  backend: ServiceBackend;
  ingress: string;
}

interface HostRoutes {
  paths: PathRoute[];
  defaultBackend?: { backend: ServiceBackend; ingress: string };
}

const NOT_FOUND: RouteResult = { backend: undefined, ingress: undefined };

/** Host and path rules of Ingresses, and their TLS entries. */
export class RoutingTable implements Router {
  readonly #exact = new Map<string, HostRoutes>();
  /** `*.bar.com` under `bar.com`. */
  readonly #wildcard = new Map<string, HostRoutes>();
  readonly #anyHost: HostRoutes = { paths: [] };
  #defaultBackend: RouteResult = NOT_FOUND;
  readonly tls: TLSEntry[] = [];

  /** Adds one Ingress; add the oldest first (earlier claims win). */
  add(ingress: KubeObject): void {
    const namespace = ingress.metadata.namespace ?? 'default';
    const key = `${namespace}/${ingress.metadata.name ?? ''}`;
    const spec = (ingress['spec'] ?? {}) as Obj;
    const defaultBackend = serviceBackend(namespace, spec['defaultBackend']);
    if (defaultBackend && !this.#defaultBackend.backend) this.#defaultBackend = { backend: defaultBackend, ingress: key };
    for (const rule of (spec['rules'] ?? []) as Obj[]) {
      const host = typeof rule['host'] === 'string' ? rule['host'].toLowerCase() : '';
      const routes = this.#hostRoutes(host);
      if (defaultBackend && !routes.defaultBackend) routes.defaultBackend = { backend: defaultBackend, ingress: key };
      for (const p of (((rule['http'] ?? {}) as Obj)['paths'] ?? []) as Obj[]) {
        const backend = serviceBackend(namespace, p['backend']);
        if (!backend) continue;
        const exact = p['pathType'] === 'Exact';
        const written = typeof p['path'] === 'string' && p['path'] !== '' ? p['path'] : '/';
        const path = exact ? written : written.replace(/\/+$/, '');
        if (routes.paths.some((r) => r.exact === exact && r.path === path)) continue;
        routes.paths.push({ path, exact, backend, ingress: key });
      }
      routes.paths.sort((a, b) => b.path.length - a.path.length || Number(b.exact) - Number(a.exact));
    }
    for (const t of (spec['tls'] ?? []) as Obj[]) {
      if (typeof t['secretName'] !== 'string' || !t['secretName']) continue;
      const hosts = ((t['hosts'] ?? []) as unknown[]).filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase());
      // no hosts: the hosts this Ingress serves (the spec's "wildcard host setting" of the controller)
      this.tls.push({ namespace, secretName: t['secretName'], hosts: hosts.length > 0 ? hosts : ruleHosts(spec) });
    }
  }

  route(host: string, path: string): RouteResult {
    const name = hostName(host);
    const dot = name.indexOf('.');
    const routes = this.#exact.get(name) ?? (dot > 0 ? this.#wildcard.get(name.slice(dot + 1)) : undefined) ?? this.#anyHost;
    const q = path.indexOf('?');
    const p = q < 0 ? path : path.slice(0, q);
    for (const r of routes.paths) {
      if (r.exact ? p === r.path : r.path === '' || (p.startsWith(r.path) && (p.length === r.path.length || p[r.path.length] === '/'))) {
        return { backend: r.backend, ingress: r.ingress };
      }
    }
    return routes.defaultBackend ?? this.#defaultBackend;
  }

  #hostRoutes(host: string): HostRoutes {
    if (host === '') return this.#anyHost;
    const [map, key] = host.startsWith('*.') ? [this.#wildcard, host.slice(2)] : [this.#exact, host];
    let routes = map.get(key);
    if (!routes) map.set(key, (routes = { paths: [] }));
    return routes;
  }
}

/** The table of `ingresses`, oldest first. */
export function buildRoutingTable(ingresses: readonly KubeObject[]): RoutingTable {
  const table = new RoutingTable();
  for (const ing of [...ingresses].sort(olderFirst)) table.add(ing);
  return table;
}

/** Oldest first by creationTimestamp, then by namespace/name. */
export function olderFirst(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A Host header's name: lowercased, without the port, without a trailing dot. */
export function hostName(host: string): string {
  let h = host.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  if (colon >= 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

function ruleHosts(spec: Obj): string[] {
  const hosts = ((spec['rules'] ?? []) as Obj[]).map((r) => r['host']);
  return hosts.filter((h): h is string => typeof h === 'string' && h !== '').map((h) => h.toLowerCase());
}

function serviceBackend(namespace: string, value: unknown): ServiceBackend | undefined {
  const service = ((value ?? {}) as Obj)['service'] as Obj | undefined;
  if (!service || typeof service['name'] !== 'string') return undefined;
  const port = (service['port'] ?? {}) as Obj;
  const p = typeof port['number'] === 'number' && port['number'] > 0 ? port['number'] : port['name'];
  if (typeof p !== 'number' && (typeof p !== 'string' || p === '')) return undefined;
  return { namespace, service: service['name'], port: p };
}
