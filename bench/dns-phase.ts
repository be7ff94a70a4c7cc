/**
 * The dns phase: queries per second for cluster names (A of svc-<i>.ns-<j>.svc.cluster.local,
 * over UDP on 127.0.0.1) against the node's DNS server over N Services, and against a bare
 * dns-packet server giving the same answer without a lookup, in the same run. Each server runs
 * in a child process; the load keeps `concurrency` queries in flight from one socket for the
 * given time. Rounds alternate the two servers. Two numbers per side: the best round's queries
 * per second, and the median of the server's CPU time per answered query (its user + system
 * time from /proc over the round) — the steadier figure on a machine shared with other work.
 * Aim: ≥ 0.7× the bare server.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import type { PhaseOutcome } from './api-phase.js';
import { processMemory, stopChild } from './processes.js';
import { fixed, rate, renderTable, versusTarget } from './report.js';

export interface DnsPhaseOptions {
  repo: string;
  services: number;
  seconds: number;
  concurrency: number;
  rounds: number;
  log: (line: string) => void;
}

interface RoundResult {
  qps: number;
  /** The server process' CPU time per answered query, in microseconds. */
  cpuMicros: number;
  /** Queries without an answer at the end of the round (lost or late). */
  unanswered: number;
}

async function withServer<T>(repo: string, args: string[], use: (port: number, pid: number) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'bench', 'dns-server-child.ts'), ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`dns server not ready in 30 s: ${err}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /dns ready: (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`dns server exited with ${code}: ${err}`));
      });
    });
    return await use(port, child.pid ?? 0);
  } finally {
    await stopChild(child);
  }
}

/** Sends A queries for the services' names round-robin, `concurrency` in flight, for `seconds`. */
function load(port: number, pid: number, options: DnsPhaseOptions): Promise<RoundResult> {
  const cpuBefore = processMemory(pid).cpuSeconds;
  const queries = Array.from({ length: options.services }, (_, i) =>
    dnsPacket.encode({
      id: 0,
      type: 'query',
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name: `svc-${i}.ns-${i % 10}.svc.cluster.local`, type: 'A', class: 'IN' }],
    }),
  );
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const inFlight = new Set<number>();
    let next = 0;
    let answered = 0;
    let stopped = false;
    const send = (): void => {
      const id = next & 0xffff;
      const query = queries[next % queries.length] as Buffer;
      next++;
      query.writeUInt16BE(id, 0);
      inFlight.add(id);
      socket.send(query, port, '127.0.0.1');
    };
    socket.on('message', (reply) => {
      const id = reply.readUInt16BE(0);
      if (!inFlight.delete(id)) return;
      answered++;
      if (!stopped) send();
    });
    const started = performance.now();
    setTimeout(() => {
      stopped = true;
      const elapsed = (performance.now() - started) / 1000;
      socket.close();
      const cpu = processMemory(pid).cpuSeconds - cpuBefore;
      resolve({ qps: answered / elapsed, cpuMicros: (cpu * 1e6) / answered, unanswered: inFlight.size });
    }, options.seconds * 1000);
    for (let i = 0; i < options.concurrency; i++) send();
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] as number) : Number.NaN;
}

export async function runDnsPhase(options: DnsPhaseOptions): Promise<PhaseOutcome> {
  console.log(
    `\ndns: A queries for ${options.services} Services' names over UDP, ${options.concurrency} in flight, ${options.rounds} rounds of ${options.seconds} s per server`,
  );
  const rounds: Record<'cluster' | 'bare', RoundResult[]> = { cluster: [], bare: [] };
  let failed = false;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      for (const side of ['bare', 'cluster'] as const) {
        const args = side === 'bare' ? ['bare'] : ['cluster', String(options.services)];
        const result = await withServer(options.repo, args, (port, pid) => load(port, pid, options));
        options.log(
          `round ${round} ${side}: ${rate(result.qps)} queries/s, ${fixed(result.cpuMicros)} µs server CPU per query (${result.unanswered} unanswered at the end)`,
        );
        rounds[side].push(result);
      }
    }
  } catch (err) {
    failed = true;
    console.error(`dns phase failed: ${(err as Error).message}`);
  }
  const best = (side: 'cluster' | 'bare'): number => Math.max(...rounds[side].map((r) => r.qps));
  const cpu = (side: 'cluster' | 'bare'): number => median(rounds[side].map((r) => r.cpuMicros));
  const ratio = best('cluster') / best('bare');
  const cpuRatio = cpu('bare') / cpu('cluster');
  return {
    failed,
    print() {
      console.log(
        renderTable(
          [{ title: 'server' }, { title: 'queries/s (best)', right: true }, { title: 'CPU µs/query (median)', right: true }],
          [
            ['bare dns-packet server (fixed answer)', rate(best('bare')), fixed(cpu('bare'))],
            [`k8ts node DNS (${options.services} Services)`, rate(best('cluster')), fixed(cpu('cluster'))],
          ],
        ),
      );
      console.log(
        versusTarget(`cluster DNS / bare, throughput: ${fixed(ratio, 2)}×`, Number.isFinite(ratio) ? ratio >= 0.7 : undefined, '≥ 0.7×'),
      );
      console.log(
        versusTarget(
          `cluster DNS / bare, queries per CPU second: ${fixed(cpuRatio, 2)}×`,
          Number.isFinite(cpuRatio) ? cpuRatio >= 0.7 : undefined,
          '≥ 0.7×',
        ),
      );
    },
  };
}
