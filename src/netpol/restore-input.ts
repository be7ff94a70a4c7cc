/**
 * The iptables-restore input (filter table, `--noflush`) of one network policy sync: the chains
 * to write declared (which flushes them) and refilled, chains no longer wanted flushed and
 * deleted, and FORWARD's first rule made the jump to KUBE-ROUTER-FORWARD (kube-router keeps its
 * jump first, so another component's ACCEPT in FORWARD cannot let traffic past the policies).
 * A full sync writes every chain and finds stale ones in the table as iptables-save shows it; a
 * partial sync (iptables.ts) writes only the chains that changed since the last one. The cleanup
 * input removes every jump to the controller's chains from other chains, and the chains.
 *
 *   restoreInput(plan: RestorePlan): string | undefined
 *   fullPlan(saved: string, chains: FilterChains): RestorePlan
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

/** What one sync writes. */
export interface RestorePlan {
  /** Chains to (re)write with these rules. */
  write: FilterChains;
  /** Chains to flush and delete. */
  remove: readonly string[];
  /** FORWARD's rules as `-A FORWARD …` lines (iptables-save or `iptables -S FORWARD`), to keep the jump first. */
  forward: readonly string[];
}

/** The input for a plan; undefined when there is nothing to do. */
export function restoreInput(plan: RestorePlan): string | undefined {
  const forward = plan.forward.filter((r) => r.startsWith('-A FORWARD '));
  const jump = `-A FORWARD ${FORWARD_JUMP}`;
  const jumpFirst = forward[0] === jump;
  if (plan.write.size === 0 && plan.remove.length === 0 && jumpFirst) return undefined;
  const lines = ['*filter', ...[...plan.write.keys(), ...plan.remove].map((c) => `:${c} - [0:0]`)];
  if (!jumpFirst) {
    for (const r of forward) if (r === jump) lines.push(`-D${r.slice(2)}`);
    lines.push(`-I FORWARD 1 ${FORWARD_JUMP}`);
  }
  for (const [chain, rules] of plan.write) for (const rule of rules) lines.push(`-A ${chain} ${rule}`);
  for (const c of plan.remove) lines.push(`-X ${c}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** Every chain written; the controller's chains in the table that are not wanted removed. */
export function fullPlan(saved: string, chains: FilterChains): RestorePlan {
  const table = parseSaved(saved);
  return {
    write: chains,
    remove: table.chains.filter((c) => isNetworkPolicyChain(c) && !chains.has(c)),
    forward: table.rules.filter((r) => ruleParts(r).chain === 'FORWARD'),
  };
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
