/**
 * The routes of the pod network: every route a backend adds carries the routing protocol number
 * ROUTE_PROTOCOL (`ip route … proto 88`), so the backend finds its own routes in the kernel again
 * after a restart, removes those of nodes gone and `k8ts killall` removes them all, without
 * touching a route anyone else made.
 *
 *   syncRoutes(run, desired): Promise<void>
 *   flushRoutes(run): Promise<void>
 */
import type { NetworkCommandRunner } from './interface.js';

/** The routing protocol number k8ts' pod network routes carry (unassigned in /etc/iproute2/rt_protos). */
export const ROUTE_PROTOCOL = '88';

/** One route to a remote node's podCIDR. */
export interface PodRoute {
  /** The remote podCIDR. */
  dst: string;
  /** The next hop: the remote node's address (host-gw) or VTEP gateway (vxlan). */
  via: string;
  /** The device (vxlan: the VXLAN device); host-gw lets the kernel pick the one the node is on. */
  dev?: string;
  /** The next hop is on the device even though no address of it covers it (vxlan). */
  onlink?: boolean;
}

interface KernelRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  flags?: string[];
}

const sameRoute = (want: PodRoute, got: KernelRoute): boolean =>
  got.gateway === want.via &&
  (want.dev === undefined || got.dev === want.dev) &&
  (got.flags ?? []).includes('onlink') === (want.onlink ?? false);

/** The routes with ROUTE_PROTOCOL in the main table. */
export async function podRoutes(run: NetworkCommandRunner): Promise<KernelRoute[]> {
  return JSON.parse((await run('ip', ['-j', 'route', 'show', 'proto', ROUTE_PROTOCOL])) || '[]') as KernelRoute[];
}

/** Adds or replaces `desired` and deletes every other route of ROUTE_PROTOCOL. */
export async function syncRoutes(run: NetworkCommandRunner, desired: readonly PodRoute[]): Promise<void> {
  const existing = await podRoutes(run);
  const wanted = new Map(desired.map((r) => [r.dst, r]));
  for (const route of existing) {
    if (!wanted.has(route.dst)) await run('ip', ['route', 'del', route.dst, 'proto', ROUTE_PROTOCOL]);
  }
  for (const route of desired) {
    const got = existing.find((r) => r.dst === route.dst);
    if (got && sameRoute(route, got)) continue;
    await run('ip', [
      ...['route', 'replace', route.dst, 'via', route.via],
      ...(route.dev ? ['dev', route.dev] : []),
      ...(route.onlink ? ['onlink'] : []),
      ...['proto', ROUTE_PROTOCOL],
    ]);
  }
}

/** Deletes every route of ROUTE_PROTOCOL; returns how many there were. */
export async function flushRoutes(run: NetworkCommandRunner): Promise<number> {
  const n = (await podRoutes(run)).length;
  if (n > 0) await run('ip', ['route', 'flush', 'proto', ROUTE_PROTOCOL]);
  return n;
}
