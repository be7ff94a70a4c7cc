/**
 * `k8ts killall [--data-dir DIR]`: stops the real node under DIR and removes what it set up on
 * the machine (kubelet/killall.ts) and the network policy chains (netpol/, as k3s-killall.sh
 * removes kube-router's), printing one line per thing removed; nothing when there was nothing
 * to remove.
 */
import { parseArgs } from 'node:util';
import { killNode } from '../kubelet/killall.js';
import { removeNetworkPolicyChains } from '../netpol/run.js';
import { defaultDataDir } from './server-flags.js';

export function parseKillallFlags(argv: string[]): { dataDir: string } {
  const { values } = parseArgs({ args: argv, strict: true, options: { 'data-dir': { type: 'string' } } });
  return { dataDir: values['data-dir'] ?? defaultDataDir() };
}

export async function runKillall(argv: string[]): Promise<void> {
  const { dataDir } = parseKillallFlags(argv);
  const report = (line: string) => console.log(line);
  await killNode({ dataDir, report });
  await removeNetworkPolicyChains(report);
}
