/**
 * The two iptables programs a sync uses: `iptables-save -t TABLE` to read what is there (full
 * syncs, cleanup) and `iptables-restore --noflush` to write (once per sync, atomically per table).
 * An interface so rule generation is tested without a kernel.
 */
import { runCommand } from '../../kubelet/command.js';

export interface Iptables {
  save(table: 'filter' | 'nat'): Promise<string>;
  /** Applies iptables-restore input; only the chains it declares are flushed. */
  restore(input: string): Promise<void>;
}

/** The machine's iptables (in this process's network namespace); waits up to 5 s for the xtables lock. */
export const hostIptables: Iptables = {
  save: async (table) => (await runCommand('iptables-save', ['-t', table])).stdout,
  restore: async (input) => {
    await runCommand('iptables-restore', ['--noflush', '--wait', '5'], { input });
  },
};

/** The chains of one table as iptables-save lists them (`:NAME POLICY [p:b]`). */
export function savedChains(saved: string): string[] {
  const chains: string[] = [];
  for (const line of saved.split('\n')) if (line.startsWith(':')) chains.push(line.slice(1, line.indexOf(' ')));
  return chains;
}

/** The rules of one table as iptables-save lists them (`-A CHAIN …`). */
export function savedRules(saved: string): string[] {
  return saved.split('\n').filter((line) => line.startsWith('-A '));
}
