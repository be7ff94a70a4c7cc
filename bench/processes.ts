/** Child-process helpers for the benchmarks: memory from /proc, free ports, stop by PID, build. */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { once } from 'node:events';

export interface ProcessMemory {
  /** VmRSS in MiB. */
  rssMiB: number;
  /** VmHWM (peak RSS) in MiB. */
  peakMiB: number;
  /** User + system CPU seconds the process has used so far (/proc/<pid>/stat). */
  cpuSeconds: number;
}

function statusField(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return ''; // not Linux, or the process is gone
  }
}

/** utime + stime from /proc/<pid>/stat, in seconds (clock ticks of 1/100 s on Linux). */
function cpuSeconds(stat: string): number {
  // the fields after the command name, which is in parentheses and may hold spaces
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return stat === '' ? Number.NaN : ticks / 100;
}

/** Reads /proc/<pid>/status and stat (Linux); NaN fields elsewhere. */
export function processMemory(pid: number): ProcessMemory {
  const status = readProc(pid, 'status');
  return { rssMiB: statusField(status, 'VmRSS'), peakMiB: statusField(status, 'VmHWM'), cpuSeconds: cpuSeconds(readProc(pid, 'stat')) };
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** SIGTERM to the child's PID, SIGKILL after `graceMs`; resolves when it exited. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Bundles the CLI (`node scripts/bundle.mjs`, what `npm run build` ends with; bin/k8ts.js runs
 * dist/k8ts.mjs) when the bundle is missing or older than src/. Returns a note for the report,
 * or undefined when the bundle was already current.
 */
export function ensureBuilt(repo: string): string | undefined {
  const entry = join(repo, 'dist', 'k8ts.mjs');
  const builtAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  if (builtAt >= newestMtime(join(repo, 'src'))) return undefined;
  const build = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: repo, encoding: 'utf8', timeout: 300_000 });
  if (build.status === 0) return 'bundled dist/k8ts.mjs (src/ was newer)';
  return `bundling dist/k8ts.mjs failed (${(build.stderr ?? '').trim().split('\n')[0] ?? ''}); running the previous bundle`;
}
