/**
 * The names of the network policy controller's iptables chains, spelled as kube-router (k3s'
 * embedded policy controller) spells them: three top-level chains, and one chain per isolated
 * pod and per policy direction named by a hash — sha256 of the identifying text, base32
 * (RFC 4648, as Go's base32.StdEncoding), its first 16 characters — so a name fits iptables'
 * 28-character limit and stays the same across restarts.
 */
import { createHash } from 'node:crypto';

/**
 * Jumped to first from the filter table's FORWARD chain: every forwarded packet to or from a pod.
 * (kube-router's KUBE-ROUTER-INPUT and -OUTPUT carry traffic between pods and their node, which
 * the API always allows: this controller needs neither.)
 */
export const FORWARD_CHAIN = 'KUBE-ROUTER-FORWARD';
const TOP_LEVEL_PREFIX = 'KUBE-ROUTER-';
export const POD_FIREWALL_PREFIX = 'KUBE-POD-FW-';
export const POLICY_PREFIX = 'KUBE-NWPLCY-';

/** Whether a filter-table chain is one of the controller's (killall and --disable-network-policy remove them). */
export function isNetworkPolicyChain(chain: string): boolean {
  return chain.startsWith(TOP_LEVEL_PREFIX) || chain.startsWith(POD_FIREWALL_PREFIX) || chain.startsWith(POLICY_PREFIX);
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (padding omitted: only a prefix is ever used). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** The first 16 base32 characters of sha256(text). */
export function chainHash(text: string): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, 16);
}

/** A pod's firewall chain: KUBE-POD-FW-<hash("namespace/name")> (kube-router hashes the two run together; the slash keeps "a"+"bc" and "ab"+"c" apart). */
export function podFirewallChainName(namespace: string, name: string): string {
  return POD_FIREWALL_PREFIX + chainHash(`${namespace}/${name}`);
}

/** One direction of a policy: KUBE-NWPLCY-<hash("namespace/name/direction")>. */
export function policyChainName(namespace: string, name: string, direction: 'ingress' | 'egress'): string {
  return POLICY_PREFIX + chainHash(`${namespace}/${name}/${direction}`);
}
