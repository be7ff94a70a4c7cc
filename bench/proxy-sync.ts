/**
 * The service proxy phase of `npm run bench` (root; otherwise one line says why it is skipped):
 * the iptables and the nftables proxier's sync time at S Services × E endpoints (default 1,000 ×
 * 10, one in ten a NodePort: proxy-state.ts), each against the real iptables-restore or nft
 * inside a network namespace the bench creates and deletes (nothing touches the machine's own
 * tables); the nftables half is proxy-sync-nftables.ts.
 *
 *   full      every chain rewritten (the first sync, the hourly resync, the retry after a failure)
 *   partial   one endpoint of one Service replaced: only that service port's chains rewritten
 *
 * Each sync's time is split into building the restore input (in this process) and running
 * iptables-restore (a process entering the namespace). The floor of any sync is the smallest rule
 * change (KUBE-MARK-MASQ rewritten) run the same way: with iptables-nft the kernel validates the
 * whole jump graph reachable from the hooked chains on each such commit, tens of ms at 32,000
 * rules, whatever the change. Target: a one-endpoint change synced in
 * ≤ 50 ms (p50) at 1,000 Services.
 *
 *   runProxySyncPhase(options: ProxySyncOptions): Promise<PhaseOutcome>
 */
import { randomBytes } from 'node:crypto';
import { runCommand } from '../src/kubelet/command.js';
import type { Iptables } from '../src/proxy/iptables/iptables.js';
import { IptablesProxier } from '../src/proxy/iptables/proxier.js';
import type { PhaseOutcome } from './api-phase.js';
import { measureNftables } from './proxy-sync-nftables.js';
import { childrenCpuMs, syntheticState } from './proxy-state.js';
import { fixed, versusTarget } from './report.js';
import { type LatencySummary, summarize } from './stats.js';

export interface ProxySyncOptions {
  services: number;
  endpoints: number;
  /** Partial syncs measured. */
  rounds: number;
  /** Full syncs measured (slow with iptables-nft: seconds each at 1,000 × 10). */
  fullRounds: number;
  log: (line: string) => void;
}

export interface Measured {
  sync: LatencySummary;
  restore: LatencySummary;
  /** The mean CPU time per sync of the programs it ran (childrenCpuMs): the machine's load left out. */
  cpuMs: number;
  lines: number;
}

interface Results {
  full: Measured;
  partial: Measured;
  /** The smallest rule change, run the same way: the floor of any sync. */
  noop: LatencySummary;
  noopCpuMs: number;
}

const TARGET_MS = 50;

/** iptables-save and iptables-restore inside the namespace; records how long each restore takes. */
function netnsIptables(netns: string, restoreMs: number[]): Iptables {
  const inside = (file: string, args: string[], input?: string) =>
    runCommand('nsenter', [`--net=/run/netns/${netns}`, '--', file, ...args], input === undefined ? {} : { input });
  return {
    save: async (table) => (await inside('iptables-save', ['-t', table])).stdout,
    restore: async (input) => {
      const started = performance.now();
      await inside('iptables-restore', ['--noflush', '--wait', '5'], input);
      restoreMs.push(performance.now() - started);
    },
  };
}

async function measure(options: ProxySyncOptions, netns: string): Promise<Results> {
  const restoreMs: number[] = [];
  const iptables = netnsIptables(netns, restoreMs);
  const proxier = new IptablesProxier({
    nodeName: 'bench',
    nodeIPs: [],
    serviceCIDR: '10.96.0.0/12',
    clusterCIDR: '10.244.0.0/16',
    iptables,
    enableRouteLocalnet: async () => {},
  });
  const { state, all, replaceOneEndpoint } = syntheticState(options.services, options.endpoints);
  let lines = 0;
  const run = async (kind: 'full' | 'partial'): Promise<Measured> => {
    const rounds = kind === 'full' ? options.fullRounds : options.rounds;
    const sync = new Float64Array(rounds);
    const restore = new Float64Array(rounds);
    const cpuBefore = await childrenCpuMs();
    for (let r = 0; r < rounds; r++) {
      restoreMs.length = 0;
      const changed = kind === 'partial' ? new Set([replaceOneEndpoint(r)]) : all;
      const result = await proxier.sync(state, changed, { full: kind === 'full' });
      sync[r] = result.durationMs;
      // a full sync of many service ports is several restores: their sum
      restore[r] = restoreMs.reduce((a, b) => a + b, 0);
    }
    const cpuMs = ((await childrenCpuMs()) - cpuBefore) / rounds;
    const saved = await runCommand('nsenter', [`--net=/run/netns/${netns}`, '--', 'iptables-save']);
    lines = saved.stdout.split('\n').filter((l) => l.startsWith('-A ')).length;
    return { sync: summarize(sync), restore: summarize(restore), cpuMs, lines };
  };
  options.log(`full syncs of ${options.services} Services × ${options.endpoints} endpoints`);
  const full = await run('full');
  options.log(`partial syncs (one endpoint changed), ${lines} rules in the tables`);
  const partial = await run('partial');
  restoreMs.length = 0;
  const cpuBefore = await childrenCpuMs();
  // the smallest rule change: KUBE-MARK-MASQ flushed and its one rule written again
  for (let r = 0; r < options.rounds; r++)
    await iptables.restore('*nat\n:KUBE-MARK-MASQ - [0:0]\n-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\nCOMMIT\n');
  const noopCpuMs = ((await childrenCpuMs()) - cpuBefore) / options.rounds;
  return { full, partial, noop: summarize(Float64Array.from(restoreMs)), noopCpuMs };
}

/** Runs `work` in a network namespace of its own, deleted afterwards; undefined (logged) when it failed. */
async function inNetns<T>(work: (netns: string) => Promise<T>): Promise<T | undefined> {
  const netns = `k8tsb${randomBytes(3).toString('hex')}`;
  try {
    await runCommand('ip', ['netns', 'add', netns]);
    return await work(netns);
  } catch (err) {
    console.error(`proxy phase failed: ${(err as Error).message}`);
    return undefined;
  } finally {
    await runCommand('ip', ['netns', 'del', netns]).catch(() => undefined);
  }
}

const available = (file: string, args: string[]) =>
  runCommand(file, args).then(
    () => true,
    () => false,
  );

export async function runProxySyncPhase(options: ProxySyncOptions): Promise<PhaseOutcome> {
  console.log(
    `\n== proxy: iptables and nftables sync time, ${options.services} Services × ${options.endpoints} endpoints, ${options.rounds} syncs of each kind`,
  );
  const root = process.getuid?.() === 0;
  const modes = {
    iptables: root && (await available('iptables-restore', ['--version'])),
    nftables: root && (await available('nft', ['--version'])),
  };
  if (!modes.iptables && !modes.nftables) {
    const skip = root ? 'neither iptables-restore nor nft' : 'not root';
    console.log(`skipped: ${skip}`);
    return { failed: false, print: () => console.log(`skipped: ${skip}`) };
  }
  const m = modes.iptables ? await inNetns((netns) => measure(options, netns)) : undefined;
  const n = modes.nftables ? await inNetns((netns) => measureNftables(options, netns)) : undefined;
  const line = (s: LatencySummary) => `p50 ${fixed(s.p50, 1)} ms, p99 ${fixed(s.p99, 1)} ms, max ${fixed(s.max, 1)} ms`;
  const cpu = (x: Measured) => `CPU of nsenter and it ${fixed(x.cpuMs, 1)} ms a sync`;
  const partial = (text: string, s: LatencySummary) => versusTarget(text, s.p50 <= TARGET_MS, `p50 ≤ ${TARGET_MS} ms`);
  return {
    failed: (modes.iptables && !m) || (modes.nftables && !n),
    print() {
      if (!m) console.log(`iptables mode: ${modes.iptables ? 'failed' : 'no iptables-restore'}`);
      else {
        console.log(
          `iptables mode, ${options.services} Services × ${options.endpoints} endpoints, ${m.full.lines} rules (iptables-restore in a netns, via nsenter):`,
        );
        console.log(`  full sync:    ${line(m.full.sync)}  (of which iptables-restore ${line(m.full.restore)}; ${cpu(m.full)})`);
        console.log(`  floor (the smallest rule change): ${line(m.noop)}, CPU ${fixed(m.noopCpuMs, 1)} ms`);
        console.log(
          partial(
            `  partial sync: ${line(m.partial.sync)}  (of which iptables-restore ${line(m.partial.restore)}; ${cpu(m.partial)})`,
            m.partial.sync,
          ),
        );
      }
      if (!n) return console.log(`nftables mode: ${modes.nftables ? 'failed' : 'no nft'}`);
      console.log(
        `nftables mode, ${options.services} Services × ${options.endpoints} endpoints, ${n.chains} chains (nft -f - in a netns, via nsenter):`,
      );
      console.log(`  full sync:    ${line(n.full.sync)}  (of which nft ${line(n.full.restore)}; ${cpu(n.full)})`);
      console.log(
        `  floor (the smallest transaction): ${line(n.floor)}, CPU ${fixed(n.floorCpuMs, 1)} ms; nsenter alone: ${line(n.nsenter)}, CPU ${fixed(n.nsenterCpuMs, 1)} ms`,
      );
      console.log(
        partial(`  partial sync: ${line(n.partial.sync)}  (of which nft ${line(n.partial.restore)}; ${cpu(n.partial)})`, n.partial.sync),
      );
      console.log(`  the replaced endpoint's chain deleted (a second later, between syncs): ${line(n.deletion.sync)}; ${cpu(n.deletion)}`);
    },
  };
}
