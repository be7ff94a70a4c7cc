/**
 * When `--proxy-mode iptables` cannot work on this node, kube-proxy used to fall back to the
 * userspace proxier (upstream's canUseIPTablesProxier before 1.26, seed 001): `iptablesUnavailable`
 * asks iptables-restore to parse and check an empty filter table without committing it, and says
 * why iptables cannot be used — the program is missing, or the process may not program the
 * kernel's tables (not root, no CAP_NET_ADMIN). Any other failure is the iptables proxier's to report.
 */
import { type CommandOutput, CommandError, runCommand } from '../../kubelet/command.js';

type Run = (file: string, args: string[], options: { input: string }) => Promise<CommandOutput>;

const PERMISSION = /permission denied|operation not permitted|you must be root/i;

/** Why iptables-restore cannot program this node; undefined when it can. */
export async function iptablesUnavailable(run: Run = runCommand): Promise<string | undefined> {
  try {
    await run('iptables-restore', ['--test', '--noflush'], { input: '*filter\nCOMMIT\n' });
    return undefined;
  } catch (err) {
    if ((err as { cause?: { code?: unknown } }).cause?.code === 'ENOENT') return 'iptables-restore is not installed';
    // the program's own words are all it tells (it has no error codes beyond exit status 4)
    if (err instanceof CommandError && PERMISSION.test(err.stderr)) return `iptables-restore is not permitted here: ${err.message}`;
    return undefined;
  }
}
