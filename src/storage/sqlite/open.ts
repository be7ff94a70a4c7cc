/**
 * Opening the SQLite file: its directory (0700), the file itself (0600), the pragmas, and
 * the schema.
 *
 * Durability: WAL with synchronous=NORMAL. A commit is appended to the WAL with a write()
 * before better-sqlite3 returns, so once a write is acknowledged it sits in the kernel's
 * page cache and survives kill -9 (or any crash) of this process; only a power loss or
 * kernel crash can drop the last commits, never corrupt the file. `synchronous: 'FULL'`
 * fsyncs the WAL on every commit for machines where that matters, at a large cost in
 * writes per second.
 */

import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CREATE_SCHEMA, SCHEMA_VERSION } from './schema.js';

export type SqliteSynchronous = 'NORMAL' | 'FULL';

export interface OpenDatabaseOptions {
  /** The database file, or ':memory:'. */
  readonly path: string;
  /** Commit durability; see the module comment. Default 'NORMAL'. */
  readonly synchronous?: SqliteSynchronous;
}

const IN_MEMORY = ':memory:';

/** Creates the directory and file with owner-only modes, then opens and migrates it. */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  const { path } = options;
  if (path !== IN_MEMORY) prepareFile(path);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32000');
    db.pragma('temp_store = MEMORY');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function prepareFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Create the file ourselves so it is never, even briefly, readable by others. SQLite
  // gives the -wal and -shm files the mode of the database file.
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number' || version > SCHEMA_VERSION) {
    throw new Error(`sqlite storage: schema version ${String(version)} is newer than ${SCHEMA_VERSION}`);
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(CREATE_SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
