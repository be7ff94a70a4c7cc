/**
 * The names of kube-proxy's iptables chains. The fixed ones are upstream's; a service port's and
 * an endpoint's chains are named as upstream names them — a prefix and the first 16 characters of
 * the base32 of a sha256 — so rules read the same as a kube-proxy's:
 *
 *   KUBE-SVC-<hash(servicePortName + protocol)>   cluster policy: every usable endpoint
 *   KUBE-SVL-…                                    local policy: this node's endpoints
 *   KUBE-EXT-…                                    external traffic (NodePort, external and LB IPs)
 *   KUBE-FW-…                                     load balancer IPs with loadBalancerSourceRanges
 *   KUBE-SEP-<hash(servicePortName + protocol + "ip:port")>   one endpoint: DNAT
 */
import { createHash } from 'node:crypto';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_FIREWALL = 'KUBE-FIREWALL';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
/** filter: drops what reached a load balancer IP from outside its source ranges (not DNATed by KUBE-FW). */
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';

/** The per-service and per-endpoint chain prefixes (what a sync may create and delete). */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'] as const;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 of the first 10 bytes (16 characters, no padding needed). */
function base32Prefix16(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; out.length < 16; i++) {
    value = (value << 8) | (bytes[i] as number);
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** upstream's portProtoHash / servicePortEndpointChainName hash: base32(sha256(text))[:16]. */
export function chainHash(text: string): string {
  return base32Prefix16(createHash('sha256').update(text).digest());
}

/** The chains of one service port (upstream's servicePortInfo chain names). */
export interface ServicePortChains {
  cluster: string;
  local: string;
  external: string;
  firewall: string;
}

export function servicePortChains(servicePortName: string, protocol: string): ServicePortChains {
  const hash = chainHash(servicePortName + protocol.toLowerCase());
  return { cluster: `KUBE-SVC-${hash}`, local: `KUBE-SVL-${hash}`, external: `KUBE-EXT-${hash}`, firewall: `KUBE-FW-${hash}` };
}

/** An endpoint's chain, from `ip:port`. */
export function endpointChain(servicePortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${chainHash(servicePortName + protocol.toLowerCase() + endpoint)}`;
}

/**
 * The chain names of service ports and endpoints, hashed once and remembered (a sync names
 * thousands); `forget` a service port when it changes or goes, so names of gone endpoints go too.
 */
export class ChainNames {
  readonly #ports = new Map<string, { protocol: string; chains: ServicePortChains; endpoints: Map<string, string> }>();

  #entry(servicePortName: string, protocol: string) {
    let entry = this.#ports.get(servicePortName);
    if (!entry || entry.protocol !== protocol) {
      entry = { protocol, chains: servicePortChains(servicePortName, protocol), endpoints: new Map() };
      this.#ports.set(servicePortName, entry);
    }
    return entry;
  }

  servicePort(servicePortName: string, protocol: string): ServicePortChains {
    return this.#entry(servicePortName, protocol).chains;
  }

  endpoint(servicePortName: string, protocol: string, endpoint: string): string {
    const { endpoints } = this.#entry(servicePortName, protocol);
    let chain = endpoints.get(endpoint);
    if (!chain) endpoints.set(endpoint, (chain = endpointChain(servicePortName, protocol, endpoint)));
    return chain;
  }

  forget(servicePortName: string): void {
    this.#ports.delete(servicePortName);
  }
}
