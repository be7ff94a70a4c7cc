/**
 * Container log rotation (upstream pkg/kubelet/logs/container_log_manager.go): every 10 s, a
 * running container whose log file reached containerLogMaxSize (10 Mi) is rotated — the file is
 * renamed to `<log>.<YYYYMMDD-hhmmss>` and the runtime reopens the log (CRI ReopenContainerLog;
 * if that fails the rename is undone) — keeping containerLogMaxFiles (5) files per container,
 * the current one included, by removing the oldest rotated ones first.
 */
import { readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeService } from '../runtime/interface.js';

export const CONTAINER_LOG_MAX_SIZE = 10 * 1024 * 1024;
export const CONTAINER_LOG_MAX_FILES = 5;

export interface ContainerLogManagerOptions {
  runtime: Pick<RuntimeService, 'listContainers' | 'containerStatus' | 'reopenContainerLog'>;
  maxSize?: number;
  maxFiles?: number;
  intervalMs?: number;
  now?: () => number;
  onError?: (message: string) => void;
}

/** The rotated file's suffix: the UTC time as Go's "20060102-150405". */
export function rotationSuffix(ms: number): string {
  return new Date(ms).toISOString().replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}).*$/, '$1$2$3-$4$5$6');
}

/** The rotated files of a log, oldest first. */
async function rotatedLogs(logPath: string): Promise<string[]> {
  const prefix = `${basename(logPath)}.`;
  const names = await readdir(dirname(logPath)).catch(() => [] as string[]);
  return names
    .filter((n) => n.startsWith(prefix) && !n.endsWith('.tmp'))
    .sort()
    .map((n) => join(dirname(logPath), n));
}

/** Rotates one container's log if it is due. */
async function rotateIfDue(o: Required<Omit<ContainerLogManagerOptions, 'onError'>>, id: string): Promise<void> {
  const { logPath } = await o.runtime.containerStatus(id);
  if (!logPath) return;
  const info = await stat(logPath).catch(() => undefined);
  if (!info || info.size < o.maxSize) return;
  const rotated = await rotatedLogs(logPath);
  for (const old of rotated.slice(0, Math.max(0, rotated.length - (o.maxFiles - 2)))) await unlink(old).catch(() => undefined);
  const target = `${logPath}.${rotationSuffix(o.now())}`;
  await rename(logPath, target);
  try {
    await o.runtime.reopenContainerLog(id);
  } catch (err) {
    await rename(target, logPath).catch(() => undefined);
    throw err;
  }
}

/** One pass over the running containers. */
export async function rotateContainerLogs(options: ContainerLogManagerOptions): Promise<void> {
  const o = {
    runtime: options.runtime,
    maxSize: options.maxSize ?? CONTAINER_LOG_MAX_SIZE,
    maxFiles: Math.max(2, options.maxFiles ?? CONTAINER_LOG_MAX_FILES),
    intervalMs: options.intervalMs ?? 10_000,
    now: options.now ?? Date.now,
  };
  for (const c of await o.runtime.listContainers({ state: 'CONTAINER_RUNNING' })) {
    await rotateIfDue(o, c.id).catch((err: Error) => options.onError?.(`rotating the log of container ${c.id}: ${err.message}`));
  }
}

/** Rotates every `intervalMs` until the signal aborts. */
export async function runContainerLogManager(options: ContainerLogManagerOptions, signal: AbortSignal): Promise<void> {
  const interval = options.intervalMs ?? 10_000;
  while (!signal.aborted) {
    await sleep(interval, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
    await rotateContainerLogs(options).catch((err: Error) => options.onError?.(`container log rotation: ${err.message}`));
  }
}
