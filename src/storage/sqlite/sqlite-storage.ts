/**
 * The storage contract on one SQLite file, in the manner of kine (k3s): an append-only log
 * whose row ids are the revisions (see schema.ts), read and written with prepared
 * statements over one better-sqlite3 connection.
 *
 * Every write is one synchronous IMMEDIATE transaction; its watchers are notified right
 * after the commit, synchronously and in commit order. The process is assumed to be the
 * only writer of the file (the revision is cached in memory).
 */

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { CountOptions, KeyValue, ListOptions, ListResult, Storage, WatchEvent, WatchHandler, WatchOptions } from '../interface.js';
import { StorageError } from '../interface.js';
import { openDatabase } from './open.js';
import type { SqliteSynchronous } from './open.js';
import { prefixEnd } from './prefix.js';
import { toKeyValue, toWatchEvent } from './rows.js';
import { SQL } from './schema.js';
import type { HistoryRow, LogRow } from './schema.js';
import { WatchHub } from './watch-hub.js';

export interface SqliteStorageOptions {
  /** The database file (its directory is created), or ':memory:'. */
  readonly path: string;
  /** Commit durability, see open.ts. Default 'NORMAL' (survives process crashes). */
  readonly synchronous?: SqliteSynchronous;
}

/** Revisions compacted per transaction, so a large compaction never blocks the loop long. */
const COMPACT_BATCH = 10_000;
/** Rows per history batch handed to a new watcher. */
const HISTORY_BATCH = 1_000;

interface Range {
  readonly lo: string;
  readonly hi?: string;
}

type Statement<R> = Database.Statement<unknown[], R>;

function prepareAll(db: Database.Database) {
  const stmt = <R>(sql: string): Statement<R> => db.prepare<unknown[], R>(sql);
  return {
    currentRevision: stmt<{ seq: number }>(SQL.currentRevision),
    compactedRevision: stmt<{ prev_revision: number }>(SQL.compactedRevision),
    setCompactedRevision: stmt<never>(SQL.setCompactedRevision),
    latest: stmt<LogRow>(SQL.latest),
    latestAt: stmt<LogRow>(SQL.latestAt),
    insert: stmt<never>(SQL.insert),
    list: [stmt<LogRow>(SQL.list(false)), stmt<LogRow>(SQL.list(true))] as const,
    count: [stmt<{ n: number }>(SQL.count(false)), stmt<{ n: number }>(SQL.count(true))] as const,
    history: [stmt<HistoryRow>(SQL.history(false)), stmt<HistoryRow>(SQL.history(true))] as const,
    compact: stmt<never>(SQL.compact),
  };
}

/** Opens (creating if needed) the SQLite storage at `options.path`. */
export async function openSqliteStorage(options: SqliteStorageOptions): Promise<SqliteStorage> {
  return new SqliteStorage(options);
}

interface PendingWrite {
  change: () => { revision: number; event: WatchEvent };
  resolve: (revision: number) => void;
  reject: (err: unknown) => void;
}

export class SqliteStorage implements Storage {
  #db: Database.Database | undefined;
  readonly #stmts: ReturnType<typeof prepareAll>;
  readonly #run: Database.Transaction<(fn: () => unknown) => unknown>;
  readonly #hub = new WatchHub();
  #pending: PendingWrite[] = [];
  #revision: number;
  #compacted: number;

  constructor(options: SqliteStorageOptions) {
    const db = openDatabase(options);
    this.#db = db;
    this.#stmts = prepareAll(db);
    this.#run = db.transaction((fn: () => unknown) => fn());
    this.#revision = this.#stmts.currentRevision.get()?.seq ?? 0;
    this.#compacted = this.#stmts.compactedRevision.get()?.prev_revision ?? 0;
  }

  async currentRevision(): Promise<number> {
    this.#open();
    return this.#revision;
  }

  async compactedRevision(): Promise<number> {
    this.#open();
    return this.#compacted;
  }

  async create(key: string, value: string): Promise<number> {
    return this.#write(() => {
      const latest = this.#stmts.latest.get(key);
      if (latest && !latest.deleted) throw new StorageError('KeyExists', `key "${key}" already exists`);
      const revision = this.#insert(key, 1, 0, 0, latest?.id ?? 0, value);
      const kv: KeyValue = { key, value, createRevision: revision, modRevision: revision };
      return { revision, event: { type: 'PUT', revision, kv } };
    });
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    this.#open();
    const row = revision === undefined ? this.#stmts.latest.get(key) : this.#stmts.latestAt.get(key, this.#readRevision(revision));
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.#open();
    const revision = options.revision === undefined ? this.#revision : this.#readRevision(options.revision);
    const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : 0;
    const range = rangeOf(prefix);
    const rows = this.#stmts.list[range.hi === undefined ? 0 : 1].all({
      ...range,
      after: options.startAfter ?? '',
      rev: revision,
      limit: limit > 0 ? limit + 1 : -1,
    });
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows.map(toKeyValue), revision, more };
  }

  async count(prefix: string, options: CountOptions = {}): Promise<number> {
    this.#open();
    const revision = options.revision === undefined ? this.#revision : this.#readRevision(options.revision);
    const range = rangeOf(prefix);
    return this.#stmts.count[range.hi === undefined ? 0 : 1].get({ ...range, after: options.startAfter ?? '', rev: revision })?.n ?? 0;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    return this.#write(() => {
      const latest = this.#current(key, expectedModRevision);
      const prevKv = toKeyValue(latest);
      const revision = this.#insert(key, 0, 0, prevKv.createRevision, latest.id, value);
      const kv: KeyValue = { key, value, createRevision: prevKv.createRevision, modRevision: revision };
      return { revision, event: { type: 'PUT', revision, kv, prevKv } };
    });
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }> {
    let deleted: KeyValue | undefined;
    const revision = await this.#write(() => {
      const latest = this.#current(key, expectedModRevision);
      const prevKv = toKeyValue(latest);
      deleted = prevKv;
      const revision = this.#insert(key, 0, 1, prevKv.createRevision, latest.id, latest.value);
      return { revision, event: { type: 'DELETE', revision, kv: { ...prevKv, modRevision: revision }, prevKv } };
    });
    return { kv: deleted as KeyValue, revision };
  }

  async watch(options: WatchOptions, handler: WatchHandler): Promise<void> {
    this.#open();
    const { prefix, signal } = options;
    if (signal.aborted) return;
    if (options.afterRevision < this.#compacted) {
      throw new StorageError(
        'Compacted',
        `watch from revision ${options.afterRevision + 1}: history up to ${this.#compacted} has been compacted`,
      );
    }
    const range = rangeOf(prefix);
    const history = this.#stmts.history[range.hi === undefined ? 0 : 1];
    let after = options.afterRevision;
    // Replay until caught up; a handler that writes only extends the history we read next.
    for (;;) {
      const rows = history.all({ ...range, after, limit: HISTORY_BATCH });
      const last = rows[rows.length - 1];
      if (last === undefined) break;
      handler(rows.map(toWatchEvent));
      if (signal.aborted || this.#db === undefined) return;
      after = last.id;
    }
    this.#hub.add({ prefix, signal, handler, afterRevision: Math.max(after, this.#revision) });
  }

  async compact(revision: number): Promise<void> {
    this.#open();
    const target = Math.min(revision, this.#revision);
    while (this.#compacted < target) {
      const lo = this.#compacted;
      const hi = Math.min(lo + COMPACT_BATCH, target);
      this.#transaction(() => {
        this.#stmts.compact.run({ lo, hi });
        this.#stmts.setCompactedRevision.run(hi);
      });
      this.#compacted = hi;
      if (hi < target) await yieldToLoop();
      this.#open();
    }
  }

  async close(): Promise<void> {
    const db = this.#db;
    if (db === undefined) return;
    this.#db = undefined;
    this.#hub.close();
    db.close();
  }

  #open(): Database.Database {
    if (this.#db === undefined) throw new StorageError('Unavailable', 'sqlite storage is closed');
    return this.#db;
  }

  /** The revision to read at; Compacted below the compacted revision, the current one above it. */
  #readRevision(revision: number): number {
    if (revision < this.#compacted) {
      throw new StorageError('Compacted', `revision ${revision} has been compacted (compacted up to ${this.#compacted})`);
    }
    return Math.min(revision, this.#revision);
  }

  /** The live row of `key`, checked against an expected mod revision. */
  #current(key: string, expectedModRevision: number | undefined): LogRow {
    const latest = this.#stmts.latest.get(key);
    if (latest === undefined || latest.deleted) throw new StorageError('KeyNotFound', `key "${key}" not found`);
    if (expectedModRevision !== undefined && latest.id !== expectedModRevision) {
      throw new StorageError('Conflict', `key "${key}" is at mod revision ${latest.id}, not ${expectedModRevision}`, toKeyValue(latest));
    }
    return latest;
  }

  #insert(key: string, created: 0 | 1, deleted: 0 | 1, createRevision: number, prev: number, value: string): number {
    return Number(this.#stmts.insert.run(key, created, deleted, createRevision, prev, value).lastInsertRowid);
  }

  /**
   * Queues `change` for the next group commit. Writes that arrive in the same turn of the event
   * loop are committed in one transaction; every promise settles after the commit, and the
   * watchers hear of the changes in revision order before any promise resolves. A change that
   * fails (KeyExists, Conflict) does so in its checks, before it writes a row, so it needs no
   * savepoint to leave the others alone; a failing statement is undone by SQLite on its own.
   */
  #write(change: () => { revision: number; event: WatchEvent }): Promise<number> {
    this.#open();
    return new Promise((resolve, reject) => {
      this.#pending.push({ change, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    let outcomes: ({ ok: { revision: number; event: WatchEvent } } | { err: unknown })[];
    try {
      outcomes = this.#transaction(() =>
        batch.map((item) => {
          try {
            return { ok: item.change() };
          } catch (err) {
            return { err };
          }
        }),
      );
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    outcomes.forEach((outcome, i) => {
      if ('ok' in outcome) {
        this.#revision = outcome.ok.revision;
        this.#hub.publish(outcome.ok.event);
      }
      const item = batch[i];
      if (!item) return;
      if ('ok' in outcome) item.resolve(outcome.ok.revision);
      else item.reject(outcome.err);
    });
  }

  #transaction<T>(fn: () => T): T {
    this.#open();
    try {
      return this.#run.immediate(fn) as T;
    } catch (err) {
      if (err instanceof Database.SqliteError) {
        throw new StorageError('Unavailable', `sqlite: ${err.code}: ${err.message}`);
      }
      throw err;
    }
  }
}

function rangeOf(prefix: string): Range {
  const hi = prefixEnd(prefix);
  return hi === undefined ? { lo: prefix } : { lo: prefix, hi };
}
