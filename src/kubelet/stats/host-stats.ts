/**
 * The node's own usage, read from the host as cAdvisor reads the root cgroup's equivalents:
 * CPU time from /proc/stat (USER_HZ = 100 ticks a second), memory from /proc/meminfo and
 * /proc/vmstat (working set = used − inactive file pages), the file system of the kubelet's
 * data directory by statfs, and the process count from /proc/loadavg.
 */
import { readFile, statfs } from 'node:fs/promises';

const NANOS_PER_TICK = 1e9 / 100;

export interface HostCpu {
  /** Cumulative CPU time of every core, in nanoseconds (not idle, not iowait). */
  usageCoreNanoSeconds: number;
}

export interface HostMemory {
  availableBytes: number;
  usageBytes: number;
  workingSetBytes: number;
  rssBytes: number;
  pageFaults: number;
  majorPageFaults: number;
}

export interface HostFs {
  availableBytes: number;
  capacityBytes: number;
  usedBytes: number;
  inodesFree: number;
  inodes: number;
  inodesUsed: number;
}

/** Parses the aggregate `cpu` line of /proc/stat. */
export function parseProcStat(text: string): HostCpu {
  const fields = (text.split('\n').find((l) => l.startsWith('cpu ')) ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return { usageCoreNanoSeconds: (user + nice + system + irq + softirq + steal) * NANOS_PER_TICK };
}

/** Parses /proc/meminfo (kB values) and /proc/vmstat. */
export function parseMemory(meminfo: string, vmstat: string): HostMemory {
  const kb = (key: string): number => Number(new RegExp(`^${key.replace(/[()]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  const count = (key: string): number => Number(new RegExp(`^${key}\\s+(\\d+)`, 'm').exec(vmstat)?.[1] ?? 0);
  const usage = kb('MemTotal') - kb('MemFree');
  return {
    availableBytes: kb('MemAvailable'),
    usageBytes: usage,
    workingSetBytes: Math.max(0, usage - kb('Inactive(file)')),
    rssBytes: kb('AnonPages'),
    pageFaults: count('pgfault'),
    majorPageFaults: count('pgmajfault'),
  };
}

export async function hostCpu(): Promise<HostCpu> {
  return parseProcStat(await readFile('/proc/stat', 'utf8'));
}

export async function hostMemory(): Promise<HostMemory> {
  const [meminfo, vmstat] = await Promise.all([readFile('/proc/meminfo', 'utf8'), readFile('/proc/vmstat', 'utf8')]);
  return parseMemory(meminfo, vmstat);
}

export async function hostFs(path: string): Promise<HostFs> {
  const s = await statfs(path);
  return {
    availableBytes: s.bavail * s.bsize,
    capacityBytes: s.blocks * s.bsize,
    usedBytes: (s.blocks - s.bfree) * s.bsize,
    inodesFree: s.ffree,
    inodes: s.files,
    inodesUsed: s.files - s.ffree,
  };
}

/** rlimit: the kernel's pid_max and the number of processes. */
export async function hostRlimit(): Promise<{ maxpid: number; curproc: number }> {
  const [pidMax, loadavg] = await Promise.all([readFile('/proc/sys/kernel/pid_max', 'utf8'), readFile('/proc/loadavg', 'utf8')]);
  return { maxpid: Number(pidMax.trim()), curproc: Number(loadavg.split(' ')[3]?.split('/')[1] ?? 0) };
}

/** When the machine booted (btime of /proc/stat), epoch ms. */
export async function hostBootTime(): Promise<number> {
  return Number(/^btime (\d+)/m.exec(await readFile('/proc/stat', 'utf8'))?.[1] ?? 0) * 1000;
}
