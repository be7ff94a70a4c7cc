/**
 * Startup time of `k8ts server` on a fresh data dir: from spawn() to the ready line on stdout,
 * and to the first `GET /readyz` that answers 200 (polled anonymously every few ms).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, stopChild } from './processes.js';

export interface StartupSample {
  /** ms from spawn to the first 200 from /readyz. */
  readyzMs: number;
  /** ms from spawn to the "k8ts ready:" line. */
  readyLineMs: number;
}

const POLL_INTERVAL_MS = 5;
const START_TIMEOUT_MS = 30_000;

function readyzOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One fresh start: a new data dir and port, measured, then stopped by PID and removed. */
export async function measureStartup(entry: string): Promise<StartupSample> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-start-'));
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [entry, 'server', '--data-dir', dataDir, '--secure-port', String(port), '--disable-agent'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let readyLineMs = Number.NaN;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (Number.isNaN(readyLineMs) && stdout.includes('k8ts ready:')) readyLineMs = performance.now() - t0;
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`k8ts server exited early: ${stderr.slice(0, 500)}`);
      if (performance.now() - t0 > START_TIMEOUT_MS) throw new Error(`k8ts server not ready in ${START_TIMEOUT_MS} ms`);
      if (await readyzOk(port)) break;
      await sleep(POLL_INTERVAL_MS);
    }
    const readyzMs = performance.now() - t0;
    // the ready line follows shortly after /readyz; wait for it a little
    for (let i = 0; i < 200 && Number.isNaN(readyLineMs); i++) await sleep(5);
    return { readyzMs, readyLineMs };
  } finally {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function measureStartups(entry: string, runs: number): Promise<StartupSample[]> {
  const samples: StartupSample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measureStartup(entry));
  return samples;
}
