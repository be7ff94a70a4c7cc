/**
 * The audit log backend (upstream plugin/pkg/audit/log with lumberjack rotation): events as JSON
 * lines to a file or, for `-`, to stdout. Writes never wait in the request path: lines go to a
 * bounded in-memory buffer that one writer drains asynchronously, 10 ms of events per write; when
 * the buffer is full, events are dropped and counted (upstream's "audit buffer queue blocked"),
 * never their content logged.
 * A file over maxSize MB is renamed to name-<UTC time>.ext and a new one begun; backups beyond
 * maxBackups or older than maxAge days are removed (0: keep them).
 */
import { open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { AuditEvent, AuditSink } from './interface.js';
import { eventLine } from './event-fields.js';

export interface LogBackendOptions {
  /** A file path, or `-` for stdout. */
  path: string;
  /** --audit-log-maxsize: megabytes before rotation (0: lumberjack's 100). */
  maxSizeMB?: number;
  /** --audit-log-maxbackup: old files kept (0: all). */
  maxBackups?: number;
  /** --audit-log-maxage: days old files are kept (0: forever). */
  maxAgeDays?: number;
  /** Bytes that may wait to be written before events are dropped (default 16 MiB). */
  bufferBytes?: number;
  /** Where the backend reports its own failures (never event content). */
  log?: (message: string) => void;
}

const MB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long events wait to be written together. */
const BATCH_MS = 10;

/** lumberjack's backup name: name-2006-01-02T15-04-05.000.ext in UTC. */
export function backupName(path: string, at: Date): string {
  const ext = extname(path);
  const prefix = basename(path, ext);
  const stamp = at.toISOString().replace(/:/g, '-').replace('Z', '');
  return join(dirname(path), `${prefix}-${stamp}${ext}`);
}

export class LogBackend implements AuditSink {
  readonly #options: LogBackendOptions;
  readonly #maxSize: number;
  readonly #bufferBytes: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #dropped = 0;
  #file: FileHandle | undefined;
  #size = 0;
  #writing: Promise<void> | undefined;
  #closed = false;

  constructor(options: LogBackendOptions) {
    this.#options = options;
    this.#maxSize = (options.maxSizeMB || 100) * MB;
    this.#bufferBytes = options.bufferBytes ?? 16 * MB;
  }

  processEvent(event: AuditEvent): void {
    if (this.#closed) return;
    const line = eventLine(event);
    if (this.#pendingBytes + line.length > this.#bufferBytes) {
      this.#dropped++;
      return;
    }
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
      if (this.#pending.length > 0 && !this.#closed) this.#writing = this.#drain();
    });
  }

  /** Resolves when everything accepted so far is written. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    await this.#file?.close();
    this.#file = undefined;
  }

  async #drain(): Promise<void> {
    // gather the events of a few milliseconds into one write
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
    while (this.#pending.length > 0) {
      const chunk = this.#pending.join('');
      this.#pending = [];
      this.#pendingBytes = 0;
      try {
        await this.#write(chunk);
      } catch (err) {
        this.#options.log?.(
          `audit: writing ${this.#options.path} failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
      if (this.#dropped > 0) {
        this.#options.log?.(`audit: buffer full, ${this.#dropped} audit events dropped`);
        this.#dropped = 0;
      }
    }
  }

  async #write(chunk: string): Promise<void> {
    if (this.#options.path === '-') {
      await new Promise<void>((resolve) => (process.stdout.write(chunk) ? resolve() : process.stdout.once('drain', resolve)));
      return;
    }
    const bytes = Buffer.byteLength(chunk);
    if (!this.#file) await this.#openFile();
    if (this.#size > 0 && this.#size + bytes > this.#maxSize) await this.#rotate();
    await this.#file?.write(chunk);
    this.#size += bytes;
  }

  async #openFile(): Promise<void> {
    this.#file = await open(this.#options.path, 'a', 0o600);
    this.#size = (await this.#file.stat()).size;
  }

  async #rotate(): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
    await rename(this.#options.path, backupName(this.#options.path, new Date()));
    await this.#openFile();
    await this.#removeOldBackups();
  }

  async #removeOldBackups(): Promise<void> {
    const { maxBackups = 0, maxAgeDays = 0 } = this.#options;
    if (maxBackups <= 0 && maxAgeDays <= 0) return;
    const path = this.#options.path;
    const ext = extname(path);
    const prefix = `${basename(path, ext)}-`;
    const names = (await readdir(dirname(path))).filter((n) => n.startsWith(prefix) && n.endsWith(ext) && n !== basename(path));
    // the timestamp in the name sorts oldest first
    names.sort();
    const doomed = new Set<string>(maxBackups > 0 ? names.slice(0, Math.max(0, names.length - maxBackups)) : []);
    if (maxAgeDays > 0) {
      const cutoff = Date.now() - maxAgeDays * DAY_MS;
      for (const n of names) if ((await stat(join(dirname(path), n))).mtimeMs < cutoff) doomed.add(n);
    }
    await Promise.all([...doomed].map((n) => unlink(join(dirname(path), n)).catch(() => undefined)));
  }
}
