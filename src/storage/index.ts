/**
 * Choosing and opening the storage engine from the server's `--datastore-endpoint`
 * (the flag k3s uses for kine).
 *
 *   (none)               SQLite at <data-dir>/db/state.db
 *   sqlite://<path>      SQLite at that file (sqlite:///abs/path, sqlite://rel/path)
 *   sqlite:<path>        the same
 *   etcd://…, http(s)://…  an etcd cluster (not yet available)
 */

import { join, resolve } from 'node:path';
import type { Storage } from './interface.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';

export type { KeyValue, ListOptions, ListResult, Storage, WatchEvent, WatchHandler, WatchOptions } from './interface.js';
export { isStorageError, StorageError } from './interface.js';
export type { StorageErrorCode } from './interface.js';
export { openSqliteStorage, SqliteStorage } from './sqlite/sqlite-storage.js';
export type { SqliteStorageOptions } from './sqlite/sqlite-storage.js';

/** Where an endpoint points. */
export type StorageEndpoint = { readonly engine: 'sqlite'; readonly path: string };

const ETCD_SCHEMES = ['etcd:', 'etcds:', 'http:', 'https:'];

/** Parses a datastore endpoint; throws an Error naming the problem when it is not usable. */
export function parseStorageEndpoint(endpoint: string | undefined, dataDir: string): StorageEndpoint {
  const defaultPath = join(resolve(dataDir), 'db', 'state.db');
  if (endpoint === undefined || endpoint === '') return { engine: 'sqlite', path: defaultPath };
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(endpoint)?.[1]?.toLowerCase();
  if (scheme === 'sqlite:') {
    const rest = endpoint.slice(scheme.length);
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    return { engine: 'sqlite', path: path === '' ? defaultPath : resolve(path) };
  }
  if (scheme !== undefined && ETCD_SCHEMES.includes(scheme)) {
    throw new Error(`datastore endpoint ${endpoint}: etcd storage is not implemented yet; it comes in a later issue`);
  }
  throw new Error(
    `datastore endpoint ${JSON.stringify(endpoint)}: unsupported; use sqlite://<path>, or leave it empty for <data-dir>/db/state.db`,
  );
}

/** Opens the storage an endpoint names (undefined or '' is SQLite under `dataDir`). */
export async function openStorage(endpoint: string | undefined, dataDir: string): Promise<Storage> {
  const target = parseStorageEndpoint(endpoint, dataDir);
  return openSqliteStorage({ path: target.path });
}
