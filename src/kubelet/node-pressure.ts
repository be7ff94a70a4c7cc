/**
 * The machine's pressure conditions, as upstream's eviction manager observes them against its
 * hard thresholds (eviction defaults for Linux): memory.available < 100Mi (MemAvailable from
 * /proc/meminfo), nodefs.available < 10% and nodefs.inodesFree < 5% (the file system holding the
 * node's data dir, which holds containerd's images too, so imagefs is the same file system).
 * PIDPressure: upstream has no default pid.available threshold; k8ts uses 5% of the kernel's
 * pid_max, so a machine running out of PIDs is seen. Only the conditions are reported (the node
 * lifecycle controller taints the node from them); evicting pods is not done yet.
 *
 *   machinePressure(dataDir: string): Promise<NodePressure>
 *   pressureFrom(observed: MachineObservation): NodePressure
 */
import { readdir, readFile, statfs } from 'node:fs/promises';

export interface NodePressure {
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
}

/** What the eviction manager's signals are computed from. */
export interface MachineObservation {
  memAvailableBytes: number;
  fs: { blocks: number; bavail: number; files: number; ffree: number };
  pidMax: number;
  processes: number;
}

const MEMORY_AVAILABLE_MIN = 100 * 1024 * 1024;
const NODEFS_AVAILABLE_MIN = 0.1;
const NODEFS_INODES_FREE_MIN = 0.05;
const PID_AVAILABLE_MIN = 0.05;

export function pressureFrom(o: MachineObservation): NodePressure {
  const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 1);
  return {
    memoryPressure: o.memAvailableBytes < MEMORY_AVAILABLE_MIN,
    diskPressure: ratio(o.fs.bavail, o.fs.blocks) < NODEFS_AVAILABLE_MIN || ratio(o.fs.ffree, o.fs.files) < NODEFS_INODES_FREE_MIN,
    pidPressure: ratio(o.pidMax - o.processes, o.pidMax) < PID_AVAILABLE_MIN,
  };
}

async function memAvailableBytes(): Promise<number> {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(await readFile('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.POSITIVE_INFINITY;
}

/** Threads count against pid_max: the tasks of every process. */
async function processCount(): Promise<number> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e));
  let tasks = 0;
  for (const pid of pids) tasks += (await readdir(`/proc/${pid}/task`).catch(() => [''])).length;
  return tasks;
}

export async function machinePressure(dataDir: string): Promise<NodePressure> {
  const [mem, fs, pidMax, processes] = await Promise.all([
    memAvailableBytes(),
    statfs(dataDir),
    readFile('/proc/sys/kernel/pid_max', 'utf8').then(Number),
    processCount(),
  ]);
  return pressureFrom({ memAvailableBytes: mem, fs, pidMax, processes });
}
