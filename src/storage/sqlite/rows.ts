/** Turning log rows into the contract's values. */

import type { KeyValue, WatchEvent } from '../interface.js';
import type { HistoryRow, LogRow } from './schema.js';

/** A created row keeps create_revision 0 (kine's way): its own id is the create revision. */
export function createRevisionOf(row: LogRow): number {
  return row.created ? row.id : row.create_revision;
}

/** The key's value as written by `row` (for a tombstone: the value it deleted). */
export function toKeyValue(row: LogRow): KeyValue {
  return { key: row.name, value: row.value, createRevision: createRevisionOf(row), modRevision: row.id };
}

/** The key's value just before `row` was written, if it had one. */
export function previousKeyValue(row: LogRow, prevValue: string | null): KeyValue | undefined {
  if (row.created || row.prev_revision === 0) return undefined;
  const value = row.deleted ? row.value : prevValue;
  if (value === null) return undefined;
  return { key: row.name, value, createRevision: row.create_revision, modRevision: row.prev_revision };
}

/** The change `row` recorded, as a watcher sees it. */
export function toWatchEvent(row: HistoryRow): WatchEvent {
  const prevKv = previousKeyValue(row, row.prev_value);
  const event = { type: row.deleted ? 'DELETE' : 'PUT', revision: row.id, kv: toKeyValue(row) } as const;
  return prevKv ? { ...event, prevKv } : event;
}
