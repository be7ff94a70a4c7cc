/**
 * The iptables-restore input (filter table, `--noflush`) of one network policy sync, computed
 * from the table as iptables-save shows it: every chain of the controller's declared (which
 * flushes it) and refilled, chains no longer wanted flushed and deleted, and FORWARD's first rule
 * made the jump to KUBE-ROUTER-FORWARD (kube-router keeps its jump first, so another
 * component's ACCEPT in FORWARD cannot let traffic past the policies). The cleanup input removes
 * every jump to the controller's chains from other chains, and the chains.
 *
 *   syncRestoreInput(saved: string, chains: FilterChains): string
 *   cleanupRestoreInput(saved: string): { input: string; chains: string[] } | undefined
 */
import { FORWARD_CHAIN, isNetworkPolicyChain } from './chain-names.js';
import type { FilterChains } from './interface.js';

/** FORWARD's jump, as iptables-save prints it (after `-A FORWARD `). */
export const FORWARD_JUMP = `-m comment --comment "kube-router netpol" -j ${FORWARD_CHAIN}`;

interface SavedFilter {
  /** Every chain of the table. */
  chains: string[];
  /** Every `-A` rule, as printed. */
  rules: string[];
}

/** The filter table of `iptables-save -t filter` output. */
function parseSaved(saved: string): SavedFilter {
  const chains: string[] = [];
  const rules: string[] = [];
  let inFilter = false;
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) inFilter = line === '*filter';
    else if (!inFilter) continue;
    else if (line.startsWith(':')) chains.push(line.slice(1).split(' ')[0] ?? '');
    else if (line.startsWith('-A ')) rules.push(line);
  }
  return { chains, rules };
}

/** A rule's chain (`-A CHAIN …`) and its target (`-j TARGET`). */
function ruleParts(rule: string): { chain: string; target: string | undefined } {
  return { chain: rule.split(' ')[1] ?? '', target: / -j (\S+)/.exec(rule)?.[1] };
}

export function syncRestoreInput(saved: string, chains: FilterChains): string {
  const table = parseSaved(saved);
  const stale = table.chains.filter((c) => isNetworkPolicyChain(c) && !chains.has(c));
  const lines = ['*filter', ...[...chains.keys(), ...stale].map((c) => `:${c} - [0:0]`)];
  const forward = table.rules.filter((r) => ruleParts(r).chain === 'FORWARD');
  const jump = `-A FORWARD ${FORWARD_JUMP}`;
  if (forward[0] !== jump) {
    for (const r of forward) if (r === jump) lines.push(`-D${r.slice(2)}`);
    lines.push(`-I FORWARD 1 ${FORWARD_JUMP}`);
  }
  for (const [chain, rules] of chains) for (const rule of rules) lines.push(`-A ${chain} ${rule}`);
  for (const c of stale) lines.push(`-X ${c}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

export function cleanupRestoreInput(saved: string): { input: string; chains: string[] } | undefined {
  const table = parseSaved(saved);
  const ours = table.chains.filter(isNetworkPolicyChain);
  if (ours.length === 0) return undefined;
  const jumps = table.rules.filter((r) => {
    const { chain, target } = ruleParts(r);
    return !isNetworkPolicyChain(chain) && target !== undefined && isNetworkPolicyChain(target);
  });
  const lines = [
    '*filter',
    ...ours.map((c) => `:${c} - [0:0]`),
    ...jumps.map((r) => `-D${r.slice(2)}`),
    ...ours.map((c) => `-X ${c}`),
    'COMMIT',
    '',
  ];
  return { input: lines.join('\n'), chains: ours };
}
