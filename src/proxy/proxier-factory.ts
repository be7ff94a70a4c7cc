/**
 * `--proxy-mode`: builds the proxier of a mode for this node. The one place that knows the modes
 * (iptables/, nftables/, userspace/), and where a mode that cannot run here falls back to another:
 * nftables to iptables (nft missing or not permitted), iptables to userspace.
 *
 *   createProxier(mode: ProxyMode, options: ProxierOptions): Promise<Proxier>
 */
import type { Proxier, ProxyMode } from './interface.js';
import { nftablesUnavailable } from './nftables/fallback.js';
import { iptablesUnavailable } from './userspace/fallback.js';
import { UserspaceProxier } from './userspace/proxier.js';
import { ServiceDevice } from './userspace/service-addresses.js';

export const PROXY_MODES: readonly ProxyMode[] = ['iptables', 'nftables', 'userspace'];

export interface ProxierOptions {
  nodeName: string;
  /** The node's addresses (NodePorts, load balancer ports listen or match on them). */
  nodeIPs: string[];
  /** --service-cidr: traffic to an address in it that no Service owns is rejected. */
  serviceCIDR: string;
  /** --cluster-cidr: the pod network (traffic from outside it to a service is masqueraded). */
  clusterCIDR?: string;
  log?: (message: string) => void;
}

/**
 * The proxier of `mode`; nftables falls back to iptables where nft is missing or not permitted,
 * iptables to userspace where iptables-restore is (one log line each).
 */
export async function createProxier(mode: ProxyMode, options: ProxierOptions): Promise<Proxier> {
  const log = options.log ?? ((m: string) => console.error(m));
  switch (mode) {
    case 'nftables': {
      const unavailable = await nftablesUnavailable();
      if (unavailable) {
        log(`--proxy-mode nftables: ${unavailable}; using the iptables proxier`);
        return createProxier('iptables', options);
      }
      const { NftablesProxier } = await import('./nftables/proxier.js');
      return new NftablesProxier(options);
    }
    case 'iptables': {
      const unavailable = await iptablesUnavailable();
      if (unavailable) {
        log(`--proxy-mode iptables: ${unavailable}; using the userspace proxier`);
        return userspaceProxier(options);
      }
      const { IptablesProxier } = await import('./iptables/proxier.js');
      return new IptablesProxier(options);
    }
    case 'userspace':
      return userspaceProxier(options);
  }
}

function userspaceProxier(options: ProxierOptions): UserspaceProxier {
  const log = options.log ? { log: options.log } : {};
  const serviceCIDRs = options.serviceCIDR
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return new UserspaceProxier({ addresses: new ServiceDevice({ serviceCIDRs, ...log }), ...log });
}

/** --proxy-mode's value, checked. */
export function parseProxyMode(value: string | undefined): ProxyMode {
  if (value === undefined) return 'iptables';
  if ((PROXY_MODES as readonly string[]).includes(value)) return value as ProxyMode;
  throw new Error(`--proxy-mode: unsupported mode "${value}" (supported: ${PROXY_MODES.join(', ')})`);
}
