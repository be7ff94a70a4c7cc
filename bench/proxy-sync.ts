/**
 * The service proxy phase of `npm run bench` (root; otherwise one line says why it is skipped):
 * the iptables and the nftables proxier's sync time at S Services × E endpoints (default 1,000 ×
 * 10, one in ten a NodePort: proxy-state.ts), each against the real iptables-restore or nft
 * inside a network namespace the bench creates and deletes (nothing touches the machine's own
 * tables). As on a node, the proxier runs in that namespace: one child process per mode
 * (proxy-sync-child.ts, started once with `ip netns exec`) builds the state, syncs, times each
 * sync and execs the tool directly; this process creates and deletes the namespace and collects
 * the numbers from the child's stdout. What each mode measures: proxy-sync-iptables.ts and
 * proxy-sync-nftables.ts. Target: a one-endpoint change synced in ≤ 50 ms (p50) at 1,000 Services.
 *
 *   runProxySyncPhase(options: ProxySyncOptions): Promise<PhaseOutcome>
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runCommand } from '../src/kubelet/command.js';
import type { PhaseOutcome } from './api-phase.js';
import { stopChild } from './processes.js';
import type { Measured, SyncRounds } from './proxy-state.js';
import type { IptablesResults } from './proxy-sync-iptables.js';
import type { NftablesResults } from './proxy-sync-nftables.js';
import { fixed, versusTarget } from './report.js';
import type { LatencySummary } from './stats.js';

export interface ProxySyncOptions extends SyncRounds {
  /** The repository (the child is bench/proxy-sync-child.ts in it). */
  repo: string;
}

type Mode = 'iptables' | 'nftables';

const TARGET_MS = 50;

/** How long one mode's child may take: generous for iptables-nft's full syncs on a loaded machine. */
const childBoundMs = (o: SyncRounds): number => 120_000 + o.fullRounds * 60_000 + o.rounds * 10_000;

/**
 * Runs the child for `mode` inside `netns` and resolves with its result; rejects when it fails,
 * says nothing, or runs past its bound (then it is stopped by its PID).
 */
async function runChild<T>(options: ProxySyncOptions, mode: Mode, netns: string): Promise<T> {
  const script = join(options.repo, 'bench', 'proxy-sync-child.ts');
  const counts = [options.services, options.endpoints, options.rounds, options.fullRounds].map(String);
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, '--import', 'tsx', script, mode, ...counts], {
    cwd: options.repo,
    // the child ends when this pipe closes: with this process
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let result: T | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: { log?: string; result?: T } = {};
    try {
      message = JSON.parse(line);
    } catch {
      return options.log(`${mode} child: ${line}`);
    }
    if (message.log !== undefined) options.log(message.log);
    if (message.result !== undefined) result = message.result;
  });
  const bound = childBoundMs(options);
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${mode} child still running after ${bound / 1000} s`)), bound);
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    if (code !== 0 || result === undefined) throw new Error(`${mode} child exited with ${code}: ${stderr.trim()}`);
    return result;
  } finally {
    clearTimeout(timer);
    await stopChild(child);
    child.stdin.destroy();
  }
}

/** Runs `mode`'s child in a network namespace of its own, deleted afterwards; undefined (logged) when it failed. */
async function inNetns<T>(options: ProxySyncOptions, mode: Mode): Promise<T | undefined> {
  const netns = `k8tsb${randomBytes(3).toString('hex')}`;
  try {
    await runCommand('ip', ['netns', 'add', netns]);
    return await runChild<T>(options, mode, netns);
  } catch (err) {
    console.error(`proxy phase, ${mode} mode failed: ${(err as Error).message}`);
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
  const m = modes.iptables ? await inNetns<IptablesResults>(options, 'iptables') : undefined;
  const n = modes.nftables ? await inNetns<NftablesResults>(options, 'nftables') : undefined;
  const line = (s: LatencySummary) => `p50 ${fixed(s.p50, 1)} ms, p99 ${fixed(s.p99, 1)} ms, max ${fixed(s.max, 1)} ms`;
  const cpu = (tool: string, x: Measured) => `CPU of ${tool} ${fixed(x.cpuMs, 1)} ms a sync`;
  const partial = (text: string, s: LatencySummary) => versusTarget(text, s.p50 <= TARGET_MS, `p50 ≤ ${TARGET_MS} ms`);
  const size = `${options.services} Services × ${options.endpoints} endpoints`;
  return {
    failed: (modes.iptables && !m) || (modes.nftables && !n),
    print() {
      if (!m) console.log(`iptables mode: ${modes.iptables ? 'failed' : 'no iptables-restore'}`);
      else {
        console.log(`iptables mode, ${size}, ${m.rules} rules (the proxier in the netns, iptables-restore exec'd directly):`);
        console.log(
          `  full sync:    ${line(m.full.sync)}  (of which iptables-restore ${line(m.full.restore)}; ${cpu('iptables-restore', m.full)})`,
        );
        console.log(`  floor (the smallest rule change): ${line(m.floor)}, CPU ${fixed(m.floorCpuMs, 1)} ms`);
        console.log(
          partial(
            `  partial sync: ${line(m.partial.sync)}  (of which iptables-restore ${line(m.partial.restore)}; ${cpu('iptables-restore', m.partial)})`,
            m.partial.sync,
          ),
        );
      }
      if (!n) return console.log(`nftables mode: ${modes.nftables ? 'failed' : 'no nft'}`);
      console.log(`nftables mode, ${size}, ${n.chains} chains (the proxier in the netns, nft -f - exec'd directly):`);
      console.log(`  full sync:    ${line(n.full.sync)}  (of which nft ${line(n.full.restore)}; ${cpu('nft', n.full)})`);
      console.log(`  floor (the smallest transaction): ${line(n.floor)}, CPU ${fixed(n.floorCpuMs, 1)} ms`);
      console.log(
        partial(
          `  partial sync: ${line(n.partial.sync)}  (of which nft ${line(n.partial.restore)}; ${cpu('nft', n.partial)})`,
          n.partial.sync,
        ),
      );
      console.log(
        `  the replaced endpoint's chain deleted (a second later, between syncs): ${line(n.deletion.sync)}; ${cpu('nft', n.deletion)}`,
      );
    },
  };
}
