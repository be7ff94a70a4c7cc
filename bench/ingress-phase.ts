/**
 * The ingress bench (issue 14): requests per second through k8ts' ingress proxy against a bare
 * Node HTTP proxy in the same run — same backend, same keep-alive to it, each server in a process
 * of its own (ingress-server.ts), the load in this process over keep-alive connections,
 * everything on 127.0.0.1. Bare and ingress runs alternate (three rounds per concurrency) so drift on
 * a shared machine hits both; the ratio is of the rounds' summed requests per second. Aim ≥ 0.7×.
 * Beside it, the proxy process' CPU time per request (/proc/PID/stat), which a busy machine
 * disturbs less than a rate does.
 *
 *   runIngressPhase({ maxMs, maxOps, levels, log }): Promise<PhaseOutcome>
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import type { PhaseOutcome } from './api-phase.js';
import { type LoadResult, runLoad } from './load.js';
import { stopChild } from './processes.js';

export interface IngressPhaseOptions {
  /** Bounds of each run. */
  maxMs: number;
  maxOps: number;
  /** Concurrent keep-alive clients, one run each. */
  levels: number[];
  log: (line: string) => void;
}

const TARGET = 0.7;
const ROUNDS = 3;

interface Started {
  child: ChildProcess;
  port: number;
}

/** Starts ingress-server.ts in `mode`; resolves once it listens (bounded: 20 s). */
async function startServer(mode: 'backend' | 'bare' | 'ingress', backendPort = 0): Promise<Started> {
  const script = new URL('./ingress-server.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode, String(backendPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server not ready in 20 s: ${err}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${mode} server exited with ${code}: ${err}`));
    });
  });
  return { child, port };
}

/** A process' CPU time (user + system) in milliseconds, from /proc/PID/stat (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Run {
  load: LoadResult;
  /** The proxy process' CPU time per successful request, in µs. */
  cpuUs: number;
}

/** GETs through `proxy` as host bench-25.example with `concurrency` keep-alive clients. */
async function load(proxy: Started, concurrency: number, o: IngressPhaseOptions): Promise<Run> {
  const port = proxy.port;
  const pid = proxy.child.pid as number;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const op = (): Promise<void> =>
    new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/api/v1/items', headers: { host: 'bench-25.example' }, agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      }).on('error', reject);
    });
  try {
    await runLoad({ concurrency, maxOps: Math.min(3_000, o.maxOps), maxMs: 1_500, op }); // warm-up (JIT, sockets)
    const cpu0 = cpuMs(pid);
    const result = await runLoad({ concurrency, maxOps: o.maxOps, maxMs: o.maxMs, op });
    return { load: result, cpuUs: ((cpuMs(pid) - cpu0) * 1000) / Math.max(1, result.ops) };
  } finally {
    agent.destroy();
  }
}

export async function runIngressPhase(o: IngressPhaseOptions): Promise<PhaseOutcome> {
  const backend = await startServer('backend');
  const bare = await startServer('bare', backend.port);
  const ingress = await startServer('ingress', backend.port);
  const rows: { concurrency: number; bare: Run[]; ingress: Run[] }[] = [];
  try {
    for (const concurrency of o.levels) {
      const row = { concurrency, bare: [] as Run[], ingress: [] as Run[] };
      for (let round = 0; round < ROUNDS; round++) {
        const b = await load(bare, concurrency, o);
        const i = await load(ingress, concurrency, o);
        row.bare.push(b);
        row.ingress.push(i);
        o.log(
          `c=${concurrency} round ${round + 1}: bare ${b.load.throughput.toFixed(0)}/s ${b.cpuUs.toFixed(0)} µs CPU/req, ingress ${i.load.throughput.toFixed(0)}/s ${i.cpuUs.toFixed(0)} µs CPU/req`,
        );
      }
      rows.push(row);
    }
  } finally {
    await Promise.all([ingress, bare, backend].map((s) => stopChild(s.child, 5_000)));
  }
  const sum = (rs: Run[]): number => rs.reduce((a, r) => a + r.load.throughput, 0);
  const cpu = (rs: Run[]): number => rs.reduce((a, r) => a + r.cpuUs, 0) / rs.length;
  const errors = rows.reduce((a, r) => a + [...r.bare, ...r.ingress].reduce((b, x) => b + x.load.errors, 0), 0);
  return {
    failed: errors > 0,
    print() {
      console.log(
        `ingress requests/s against a bare Node HTTP proxy (same backend, keep-alive), ${ROUNDS} alternating rounds; aim ≥ ${TARGET}×`,
      );
      for (const r of rows) {
        const ratio = sum(r.ingress) / sum(r.bare);
        const p50 = (rs: Run[]): string => (rs.reduce((a, x) => a + x.load.latency.p50, 0) / rs.length).toFixed(2);
        const side = (rs: Run[]): string =>
          `${(sum(rs) / ROUNDS).toFixed(0).padStart(6)}/s (p50 ${p50(rs)} ms, ${cpu(rs).toFixed(0)} µs CPU/req)`;
        console.log(
          `  c=${String(r.concurrency).padStart(3)}  bare ${side(r.bare)}  ingress ${side(r.ingress)}  ${ratio.toFixed(2)}× ${ratio >= TARGET ? 'ok' : 'BELOW AIM'}; CPU/req ${(cpu(r.ingress) / cpu(r.bare)).toFixed(2)}× the bare proxy's`,
        );
      }
      if (errors > 0) console.log(`  ${errors} failed requests`);
    },
  };
}
