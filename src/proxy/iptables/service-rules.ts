/**
 * The iptables rules of one service port, as upstream kube-proxy's syncProxyRules writes them
 * (iptables-restore lines). Entry rules go into the shared chains — nat KUBE-SERVICES (cluster,
 * external and load balancer IPs), nat KUBE-NODEPORTS, and the filter REJECT/DROP rules of
 * KUBE-SERVICES and KUBE-EXTERNAL-SERVICES when the traffic has no endpoint to go to, the filter
 * KUBE-PROXY-FIREWALL DROP of load balancer traffic from outside loadBalancerSourceRanges — and are
 * written on every sync. The service port's own chains (KUBE-SVC, KUBE-SVL, KUBE-EXT, KUBE-FW, KUBE-SEP)
 * are written only when it changed (`withChains`); their names are always given, so a sync knows
 * which chains are still in use.
 */
import type { Endpoint, ServicePort } from '../interface.js';
import { categorizeEndpoints, externallyAccessible } from '../categorize-endpoints.js';
import { cidrContains, parseCidr } from '../../apiserver/allocators/cidr.js';
import {
  type ChainNames,
  KUBE_EXTERNAL_SERVICES,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from './chain-names.js';

export interface ServicePortRules {
  natServices: string[];
  natNodePorts: string[];
  filterServices: string[];
  filterExternalServices: string[];
  filterNodePorts: string[];
  filterFirewall: string[];
  /** The nat chains the service port uses, each with its rules (empty without `withChains`). */
  chains: Map<string, string[]>;
}

export interface RulesContext {
  names: ChainNames;
  /** The pod network: traffic from outside it to a cluster IP is masqueraded, pods' traffic to external addresses short-circuits. */
  clusterCIDR?: string;
  /** The node's addresses: a source range holding one lets the node reach the load balancer IPs. */
  nodeIPs?: readonly string[];
}

/** upstream's probability(n): 1/n with ten decimals. */
export const probability = (n: number): string => (1 / n).toFixed(10);

export function servicePortRules(
  port: ServicePort,
  endpoints: readonly Endpoint[],
  ctx: RulesContext,
  withChains: boolean,
): ServicePortRules {
  const out: ServicePortRules = {
    natServices: [],
    natNodePorts: [],
    filterServices: [],
    filterExternalServices: [],
    filterNodePorts: [],
    filterFirewall: [],
    chains: new Map(),
  };
  const name = port.key;
  const proto = port.protocol.toLowerCase();
  const match = `-m ${proto} -p ${proto}`;
  const chains = ctx.names.servicePort(name, port.protocol);
  const { cluster, local, allReachable } = categorizeEndpoints(port, endpoints);
  const hasEndpoints = allReachable.length > 0;
  const usesClusterChain = cluster.length > 0;
  const usesLocalChain = local.length > 0;
  const internalChain = port.internalPolicyLocal ? chains.local : chains.cluster;
  const hasInternalEndpoints = port.internalPolicyLocal ? usesLocalChain : hasEndpoints;
  const externalPolicyChain = port.externalPolicyLocal ? chains.local : chains.cluster;
  const hasExternalEndpoints = port.externalPolicyLocal ? usesLocalChain : hasEndpoints;
  const usesExternalChain = hasEndpoints && externallyAccessible(port);
  const sourceRanges = port.loadBalancerSourceRanges ?? [];
  const usesFirewallChain = hasEndpoints && port.loadBalancerIPs.length > 0 && sourceRanges.length > 0;
  // traffic with nowhere to go: REJECTed without any endpoint, DROPped when only the local policy finds none
  const [filterTarget, filterComment] = hasEndpoints ? ['DROP', 'has no local endpoints'] : ['REJECT', 'has no endpoints'];

  for (const ip of port.clusterIPs) {
    if (hasInternalEndpoints) {
      out.natServices.push(
        `-A ${KUBE_SERVICES} -m comment --comment "${name} cluster IP" ${match} -d ${ip} --dport ${port.port} -j ${internalChain}`,
      );
    } else {
      out.filterServices.push(
        `-A ${KUBE_SERVICES} -m comment --comment "${name} ${filterComment}" ${match} -d ${ip} --dport ${port.port} -j ${filterTarget}`,
      );
    }
  }
  const external = [
    ...port.externalIPs.map((ip) => [ip, 'external IP', chains.external]),
    ...port.loadBalancerIPs.map((ip) => [ip, 'loadbalancer IP', usesFirewallChain ? chains.firewall : chains.external]),
  ];
  for (const [ip, what, target] of external) {
    if (hasExternalEndpoints) {
      out.natServices.push(
        `-A ${KUBE_SERVICES} -m comment --comment "${name} ${what}" ${match} -d ${ip} --dport ${port.port} -j ${target}`,
      );
    } else {
      out.filterExternalServices.push(
        `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment "${name} ${filterComment}" ${match} -d ${ip} --dport ${port.port} -j ${filterTarget}`,
      );
    }
  }
  if (port.nodePort !== undefined) {
    if (hasExternalEndpoints) {
      out.natNodePorts.push(`-A ${KUBE_NODEPORTS} -m comment --comment ${name} ${match} --dport ${port.nodePort} -j ${chains.external}`);
    } else {
      out.filterExternalServices.push(
        `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment "${name} ${filterComment}" -m addrtype --dst-type LOCAL ${match} --dport ${port.nodePort} -j ${filterTarget}`,
      );
    }
  }
  if (usesFirewallChain) {
    for (const ip of port.loadBalancerIPs) {
      out.filterFirewall.push(
        `-A ${KUBE_PROXY_FIREWALL} -m comment --comment "${name} traffic not accepted by ${chains.firewall}" ${match} -d ${ip} --dport ${port.port} -j DROP`,
      );
    }
  }
  if (port.healthCheckNodePort !== undefined) {
    out.filterNodePorts.push(
      `-A ${KUBE_NODEPORTS} -m comment --comment "${name} health check node port" -m tcp -p tcp --dport ${port.healthCheckNodePort} -j ACCEPT`,
    );
  }

  const epChain = (ep: Endpoint): string => ctx.names.endpoint(name, port.protocol, `${ep.ip}:${ep.port}`);
  const chain = (chainName: string): string[] => {
    const rules: string[] = [];
    out.chains.set(chainName, rules);
    return rules;
  };
  if (usesClusterChain) {
    const rules = chain(chains.cluster);
    if (withChains) {
      if (ctx.clusterCIDR) {
        for (const ip of port.clusterIPs) {
          rules.push(
            `-A ${chains.cluster} -m comment --comment "${name} cluster IP" ${match} -d ${ip} --dport ${port.port} ! -s ${ctx.clusterCIDR} -j ${KUBE_MARK_MASQ}`,
          );
        }
      }
      writeServiceToEndpointRules(rules, chains.cluster, port, cluster, epChain);
    }
  }
  if (usesLocalChain) {
    const rules = chain(chains.local);
    if (withChains) writeServiceToEndpointRules(rules, chains.local, port, local, epChain);
  }
  if (usesExternalChain) {
    const rules = chain(chains.external);
    const ext = chains.external;
    if (withChains) {
      if (!port.externalPolicyLocal) {
        rules.push(`-A ${ext} -m comment --comment "masquerade traffic for ${name} external destinations" -j ${KUBE_MARK_MASQ}`);
      } else {
        if (ctx.clusterCIDR) {
          rules.push(
            `-A ${ext} -m comment --comment "pod traffic for ${name} external destinations" -s ${ctx.clusterCIDR} -j ${chains.cluster}`,
          );
        }
        rules.push(
          `-A ${ext} -m comment --comment "masquerade LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${KUBE_MARK_MASQ}`,
          `-A ${ext} -m comment --comment "route LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${chains.cluster}`,
        );
      }
      if (hasExternalEndpoints) rules.push(`-A ${ext} -j ${externalPolicyChain}`);
    }
  }
  if (usesFirewallChain) {
    const rules = chain(chains.firewall);
    if (withChains) {
      // only the source ranges go on to the external chain (DNAT); the rest is dropped by KUBE-PROXY-FIREWALL
      const allow = `-A ${chains.firewall} -m comment --comment "${name} loadbalancer IP"`;
      for (const range of sourceRanges) rules.push(`${allow} -s ${range} -j ${chains.external}`);
      const ranges = sourceRanges.map(parseCidr);
      if ((ctx.nodeIPs ?? []).some((ip) => ranges.some((r) => cidrContains(r, ip)))) {
        for (const ip of port.loadBalancerIPs) rules.push(`${allow} -s ${ip} -j ${chains.external}`);
      }
      rules.push(`-A ${chains.firewall} -m comment --comment "other traffic to ${name} will be dropped by ${KUBE_PROXY_FIREWALL}"`);
    }
  }
  for (const ep of allReachable) {
    const sep = epChain(ep);
    const rules = chain(sep);
    if (!withChains) continue;
    const affinity = port.stickySeconds !== undefined ? ` -m recent --name ${sep} --set` : '';
    rules.push(
      `-A ${sep} -m comment --comment ${name} -s ${ep.ip} -j ${KUBE_MARK_MASQ}`,
      `-A ${sep} -m comment --comment ${name}${affinity} ${match} -j DNAT --to-destination ${ep.ip}:${ep.port}`,
    );
  }
  return out;
}

/** Session affinity checks, then the random choice among `endpoints` (each rule 1/remaining). */
function writeServiceToEndpointRules(
  rules: string[],
  chain: string,
  port: ServicePort,
  endpoints: readonly Endpoint[],
  epChain: (ep: Endpoint) => string,
): void {
  if (port.stickySeconds !== undefined) {
    for (const ep of endpoints) {
      const sep = epChain(ep);
      rules.push(
        `-A ${chain} -m comment --comment "${port.key} -> ${ep.ip}:${ep.port}" -m recent --name ${sep} --rcheck --seconds ${port.stickySeconds} --reap -j ${sep}`,
      );
    }
  }
  endpoints.forEach((ep, i) => {
    const random = i < endpoints.length - 1 ? ` -m statistic --mode random --probability ${probability(endpoints.length - i)}` : '';
    rules.push(`-A ${chain} -m comment --comment "${port.key} -> ${ep.ip}:${ep.port}"${random} -j ${epChain(ep)}`);
  });
}
