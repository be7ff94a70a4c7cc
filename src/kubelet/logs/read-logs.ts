/**
 * Reading a container's CRI log file for `kubectl logs` (upstream kuberuntime/logs/logs.go
 * ReadLogs): --tail (the last N lines of the file), --since/--since-time, --timestamps,
 * --limit-bytes, and --follow, which goes on reading as the runtime appends, follows the file
 * across a rotation (rename + ReopenContainerLog) and ends once the container is no longer
 * running and everything it wrote has been read.
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import { formatLogTimestamp, parseCriLogLine } from './cri-log.js';

export interface ContainerLogOptions {
  follow?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  /** Epoch ms: only lines at or after it. */
  since?: number;
  limitBytes?: number;
}

export interface FollowContext {
  /** Whether the container is still running (following ends once it is not). */
  isRunning(): Promise<boolean>;
  signal: AbortSignal;
  /** How often to look for more output; default 200 ms. */
  pollMs?: number;
}

/** Writes the lines to `out` as the options say, until --limit-bytes is reached. */
class LogWriter {
  #left: number;
  #atLineStart = true;
  constructor(
    readonly out: Writable,
    readonly opts: ContainerLogOptions,
  ) {
    this.#left = opts.limitBytes ?? Number.POSITIVE_INFINITY;
  }

  get done(): boolean {
    return this.#left <= 0;
  }

  /** Writes one file line; resolves when the sink can take more. */
  async line(raw: string): Promise<void> {
    const entry = parseCriLogLine(raw);
    if (!entry || this.done) return;
    if (this.opts.since !== undefined && entry.time < this.opts.since) return;
    // a partial line's continuation gets no timestamp of its own
    const text = this.opts.timestamps && this.#atLineStart ? `${formatLogTimestamp(entry.timestamp)} ${entry.log}` : entry.log;
    this.#atLineStart = entry.log.endsWith('\n');
    const whole = Buffer.from(text);
    const bytes = whole.length > this.#left ? whole.subarray(0, this.#left) : whole;
    this.#left -= bytes.length;
    if (!this.out.write(bytes) && !this.out.destroyed) await new Promise((resolve) => this.out.once('drain', resolve));
  }
}

/** The byte offset where the last `n` lines of `buf` start. */
export function tailOffset(buf: Buffer, n: number): number {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0a) end--;
  let count = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (buf[i] === 0x0a && ++count === n) return i + 1;
  }
  return n === 0 ? buf.length : 0;
}

async function readAll(fh: FileHandle, from: number): Promise<Buffer> {
  const { size } = await fh.stat();
  const buf = Buffer.alloc(Math.max(0, size - from));
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Reads the log at `path` into `out` (which it does not end). */
export async function readContainerLogs(path: string, opts: ContainerLogOptions, out: Writable, follow?: FollowContext): Promise<void> {
  const writer = new LogWriter(out, opts);
  let fh = await openIfExists(path);
  let position = 0;
  let pending = '';
  // `read`: bytes already read from `position` on (the tail's own read, so lines written since
  // do not join the last N)
  const drain = async (read?: Buffer): Promise<number> => {
    if (!fh) return 0;
    const buf = read ?? (await readAll(fh, position));
    position += buf.length;
    const text = pending + buf.toString('utf8');
    const lines = text.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (writer.done) break;
      await writer.line(line);
    }
    return buf.length;
  };
  try {
    let tail: Buffer | undefined;
    if (fh && opts.tailLines !== undefined) {
      const all = await readAll(fh, 0);
      position = tailOffset(all, opts.tailLines);
      tail = all.subarray(position);
    }
    await drain(tail);
    if (!opts.follow || !follow) return;
    const pollMs = follow.pollMs ?? 200;
    while (!writer.done && !follow.signal.aborted && !out.destroyed) {
      if ((await drain()) > 0) continue;
      // rotated: finish the old file, then start on the new one from its beginning
      const current = await stat(path).catch(() => undefined);
      const own = fh ? await fh.stat() : undefined;
      if (current && (!own || current.ino !== own.ino)) {
        await drain();
        await fh?.close();
        fh = await openIfExists(path);
        position = 0;
        pending = '';
        continue;
      }
      if (!(await follow.isRunning())) {
        await drain();
        return;
      }
      await sleep(pollMs, undefined, { signal: follow.signal }).catch(() => undefined);
    }
  } finally {
    await fh?.close();
  }
}

/** The same for a log held in memory (simulated containers): no following. */
export async function writeContainerLogText(text: string, opts: ContainerLogOptions, out: Writable): Promise<void> {
  const buf = Buffer.from(text);
  const start = opts.tailLines === undefined ? 0 : tailOffset(buf, opts.tailLines);
  const writer = new LogWriter(out, opts);
  for (const line of buf.subarray(start).toString('utf8').split('\n')) {
    if (line === '' || writer.done) continue;
    await writer.line(line);
  }
}
