/**
 * `k8ts killall [--data-dir DIR]`: stops the real node under DIR and removes what it set up on
 * the machine (kubelet/killall.ts), printing one line per thing removed; nothing when there was
 * nothing to remove.
 */
import { parseArgs } from 'node:util';
import { killNode } from '../kubelet/killall.js';
import { defaultDataDir } from './server-flags.js';

export function parseKillallFlags(argv: string[]): { dataDir: string } {
  const { values } = parseArgs({ args: argv, strict: true, options: { 'data-dir': { type: 'string' } } });
  return { dataDir: values['data-dir'] ?? defaultDataDir() };
}

export async function runKillall(argv: string[]): Promise<void> {
  const { dataDir } = parseKillallFlags(argv);
  await killNode({ dataDir, report: (line) => console.log(line) });
}
