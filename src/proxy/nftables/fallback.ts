/**
 * Whether `--proxy-mode nftables` can work on this node: `nftablesUnavailable` asks nft to check
 * (not commit) a transaction that declares the kube-proxy table, and says why nftables cannot be
 * used — nft is missing, the process may not program the kernel (not root, no CAP_NET_ADMIN), or
 * the kernel has no nf_tables. The proxier factory then falls back to the iptables mode.
 */
import { type CommandOutput, CommandError, runCommand } from '../../kubelet/command.js';
import { FAMILY_TABLE } from './names.js';

type Run = (file: string, args: string[], options: { input: string }) => Promise<CommandOutput>;

/** Why nft cannot program this node; undefined when it can. */
export async function nftablesUnavailable(run: Run = runCommand): Promise<string | undefined> {
  try {
    await run('nft', ['--check', '-f', '-'], { input: `add table ${FAMILY_TABLE}\n` });
    return undefined;
  } catch (err) {
    if ((err as { cause?: { code?: unknown } }).cause?.code === 'ENOENT') return 'nft is not installed (apt-get install nftables)';
    return `nft cannot program this node: ${err instanceof CommandError ? err.stderr.trim() : (err as Error).message}`;
  }
}
