/**
 * Removes every rule and chain the iptables proxier made (upstream's `kube-proxy --cleanup`):
 * the hook jumps from the built-in chains, then kube-proxy's chains, flushed and deleted, in one
 * iptables-restore. Used by the proxier's cleanup() and by `k8ts killall`.
 *
 *   removeProxyRules(options?: { iptables?: Iptables; report?: (line: string) => void }): Promise<void>
 */
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
  SERVICE_CHAIN_PREFIXES,
} from './chain-names.js';
import { hostIptables, type Iptables, savedChains, savedRules } from './iptables.js';

const FIXED = new Set([
  KUBE_SERVICES,
  KUBE_EXTERNAL_SERVICES,
  KUBE_NODEPORTS,
  KUBE_FORWARD,
  KUBE_FIREWALL,
  KUBE_POSTROUTING,
  KUBE_MARK_MASQ,
  KUBE_PROXY_FIREWALL,
]);

/** Whether a chain is one the proxier makes. */
export const isProxyChain = (chain: string): boolean => FIXED.has(chain) || SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));

/** The restore input that removes the proxier's rules from one table (undefined: nothing there). */
export function removalInput(table: 'filter' | 'nat', saved: string): string | undefined {
  const ours = savedChains(saved).filter(isProxyChain);
  if (ours.length === 0) return undefined;
  const jumps = savedRules(saved).filter((rule) => {
    const [, chain] = rule.split(' ', 2);
    const target = / -j (\S+)/.exec(rule)?.[1];
    return chain !== undefined && !isProxyChain(chain) && target !== undefined && isProxyChain(target);
  });
  return [
    `*${table}`,
    ...ours.map((c) => `:${c} - [0:0]`),
    ...jumps.map((rule) => `-D ${rule.slice(3)}`),
    ...ours.map((c) => `-X ${c}`),
    'COMMIT',
    '',
  ].join('\n');
}

export async function removeProxyRules(options: { iptables?: Iptables; report?: (line: string) => void } = {}): Promise<void> {
  const iptables = options.iptables ?? hostIptables;
  for (const table of ['filter', 'nat'] as const) {
    const input = removalInput(table, await iptables.save(table));
    if (!input) continue;
    await iptables.restore(input);
    options.report?.(`removed the service proxy's iptables rules (${table} table)`);
  }
}
