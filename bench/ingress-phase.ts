/**
 * The ingress bench (issue 14): requests per second through k8ts' ingress proxy against a bare
 * Node HTTP proxy in the same run — same backend, same keep-alive to it, each server in a process
 * of its own (ingress-server.ts), the load in this process over keep-alive connections,
 * everything on 127.0.0.1. Bare and ingress runs alternate (three rounds per concurrency) so drift on
 * a shared machine hits both; the ratio is of the rounds' summed requests per second. Aim ≥ 0.7×.
 *
 *   runIngressPhase({ maxMs, maxOps, levels, log }): Promise<PhaseOutcome>
 */
import { type ChildProcess, spawn } from 'node:child_process';
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

/** GETs through the proxy on `port` as host bench-25.example with `concurrency` keep-alive clients. */
async function load(port: number, concurrency: number, o: IngressPhaseOptions): Promise<LoadResult> {
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
    return await runLoad({ concurrency, maxOps: o.maxOps, maxMs: o.maxMs, op });
  } finally {
    agent.destroy();
  }
}

export async function runIngressPhase(o: IngressPhaseOptions): Promise<PhaseOutcome> {
  const backend = await startServer('backend');
  const bare = await startServer('bare', backend.port);
  const ingress = await startServer('ingress', backend.port);
  const rows: { concurrency: number; bare: LoadResult[]; ingress: LoadResult[] }[] = [];
  try {
    for (const concurrency of o.levels) {
      const row = { concurrency, bare: [] as LoadResult[], ingress: [] as LoadResult[] };
      for (let round = 0; round < ROUNDS; round++) {
        row.bare.push(await load(bare.port, concurrency, o));
        row.ingress.push(await load(ingress.port, concurrency, o));
        o.log(
          `c=${concurrency} round ${round + 1}: bare ${row.bare.at(-1)?.throughput.toFixed(0)}/s, ingress ${row.ingress.at(-1)?.throughput.toFixed(0)}/s`,
        );
      }
      rows.push(row);
    }
  } finally {
    await Promise.all([ingress, bare, backend].map((s) => stopChild(s.child, 5_000)));
  }
  const sum = (rs: LoadResult[]): number => rs.reduce((a, r) => a + r.throughput, 0);
  const errors = rows.reduce((a, r) => a + [...r.bare, ...r.ingress].reduce((b, x) => b + x.errors, 0), 0);
  return {
    failed: errors > 0,
    print() {
      console.log(
        `ingress requests/s against a bare Node HTTP proxy (same backend, keep-alive), ${ROUNDS} alternating rounds; aim ≥ ${TARGET}×`,
      );
      for (const r of rows) {
        const ratio = sum(r.ingress) / sum(r.bare);
        const p50 = (rs: LoadResult[]): string => (rs.reduce((a, x) => a + x.latency.p50, 0) / rs.length).toFixed(2);
        console.log(
          `  c=${String(r.concurrency).padStart(3)}  bare ${(sum(r.bare) / ROUNDS).toFixed(0).padStart(6)}/s (p50 ${p50(r.bare)} ms)  ingress ${(sum(r.ingress) / ROUNDS).toFixed(0).padStart(6)}/s (p50 ${p50(r.ingress)} ms)  ${ratio.toFixed(2)}× ${ratio >= TARGET ? 'ok' : 'BELOW AIM'}`,
        );
      }
      if (errors > 0) console.log(`  ${errors} failed requests`);
    },
  };
}
