/**
 * Removes what a containerd left running after it stopped (or crashed): its containers (every
 * process in their cgroups, and their init), its shims, the containers' cgroups, and every mount
 * under its root and state (rootfs overlays, shm, the pods' network namespaces). Found from its
 * own files, not by name, so nothing that belongs to another containerd is touched.
 *
 *   teardownContainerd(layout: Pick<ContainerdLayout, 'root' | 'state' | 'socket'>, options?: TeardownOptions): Promise<void>
 *   killStrayContainerd(layout: Pick<ContainerdLayout, 'pidFile' | 'config'>): Promise<number | undefined>   // the PID killed
 */
import { readdir, readFile, rmdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { unmountUnder } from '../mounts.js';
import type { ContainerdLayout } from './config.js';

interface RuncState {
  id: string;
  init_process_pid?: number;
  init_process_start?: number;
  cgroup_paths?: Record<string, string>;
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Field 22 of /proc/PID/stat (start time in clock ticks) and whether the process still runs (not a zombie). */
async function procStat(pid: number): Promise<{ start: number; alive: boolean } | undefined> {
  const stat = await readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { start: Number(fields[19]), alive: fields[0] !== 'Z' && fields[0] !== 'X' };
}

/** runc's state of every container under `state/runc/<namespace>/<id>`. */
async function runcStates(state: string): Promise<RuncState[]> {
  const root = join(state, 'runc');
  const out: RuncState[] = [];
  for (const ns of await readdir(root).catch(() => [])) {
    for (const id of await readdir(join(root, ns)).catch(() => [])) {
      const text = await readText(join(root, ns, id, 'state.json'));
      if (text) out.push(JSON.parse(text) as RuncState);
    }
  }
  return out;
}

/** Shims whose command line names this containerd's socket. */
async function shimPids(socket: string): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readText(`/proc/${entry}/cmdline`))?.split('\0') ?? [];
    const at = argv.indexOf('-address');
    if (at > 0 && argv[at + 1] === socket && basename(argv[0] ?? '').startsWith('containerd-shim')) out.push(Number(entry));
  }
  return out;
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitGone(pids: number[], signal?: AbortSignal): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const alive = await Promise.all(pids.map(async (pid) => (await procStat(pid))?.alive === true));
    if (!alive.includes(true)) return;
    await sleep(50, undefined, { signal });
  }
}

export interface TeardownOptions {
  signal?: AbortSignal;
  /** Told one line per thing removed: processes killed, cgroups and mounts removed (k8ts killall prints them). */
  report?: (line: string) => void;
}

export async function teardownContainerd(
  layout: Pick<ContainerdLayout, 'root' | 'state' | 'socket'>,
  options: TeardownOptions = {},
): Promise<void> {
  const report = options.report ?? (() => undefined);
  const killed: number[] = [];
  const cgroups: string[] = [];
  for (const container of await runcStates(layout.state)) {
    // Only the container's own cgroups (named after it): never a parent shared with anything else.
    const dirs = Object.values(container.cgroup_paths ?? {}).filter((dir) => basename(dir).includes(container.id));
    cgroups.push(...dirs);
    const pids: number[] = [];
    for (const dir of dirs) {
      for (const pid of ((await readText(join(dir, 'cgroup.procs'))) ?? '').split('\n').filter(Boolean).map(Number)) pids.push(pid);
    }
    // The init, if it is still the process runc started (its start time says so; PIDs are reused after a reboot).
    const pid = container.init_process_pid;
    if (pid && (await procStat(pid))?.start === container.init_process_start) pids.push(pid);
    const fresh = [...new Set(pids)].filter((p) => !killed.includes(p));
    if (fresh.length > 0) report(`killed container ${container.id} (pid ${fresh.join(', ')})`);
    killed.push(...fresh);
  }
  for (const pid of killed) kill(pid);
  await waitGone(killed, options.signal);
  const shims = await shimPids(layout.socket);
  for (const pid of shims) {
    kill(pid);
    report(`killed containerd-shim (pid ${pid})`);
  }
  await waitGone(shims, options.signal);
  // Children before parents; a cgroup empties a moment after its last process is reaped.
  for (const dir of [...new Set(cgroups)].sort((a, b) => b.length - a.length)) {
    for (let i = 0; i < 20; i++) {
      const err = await rmdir(dir).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => e,
      );
      if (!err) report(`removed cgroup ${dir}`);
      if (!err || err.code === 'ENOENT') break;
      await sleep(50, undefined, { signal: options.signal });
    }
  }
  await unmountUnder(layout.state, { ...options, report });
  await unmountUnder(layout.root, { ...options, report });
}

/**
 * Kills the containerd named by the layout's PID file if it still runs with this layout's config
 * (an agent that died left it); returns its PID. Its containers run on, for the next one to adopt.
 */
export async function killStrayContainerd(layout: Pick<ContainerdLayout, 'pidFile' | 'config'>): Promise<number | undefined> {
  const pid = Number((await readText(layout.pidFile))?.trim());
  if (!pid) return undefined;
  const argv = (await readText(`/proc/${pid}/cmdline`))?.split('\0') ?? [];
  if (!argv.includes(layout.config)) return undefined;
  kill(pid);
  await waitGone([pid]);
  return pid;
}
