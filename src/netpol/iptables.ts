/**
 * The node's filter table as the network policy controller writes it (interface.ts'
 * PolicyFirewall): written with one iptables-restore --noflush per sync (restore-input.ts), so
 * the rest of the table — the service proxy's, CNI's, the machine's own — is never touched.
 * It remembers what it last wrote, and a sync writes only the chains that changed (as
 * kube-proxy's minimize-iptables-restore does); the first sync, a full one, and the one after a
 * failure read the table with iptables-save and write everything. While no pod of the node is
 * isolated the controller has no chains at all (unlike kube-router, which always keeps its
 * top-level chains): a cluster without policies leaves the node's tables as they were (and,
 * once it found the table clean, does not read it again until the periodic resync). The first
 * time a pod is isolated, br_netfilter is checked (bridge-netfilter.ts).
 */
import { runCommand } from '../kubelet/command.js';
import { ensureBridgeNetfilter } from './bridge-netfilter.js';
import type { FilterChains, PolicyFirewall, SyncResult } from './interface.js';
import { cleanupRestoreInput, fullPlan, type RestorePlan, restoreInput } from './restore-input.js';

/** Runs a program with optional stdin and returns its stdout (a seam for unit tests). */
export type Run = (file: string, args: string[], input?: string) => Promise<string>;

const runProgram: Run = async (file, args, input) => (await runCommand(file, args, input === undefined ? {} : { input })).stdout;

export interface IptablesPolicyFirewallOptions {
  run?: Run;
  /** Checks (and sets) bridge-nf-call-iptables; returns what it found (default ensureBridgeNetfilter). */
  bridgeNetfilter?: () => Promise<string>;
  log?: (message: string) => void;
}

export class IptablesPolicyFirewall implements PolicyFirewall {
  readonly #run: Run;
  readonly #bridgeNetfilter: () => Promise<string>;
  readonly #log: (message: string) => void;
  #bridgeChecked = false;
  /** Whether the table is known to have none of the controller's chains. */
  #clean = false;
  /** What the last successful sync wrote: each chain's rules, joined; undefined: unknown. */
  #written: Map<string, string> | undefined;

  constructor(options: IptablesPolicyFirewallOptions = {}) {
    this.#run = options.run ?? runProgram;
    this.#bridgeNetfilter = options.bridgeNetfilter ?? (() => ensureBridgeNetfilter());
    this.#log = options.log ?? (() => undefined);
  }

  async #restore(input: string): Promise<void> {
    // -w: wait for the xtables lock other writers (kube-proxy, CNI plugins) hold
    await this.#run('iptables-restore', ['-w', '5', '--noflush'], input);
  }

  async apply(chains: FilterChains, options: { full?: boolean } = {}): Promise<SyncResult> {
    // only KUBE-ROUTER-FORWARD: no pod is isolated; once the table is clean, only a full sync looks again
    if (chains.size <= 1) {
      if (this.#clean && !options.full) return { kind: 'partial', written: 0, removed: 0 };
      const removed = (await this.cleanup()).length;
      this.#clean = true;
      return { kind: 'full', written: 0, removed };
    }
    if (!this.#bridgeChecked) {
      this.#bridgeChecked = true;
      // cross-node traffic is still enforced without it: say so, go on
      this.#log(await this.#bridgeNetfilter().catch((err: Error) => `warning: ${err.message}`));
    }
    const previous = options.full ? undefined : this.#written;
    const plan = previous
      ? await this.#partialPlan(previous, chains)
      : fullPlan(await this.#run('iptables-save', ['-t', 'filter']), chains);
    const input = restoreInput(plan);
    if (input !== undefined) {
      this.#written = undefined;
      this.#clean = false;
      await this.#restore(input);
    }
    this.#written = new Map([...chains].map(([chain, rules]) => [chain, rules.join('\n')]));
    return { kind: previous ? 'partial' : 'full', written: plan.write.size, removed: plan.remove.length };
  }

  async #partialPlan(previous: Map<string, string>, chains: FilterChains): Promise<RestorePlan> {
    return {
      write: new Map([...chains].filter(([chain, rules]) => previous.get(chain) !== rules.join('\n'))),
      remove: [...previous.keys()].filter((chain) => !chains.has(chain)),
      forward: (await this.#run('iptables', ['-w', '5', '-t', 'filter', '-S', 'FORWARD'])).split('\n'),
    };
  }

  async cleanup(): Promise<string[]> {
    this.#written = undefined;
    const saved = await this.#run('iptables-save', ['-t', 'filter']);
    const cleanup = cleanupRestoreInput(saved);
    if (!cleanup) return [];
    await this.#restore(cleanup.input);
    return cleanup.chains;
  }
}
