/**
 * The service proxy phase of `npm run bench` (root and iptables; otherwise one line says why it
 * is skipped): the iptables proxier's sync time at S Services × E endpoints (default 1,000 × 10,
 * one in ten a NodePort), against the real iptables-restore inside a network namespace the bench
 * creates and deletes (nothing touches the machine's own tables).
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
import type { Endpoint, ProxyState, ServicePort } from '../src/proxy/interface.js';
import type { Iptables } from '../src/proxy/iptables/iptables.js';
import { IptablesProxier } from '../src/proxy/iptables/proxier.js';
import type { PhaseOutcome } from './api-phase.js';
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

interface Measured {
  sync: LatencySummary;
  restore: LatencySummary;
  lines: number;
}

interface Results {
  full: Measured;
  partial: Measured;
  /** The smallest rule change, run the same way: the floor of any sync. */
  noop: LatencySummary;
}

const TARGET_MS = 50;

/** iptables-save and iptables-restore inside the namespace; records how long each restore took. */
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

const ipOf = (base: number, i: number): string => {
  const n = base + i;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
};
const SERVICE_BASE = (10 << 24) | (96 << 16);
const POD_BASE = (10 << 24) | (244 << 16);

function syntheticState(services: number, endpoints: number): { state: ProxyState; endpointsOf: Map<string, Endpoint[]> } {
  const ports = new Map<string, ServicePort>();
  const endpointsOf = new Map<string, Endpoint[]>();
  for (let s = 0; s < services; s++) {
    const key = `bench/svc-${s}:http`;
    ports.set(key, {
      key,
      namespace: 'bench',
      name: `svc-${s}`,
      portName: 'http',
      protocol: 'TCP',
      clusterIPs: [ipOf(SERVICE_BASE, s + 10)],
      port: 80,
      ...(s % 10 === 0 ? { nodePort: 30000 + s } : {}),
      externalIPs: [],
      loadBalancerIPs: [],
      externalPolicyLocal: false,
      internalPolicyLocal: false,
    });
    endpointsOf.set(
      key,
      Array.from({ length: endpoints }, (_, e) => ({
        ip: ipOf(POD_BASE, s * endpoints + e + 2),
        port: 8080,
        ready: true,
        serving: true,
        terminating: false,
        isLocal: e % 2 === 0,
      })),
    );
  }
  return { state: { services: ports, endpoints: endpointsOf }, endpointsOf };
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
  const { state, endpointsOf } = syntheticState(options.services, options.endpoints);
  const all = new Set(state.services.keys());
  let lines = 0;
  const run = async (kind: 'full' | 'partial'): Promise<Measured> => {
    const rounds = kind === 'full' ? options.fullRounds : options.rounds;
    const sync = new Float64Array(rounds);
    restoreMs.length = 0;
    for (let r = 0; r < rounds; r++) {
      let changed: Set<string> = all;
      if (kind === 'partial') {
        // one endpoint of one Service replaced by a new pod IP
        const key = `bench/svc-${r % options.services}:http`;
        const eps = endpointsOf.get(key) ?? [];
        eps[0] = { ...(eps[0] as Endpoint), ip: ipOf(POD_BASE, options.services * options.endpoints + 10 + r) };
        changed = new Set([key]);
      }
      const result = await proxier.sync(state, changed, { full: kind === 'full' });
      sync[r] = result.durationMs;
    }
    const saved = await runCommand('ip', ['netns', 'exec', netns, 'iptables-save']);
    lines = saved.stdout.split('\n').filter((l) => l.startsWith('-A ')).length;
    return { sync: summarize(sync), restore: summarize(Float64Array.from(restoreMs)), lines };
  };
  options.log(`full syncs of ${options.services} Services × ${options.endpoints} endpoints`);
  const full = await run('full');
  options.log(`partial syncs (one endpoint changed), ${lines} rules in the tables`);
  const partial = await run('partial');
  restoreMs.length = 0;
  // the smallest rule change: KUBE-MARK-MASQ flushed and its one rule written again
  for (let r = 0; r < options.rounds; r++)
    await iptables.restore('*nat\n:KUBE-MARK-MASQ - [0:0]\n-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\nCOMMIT\n');
  return { full, partial, noop: summarize(Float64Array.from(restoreMs)) };
}

export async function runProxySyncPhase(options: ProxySyncOptions): Promise<PhaseOutcome> {
  console.log(
    `\n== proxy: iptables sync time, ${options.services} Services × ${options.endpoints} endpoints, ${options.rounds} syncs of each kind`,
  );
  const skip =
    process.getuid?.() !== 0
      ? 'not root'
      : await runCommand('iptables-restore', ['--version']).then(
          () => undefined,
          () => 'no iptables-restore',
        );
  if (skip) {
    console.log(`skipped: ${skip}`);
    return { failed: false, print: () => console.log(`skipped: ${skip}`) };
  }
  const netns = `k8tsb${randomBytes(3).toString('hex')}`;
  let m: Results | undefined;
  let failed = false;
  try {
    await runCommand('ip', ['netns', 'add', netns]);
    m = await measure(options, netns);
  } catch (err) {
    console.error(`proxy phase failed: ${(err as Error).message}`);
    failed = true;
  } finally {
    await runCommand('ip', ['netns', 'del', netns]).catch(() => undefined);
  }
  return {
    failed,
    print() {
      if (!m) return console.log('not measured');
      const line = (s: LatencySummary) => `p50 ${fixed(s.p50, 1)} ms, p99 ${fixed(s.p99, 1)} ms, max ${fixed(s.max, 1)} ms`;
      console.log(
        `${options.services} Services × ${options.endpoints} endpoints, ${m.full.lines} rules (iptables-restore in a netns, via nsenter):`,
      );
      console.log(`  full sync:    ${line(m.full.sync)}  (of which iptables-restore ${line(m.full.restore)})`);
      console.log(`  floor (the smallest rule change): ${line(m.noop)}`);
      console.log(
        versusTarget(
          `  partial sync: ${line(m.partial.sync)}  (of which iptables-restore ${line(m.partial.restore)})`,
          m.partial.sync.p50 <= TARGET_MS,
          `p50 ≤ ${TARGET_MS} ms`,
        ),
      );
    },
  };
}
