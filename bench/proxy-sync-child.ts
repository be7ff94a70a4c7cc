/**
 * The measuring side of the service proxy phase, in a process of its own that proxy-sync.ts
 * starts once inside the network namespace it created:
 *
 *   ip netns exec NAME node --import tsx bench/proxy-sync-child.ts iptables|nftables S E ROUNDS FULL_ROUNDS
 *
 * so each sync execs iptables-restore or nft directly, as a node's proxy does in the node's own
 * namespace. Writes one JSON object a line on stdout — `{"log": "…"}` while it works, then
 * `{"result": …}` (IptablesResults or NftablesResults) — and exits 0; on failure the error goes
 * to stderr and the exit code is 1. Exits too when its stdin closes (the bench that started it
 * is gone), so it never outlives the namespace's owner by more than one sync. Refuses to run in the network namespace of the bench that
 * started it (its parent's): the bench never writes the machine's tables.
 */
import { readlink } from 'node:fs/promises';
import { measureIptables } from './proxy-sync-iptables.js';
import { measureNftables } from './proxy-sync-nftables.js';
import type { SyncRounds } from './proxy-state.js';

const write = (message: object): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

async function main(): Promise<void> {
  const [mode, ...numbers] = process.argv.slice(2);
  const [services, endpoints, rounds, fullRounds] = numbers.map(Number);
  if ((mode !== 'iptables' && mode !== 'nftables') || !services || !endpoints || !rounds || !fullRounds)
    throw new Error('usage: proxy-sync-child.ts iptables|nftables SERVICES ENDPOINTS ROUNDS FULL_ROUNDS');
  const [own, parent] = await Promise.all([readlink('/proc/self/ns/net'), readlink(`/proc/${process.ppid}/ns/net`)]);
  if (own === parent) throw new Error(`refusing to sync in my parent's network namespace (${own}): run me through ip netns exec`);
  const options: SyncRounds = { services, endpoints, rounds, fullRounds, log: (line) => write({ log: line }) };
  write({ result: mode === 'iptables' ? await measureIptables(options) : await measureNftables(options) });
}

process.stdin.on('end', () => process.exit(1)).resume();
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).stack ?? String(err));
    process.exit(1);
  },
);
