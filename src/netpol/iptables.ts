/**
 * The node's filter table as the network policy controller writes it (interface.ts'
 * PolicyFirewall): read with iptables-save, written with one iptables-restore --noflush per
 * sync (restore-input.ts), so the rest of the table — the service proxy's, CNI's, the
 * machine's own — is never touched. While no pod of the node is isolated the controller has no
 * chains at all (unlike kube-router, which always keeps its top-level chains): a cluster
 * without policies leaves the node's tables as they were. The first time a pod is isolated,
 * br_netfilter is checked (bridge-netfilter.ts).
 */
import { runCommand } from '../kubelet/command.js';
import { ensureBridgeNetfilter } from './bridge-netfilter.js';
import type { FilterChains, PolicyFirewall } from './interface.js';
import { cleanupRestoreInput, syncRestoreInput } from './restore-input.js';

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

  constructor(options: IptablesPolicyFirewallOptions = {}) {
    this.#run = options.run ?? runProgram;
    this.#bridgeNetfilter = options.bridgeNetfilter ?? (() => ensureBridgeNetfilter());
    this.#log = options.log ?? (() => undefined);
  }

  async #restore(input: string): Promise<void> {
    // -w: wait for the xtables lock other writers (kube-proxy, CNI plugins) hold
    await this.#run('iptables-restore', ['-w', '5', '--noflush'], input);
  }

  async apply(chains: FilterChains): Promise<void> {
    // only KUBE-ROUTER-FORWARD: no pod is isolated
    if (chains.size <= 1) {
      await this.cleanup();
      return;
    }
    if (!this.#bridgeChecked) {
      this.#bridgeChecked = true;
      // cross-node traffic is still enforced without it: say so, go on
      this.#log(await this.#bridgeNetfilter().catch((err: Error) => `warning: ${err.message}`));
    }
    const saved = await this.#run('iptables-save', ['-t', 'filter']);
    await this.#restore(syncRestoreInput(saved, chains));
  }

  async cleanup(): Promise<string[]> {
    const saved = await this.#run('iptables-save', ['-t', 'filter']);
    const cleanup = cleanupRestoreInput(saved);
    if (!cleanup) return [];
    await this.#restore(cleanup.input);
    return cleanup.chains;
  }
}
