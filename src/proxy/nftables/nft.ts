/**
 * The nft program as the nftables proxier uses it: `nft -f -` runs one transaction (all of it or
 * nothing), and `nft -j list chains|sets ip` tells which chains and sets the kube-proxy table
 * holds (full syncs). An interface so the proxier is tested without a kernel.
 */
import { runCommand } from '../../kubelet/command.js';
import { TABLE } from './names.js';

export interface Nft {
  /** Applies the commands in one transaction. */
  run(commands: readonly string[]): Promise<void>;
  /** The names of the kube-proxy table's chains and sets (none when there is no table). */
  list(): Promise<{ chains: string[]; sets: string[] }>;
}

/** The names of one kind of object in the kube-proxy table, from `nft -j list chains|sets ip`. */
export function listedNames(json: string, kind: 'chain' | 'set'): string[] {
  const parsed = JSON.parse(json) as { nftables?: Record<string, { table?: string; name?: string } | undefined>[] };
  const names: string[] = [];
  for (const item of parsed.nftables ?? []) {
    const object = item[kind];
    if (object?.table === TABLE && object.name) names.push(object.name);
  }
  return names;
}

/** The machine's nft, in this process's network namespace; `argv` runs it another way (`nsenter … nft`). */
export function hostNft(argv: readonly string[] = ['nft']): Nft {
  const [file = 'nft', ...before] = argv;
  const nft = (args: string[], input?: string) => runCommand(file, [...before, ...args], input === undefined ? {} : { input });
  return {
    run: async (commands) => {
      await nft(['-f', '-'], `${commands.join('\n')}\n`);
    },
    list: async () => {
      const [chains, sets] = await Promise.all([nft(['-j', 'list', 'chains', 'ip']), nft(['-j', 'list', 'sets', 'ip'])]);
      return { chains: listedNames(chains.stdout, 'chain'), sets: listedNames(sets.stdout, 'set') };
    },
  };
}
