/**
 * The revisioned key/value contract every storage engine implements (DESIGN.md rule 3).
 *
 * It is the etcd contract, reduced to what the apiserver needs: one global revision that
 * grows by one per write, compare-and-swap on a key's mod revision, a watch that replays
 * history from a revision, and compaction of that history. `resourceVersion` in the API is
 * the revision. Keys look like `/registry/<resource>/<namespace>/<name>`; values are the
 * serialized objects (JSON text).
 */

/** One stored key at one revision. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision of the write that created this key (since its last deletion). */
  readonly createRevision: number;
  /** Revision of the last write to this key. */
  readonly modRevision: number;
}

/** One change seen by a watcher. */
export interface WatchEvent {
  readonly type: 'PUT' | 'DELETE';
  /** The revision of this change. */
  readonly revision: number;
  /** PUT: the new value. DELETE: the value just before deletion, with modRevision = `revision`. */
  readonly kv: KeyValue;
  /** The value before this change, when there was one. */
  readonly prevKv?: KeyValue;
}

export interface ListOptions {
  /** At most this many items; 0 or undefined means no limit. */
  readonly limit?: number;
  /** Only keys strictly greater than this one (the `continue` position). */
  readonly startAfter?: string;
  /** Read as of this revision; undefined means the current one. Throws Compacted if too old. */
  readonly revision?: number;
}

/** What `count` counts: ListOptions without a limit. */
export type CountOptions = Omit<ListOptions, 'limit'>;

export interface ListResult {
  readonly items: KeyValue[];
  /** The revision the list was read at. */
  readonly revision: number;
  /** True when more keys under the prefix follow the last returned one. */
  readonly more: boolean;
}

export interface WatchOptions {
  /** Keys starting with this prefix (a single key is a prefix of itself). */
  readonly prefix: string;
  /** Deliver every change with revision > afterRevision. Throws Compacted if history is gone. */
  readonly afterRevision: number;
  /** Aborting ends the watch; no events are delivered after that. */
  readonly signal: AbortSignal;
}

/** Handler for a batch of events, in revision order: called in commit order, before the writes' promises resolve. */
export type WatchHandler = (events: readonly WatchEvent[]) => void;

export interface Storage {
  /** The latest revision (0 for an empty store). */
  currentRevision(): Promise<number>;

  /** The oldest revision still readable; history at or below it is gone. */
  compactedRevision(): Promise<number>;

  /** Creates `key`. Throws StorageError KeyExists when it exists. Returns the new revision. */
  create(key: string, value: string): Promise<number>;

  /** Reads `key` (at `revision`, if given). Undefined when absent. */
  get(key: string, revision?: number): Promise<KeyValue | undefined>;

  /** Keys under `prefix`, in key order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /** Number of keys under `prefix` (after `startAfter`, as of `revision`: the current one by default). */
  count(prefix: string, options?: CountOptions): Promise<number>;

  /**
   * Replaces `key` if its mod revision is still `expectedModRevision`.
   * Throws KeyNotFound when absent, Conflict (carrying the current KeyValue) when it moved on.
   * Returns the new revision.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<number>;

  /**
   * Deletes `key`, if given only when its mod revision is `expectedModRevision`.
   * Throws KeyNotFound or Conflict. Returns the deleted value and the deletion's revision.
   */
  delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }>;

  /**
   * Streams changes under a prefix: first the history after `afterRevision`, then live ones.
   * Resolves once the watch is established (history delivered).
   */
  watch(options: WatchOptions, handler: WatchHandler): Promise<void>;

  /** Forgets history at or below `revision` (never the latest value of a live key). */
  compact(revision: number): Promise<void>;

  /** Releases files, sockets and timers. */
  close(): Promise<void>;
}

export type StorageErrorCode = 'KeyExists' | 'KeyNotFound' | 'Conflict' | 'Compacted' | 'Unavailable';

/** Failures of the storage contract, told apart by `code` (never by message). */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  /** For Conflict: the value currently stored. */
  readonly current: KeyValue | undefined;

  constructor(code: StorageErrorCode, message: string, current?: KeyValue) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
    this.current = current;
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
