/**
 * Which endpoints a service port's traffic may go to (upstream's CategorizeEndpoints): ready
 * endpoints, or — when none is ready — the serving ones that are terminating, so connections
 * drain rather than fail. Cluster traffic policy uses every such endpoint, Local policy (internal
 * or external) only this node's.
 */
import type { Endpoint, ServicePort } from './interface.js';

export interface CategorizedEndpoints {
  /** For the cluster policy (empty when the service port never uses it). */
  cluster: readonly Endpoint[];
  /** This node's, for the local policy (empty when the service port never uses it). */
  local: readonly Endpoint[];
  /** Every endpoint some traffic may reach: the union of the two. */
  allReachable: readonly Endpoint[];
}

const usable = (eps: readonly Endpoint[], local: boolean): Endpoint[] => {
  const mine = local ? eps.filter((e) => e.isLocal) : eps;
  const ready = mine.filter((e) => e.ready);
  return ready.length > 0 ? ready : mine.filter((e) => e.serving && e.terminating);
};

/** Whether traffic from outside the cluster may reach the service port (NodePort, external or load balancer IPs). */
export function externallyAccessible(port: ServicePort): boolean {
  return port.nodePort !== undefined || port.externalIPs.length > 0 || port.loadBalancerIPs.length > 0;
}

/** Whether some traffic follows the cluster policy (even with both policies Local, pods' traffic to external addresses does). */
export function usesClusterEndpoints(port: ServicePort): boolean {
  return !port.internalPolicyLocal || externallyAccessible(port);
}

export function usesLocalEndpoints(port: ServicePort): boolean {
  return port.internalPolicyLocal || (port.externalPolicyLocal && externallyAccessible(port));
}

export function categorizeEndpoints(port: ServicePort, endpoints: readonly Endpoint[]): CategorizedEndpoints {
  const cluster = usesClusterEndpoints(port) ? usable(endpoints, false) : [];
  const local = usesLocalEndpoints(port) ? usable(endpoints, true) : [];
  if (local.length === 0) return { cluster, local, allReachable: cluster };
  if (cluster.length === 0) return { cluster, local, allReachable: local };
  const all = new Set([...cluster, ...local]);
  return { cluster, local, allReachable: endpoints.filter((e) => all.has(e)) };
}
