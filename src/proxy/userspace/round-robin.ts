/**
 * The userspace proxier's load balancer (upstream's LoadBalancerRR, pkg/proxy/userspace
 * roundrobin.go): per service port, the endpoints a new connection may go to, taken in turn;
 * with sessionAffinity ClientIP a client keeps its endpoint while it returns within the
 * affinity timeout. Cluster IPs (internal traffic) and node ports, external and load balancer
 * IPs (external traffic) have a pool each, so the traffic policies' Local filters apply apart.
 */
import type { Endpoint, ServicePort } from '../interface.js';

/** Which addresses of a service port the traffic came to. */
export type TrafficScope = 'internal' | 'external';

/** Where a new connection or UDP session goes. */
export interface Destination {
  ip: string;
  port: number;
}

/**
 * The endpoints traffic may use: ready ones (local ones only with the Local policy); when none is
 * ready, the serving terminating ones (upstream's fallback for terminating endpoints).
 */
export function usableEndpoints(endpoints: readonly Endpoint[], localOnly: boolean): Endpoint[] {
  const candidates = localOnly ? endpoints.filter((e) => e.isLocal) : endpoints;
  const ready = candidates.filter((e) => e.ready && !e.terminating);
  return ready.length > 0 ? ready : candidates.filter((e) => e.serving && e.terminating);
}

interface Affinity {
  destination: Destination;
  lastUsedMs: number;
}

interface Pool {
  destinations: Destination[];
  /** The next destination's index. */
  index: number;
  affinity: Map<string, Affinity>;
}

interface BalancedService {
  stickyMs: number | undefined;
  pools: Record<TrafficScope, Pool>;
}

export interface RoundRobinBalancerOptions {
  /** Milliseconds clock for affinity timeouts (Date.now by default). */
  now?: () => number;
}

const same = (a: Destination, b: Destination): boolean => a.ip === b.ip && a.port === b.port;

export class RoundRobinBalancer {
  readonly #services = new Map<string, BalancedService>();
  readonly #now: () => number;

  constructor(options: RoundRobinBalancerOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Takes a service port's current endpoints; unchanged pools keep their turn and affinities. */
  update(sp: ServicePort, endpoints: readonly Endpoint[]): void {
    const stickyMs = sp.stickySeconds === undefined ? undefined : sp.stickySeconds * 1000;
    const existing = this.#services.get(sp.key);
    const service: BalancedService = existing ?? { stickyMs, pools: { internal: newPool(), external: newPool() } };
    if (service.stickyMs !== stickyMs) {
      service.stickyMs = stickyMs;
      service.pools.internal.affinity.clear();
      service.pools.external.affinity.clear();
    }
    updatePool(service.pools.internal, usableEndpoints(endpoints, sp.internalPolicyLocal));
    updatePool(service.pools.external, usableEndpoints(endpoints, sp.externalPolicyLocal));
    this.#services.set(sp.key, service);
  }

  remove(key: string): void {
    this.#services.delete(key);
  }

  /** Forgets every service port not in `keep` (a full sync's view of what exists). */
  retain(keep: ReadonlyMap<string, unknown>): void {
    for (const key of [...this.#services.keys()]) if (!keep.has(key)) this.#services.delete(key);
  }

  /** Whether traffic to the scope's addresses has somewhere to go. */
  hasEndpoints(key: string, scope: TrafficScope): boolean {
    return (this.#services.get(key)?.pools[scope].destinations.length ?? 0) > 0;
  }

  /** The destination of a new connection from `clientIP`; undefined when there is none. */
  next(key: string, scope: TrafficScope, clientIP: string): Destination | undefined {
    const service = this.#services.get(key);
    const pool = service?.pools[scope];
    if (!service || !pool || pool.destinations.length === 0) return undefined;
    const now = this.#now();
    if (service.stickyMs !== undefined) {
      const held = pool.affinity.get(clientIP);
      if (held && now - held.lastUsedMs < service.stickyMs) {
        held.lastUsedMs = now;
        return held.destination;
      }
    }
    const destination = pool.destinations[pool.index % pool.destinations.length] as Destination;
    pool.index = (pool.index + 1) % pool.destinations.length;
    if (service.stickyMs !== undefined) pool.affinity.set(clientIP, { destination, lastUsedMs: now });
    return destination;
  }
}

function newPool(): Pool {
  return { destinations: [], index: 0, affinity: new Map() };
}

function updatePool(pool: Pool, endpoints: readonly Endpoint[]): void {
  const destinations = endpoints
    .map((e) => ({ ip: e.ip, port: e.port }))
    .sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
  const unchanged =
    destinations.length === pool.destinations.length && destinations.every((d, i) => same(d, pool.destinations[i] as Destination));
  if (unchanged) return;
  pool.destinations = destinations;
  pool.index = 0;
  // a client whose endpoint is gone is balanced afresh
  for (const [client, held] of pool.affinity) {
    if (!destinations.some((d) => same(d, held.destination))) pool.affinity.delete(client);
  }
}
