/**
 * What one service port puts in the kube-proxy table, as upstream's nftables syncProxyRules
 * builds it: elements of the dispatch maps (service-ips, service-nodeports: goto the service
 * port's chain), of the no-endpoint maps (goto reject-chain when it has no endpoint at all, drop
 * when only the Local policy finds none), of firewall-ips (goto its firewall chain when
 * loadBalancerSourceRanges apply) and of the cluster-ips set; its own chains — the cluster and
 * local policy chains choosing an endpoint with `numgen random` (after the affinity checks), the
 * external chain, the firewall chain — and one chain per endpoint (hairpin masquerade, affinity
 * update, DNAT); and, with sessionAffinity ClientIP, a timeout set per endpoint.
 *
 *   servicePortObjects(port, endpoints, ctx): ServicePortObjects
 */
import { cidrContains, parseCidr } from '../../apiserver/allocators/cidr.js';
import { categorizeEndpoints, externallyAccessible } from '../categorize-endpoints.js';
import type { Endpoint, ServicePort } from '../interface.js';
import { type Container, endpointNames, MARK_MASQ_CHAIN, REJECT_CHAIN, servicePortChains } from './names.js';

/** One element of a set (no value) or verdict map. */
export interface Element {
  container: Container;
  /** As nft writes it: `10.96.0.10 . tcp . 80`. */
  key: string;
  /** The verdict (maps only): `goto service-…`, `drop`. */
  value?: string;
  comment?: string;
}

export interface ServicePortObjects {
  /** Each chain of the service port and its endpoints, with its rules. */
  chains: Map<string, string[]>;
  elements: Element[];
  /** Affinity sets by name: their timeout in seconds. */
  affinitySets: Map<string, number>;
}

export interface ObjectsContext {
  /** The pod network: traffic from outside it to a cluster IP is masqueraded; pods' traffic to external destinations short-circuits. */
  clusterCIDR?: string;
  /** The node's addresses: a source range holding one lets the node reach the load balancer IPs. */
  nodeIPs?: readonly string[];
}

export function servicePortObjects(port: ServicePort, endpoints: readonly Endpoint[], ctx: ObjectsContext): ServicePortObjects {
  const out: ServicePortObjects = { chains: new Map(), elements: [], affinitySets: new Map() };
  const proto = port.protocol.toLowerCase();
  const name = port.key;
  const chains = servicePortChains(port);
  const epNames = (ep: Endpoint) => endpointNames(port, ep.ip, ep.port);
  const { cluster, local, allReachable } = categorizeEndpoints(port, endpoints);
  // any usable endpoint anywhere, even one the traffic policies leave out (upstream's hasAnyEndpoints)
  const hasEndpoints = allReachable.length > 0 || endpoints.some((e) => e.ready || (e.serving && e.terminating));
  const usesClusterChain = cluster.length > 0;
  const usesLocalChain = local.length > 0;
  const internalChain = port.internalPolicyLocal ? chains.local : chains.cluster;
  const hasInternalEndpoints = port.internalPolicyLocal ? usesLocalChain : hasEndpoints;
  const externalPolicyChain = port.externalPolicyLocal ? chains.local : chains.cluster;
  const hasExternalEndpoints = port.externalPolicyLocal ? usesLocalChain : hasEndpoints;
  const usesExternalChain = hasEndpoints && externallyAccessible(port);
  const sourceRanges = port.loadBalancerSourceRanges ?? [];
  const usesFirewallChain = port.loadBalancerIPs.length > 0 && sourceRanges.length > 0;
  // traffic with nowhere to go: rejected without any endpoint, dropped when only the Local policy finds none
  const noEndpoint = hasEndpoints ? 'drop' : `goto ${REJECT_CHAIN}`;
  const element = (container: Container, key: string, value?: string, comment?: string): void => {
    if (out.elements.some((e) => e.container === container && e.key === key)) return;
    out.elements.push({ container, key, ...(value !== undefined ? { value } : {}), ...(comment !== undefined ? { comment } : {}) });
  };
  const ipKey = (ip: string) => `${ip} . ${proto} . ${port.port}`;

  for (const ip of port.clusterIPs) {
    element('cluster-ips', ip);
    if (hasInternalEndpoints) element('service-ips', ipKey(ip), `goto ${internalChain}`);
    else element('no-endpoint-services', ipKey(ip), noEndpoint, name);
  }
  for (const ip of port.externalIPs) {
    if (hasEndpoints) element('service-ips', ipKey(ip), `goto ${chains.external}`);
    if (!hasExternalEndpoints) element('no-endpoint-services', ipKey(ip), noEndpoint, name);
  }
  for (const ip of port.loadBalancerIPs) {
    if (hasEndpoints) element('service-ips', ipKey(ip), `goto ${chains.external}`);
    if (usesFirewallChain) element('firewall-ips', ipKey(ip), `goto ${chains.firewall}`);
    if (!hasExternalEndpoints) element('no-endpoint-services', ipKey(ip), noEndpoint, name);
  }
  if (port.nodePort !== undefined) {
    const key = `${proto} . ${port.nodePort}`;
    // nodeports are not subject to loadBalancerSourceRanges (upstream: "for better or for worse")
    if (hasEndpoints) element('service-nodeports', key, `goto ${chains.external}`);
    if (!hasExternalEndpoints) element('no-endpoint-nodeports', key, noEndpoint, name);
  }

  const chain = (chainName: string): string[] => {
    const rules: string[] = [];
    out.chains.set(chainName, rules);
    return rules;
  };
  // off-cluster traffic to a cluster IP (a route to the service CIDR via this node) may bounce off-node: masquerade it
  const masqueradeOffCluster = (rules: string[]): void => {
    if (!ctx.clusterCIDR) return;
    for (const ip of port.clusterIPs) {
      rules.push(`ip daddr ${ip} ${proto} dport ${port.port} ip saddr != ${ctx.clusterCIDR} jump ${MARK_MASQ_CHAIN}`);
    }
  };
  if (usesFirewallChain) {
    const sources = [...sourceRanges];
    const ranges = sourceRanges.map(parseCidr);
    // a load balancer IP held by the node loops its own requests back with the IP as source
    if ((ctx.nodeIPs ?? []).some((ip) => ranges.some((r) => cidrContains(r, ip)))) sources.push(...port.loadBalancerIPs);
    chain(chains.firewall).push(`ip saddr != { ${sources.join(', ')} } drop`);
  }
  if (usesClusterChain) {
    const rules = chain(chains.cluster);
    if (!port.internalPolicyLocal) masqueradeOffCluster(rules);
    serviceToEndpointRules(rules, port, cluster, epNames);
  }
  if (usesLocalChain) {
    const rules = chain(chains.local);
    if (port.internalPolicyLocal) masqueradeOffCluster(rules);
    serviceToEndpointRules(rules, port, local, epNames);
  }
  if (usesExternalChain) {
    const rules = chain(chains.external);
    if (!port.externalPolicyLocal) {
      // endpoints on other nodes: masquerade, so replies come back through this node
      rules.push(`jump ${MARK_MASQ_CHAIN}`);
    } else {
      if (ctx.clusterCIDR) rules.push(`ip saddr ${ctx.clusterCIDR} goto ${chains.cluster} comment "short-circuit pod traffic"`);
      rules.push(
        `fib saddr type local jump ${MARK_MASQ_CHAIN} comment "masquerade local traffic"`,
        `fib saddr type local goto ${chains.cluster} comment "short-circuit local traffic"`,
      );
    }
    if (hasExternalEndpoints) rules.push(`goto ${externalPolicyChain}`);
  }
  for (const ep of allReachable) {
    const { chain: epChain, affinitySet } = epNames(ep);
    const rules = chain(epChain);
    rules.push(`ip saddr ${ep.ip} jump ${MARK_MASQ_CHAIN}`);
    if (port.stickySeconds !== undefined) {
      out.affinitySets.set(affinitySet, port.stickySeconds);
      rules.push(`update @${affinitySet} { ip saddr }`);
    }
    rules.push(`meta l4proto ${proto} dnat to ${ep.ip}:${ep.port}`);
  }
  return out;
}

/** The affinity checks, then one random choice among `endpoints`. */
function serviceToEndpointRules(
  rules: string[],
  port: ServicePort,
  endpoints: readonly Endpoint[],
  epNames: (ep: Endpoint) => { chain: string; affinitySet: string },
): void {
  if (port.stickySeconds !== undefined) {
    for (const ep of endpoints) {
      const { chain, affinitySet } = epNames(ep);
      rules.push(`ip saddr @${affinitySet} goto ${chain}`);
    }
  }
  const choices = endpoints.map((ep, i) => `${i} : goto ${epNames(ep).chain}`);
  rules.push(`numgen random mod ${endpoints.length} vmap { ${choices.join(', ')} }`);
}
