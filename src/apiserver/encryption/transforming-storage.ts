/**
 * Storage seen through a resource's transformer (upstream's etcd3 store with its
 * value.Transformer): values are encrypted on their way in and decrypted on their way out, with
 * the storage key as authenticated data.
 *
 * The store reads strictly: a value no transformer reads fails the request with upstream's
 * `unable to transform key` error. The watch cache reads through `forWatchCache()`, which leaves
 * such values out (upstream's cacher logs and skips them) and remembers them, so a get from the
 * cache can still answer with the error; it also remembers which values are stale (not written
 * by the first provider), so rewriting an unchanged object migrates it to the current key.
 */
import { newInternalError } from '../../machinery/errors.js';
import {
  type CountOptions,
  isStorageError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Storage,
  StorageError,
  type WatchEvent,
  type WatchHandler,
  type WatchOptions,
} from '../../storage/interface.js';
import type { Transformer } from './interface.js';

/** What the watch cache's reads learnt about values it could not serve as they are. */
export interface StoredValueHealth {
  /** The value at `key` was written by another provider than the first: an update must rewrite it. */
  isStale(key: string): boolean;
  /** The error reading the value at `key` failed with, when it did. */
  failure(key: string): Error | undefined;
}

export interface TransformingStorageOptions {
  storage: Storage;
  transformer: Transformer;
}

export class TransformingStorage implements Storage, StoredValueHealth {
  readonly #storage: Storage;
  readonly #transformer: Transformer;
  readonly #stale = new Set<string>();
  readonly #failures = new Map<string, string>();

  constructor(options: TransformingStorageOptions) {
    this.#storage = options.storage;
    this.#transformer = options.transformer;
  }

  isStale(key: string): boolean {
    return this.#stale.has(key);
  }

  failure(key: string): Error | undefined {
    const message = this.#failures.get(key);
    return message === undefined ? undefined : newInternalError(message);
  }

  /** Decrypts one value; throws upstream's error (the key, never the value) when it cannot. */
  #read(kv: KeyValue): KeyValue {
    let result: ReturnType<Transformer['fromStorage']>;
    try {
      result = this.#transformer.fromStorage(kv.value, kv.key);
    } catch (err) {
      const message = `unable to transform key "${kv.key}": ${(err as Error).message}`;
      this.#failures.set(kv.key, message);
      throw newInternalError(message);
    }
    this.#failures.delete(kv.key);
    if (result.stale) this.#stale.add(kv.key);
    else this.#stale.delete(kv.key);
    return { ...kv, value: result.data };
  }

  /** A Conflict carries the current value: decrypted, like every value this storage returns. */
  #readConflict(err: unknown): unknown {
    if (!isStorageError(err, 'Conflict') || !err.current) return err;
    return new StorageError(err.code, err.message, this.#read(err.current));
  }

  #forget(key: string): void {
    this.#stale.delete(key);
    this.#failures.delete(key);
  }

  #write(key: string, value: string): string {
    return this.#transformer.toStorage(value, key);
  }

  /** A value the cache can serve, or undefined (the failure is remembered) when it cannot be read. */
  #readLeniently(kv: KeyValue): KeyValue | undefined {
    try {
      return this.#read(kv);
    } catch (err) {
      console.error((err as Error).message);
      return undefined;
    }
  }

  currentRevision(): Promise<number> {
    return this.#storage.currentRevision();
  }

  compactedRevision(): Promise<number> {
    return this.#storage.compactedRevision();
  }

  async create(key: string, value: string): Promise<number> {
    const revision = await this.#storage.create(key, this.#write(key, value));
    this.#forget(key);
    return revision;
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    const kv = await this.#storage.get(key, revision);
    return kv && this.#read(kv);
  }

  async list(prefix: string, options?: ListOptions): Promise<ListResult> {
    const result = await this.#storage.list(prefix, options);
    return { ...result, items: result.items.map((kv) => this.#read(kv)) };
  }

  count(prefix: string, options?: CountOptions): Promise<number> {
    return this.#storage.count(prefix, options);
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    try {
      const revision = await this.#storage.update(key, this.#write(key, value), expectedModRevision);
      this.#forget(key);
      return revision;
    } catch (err) {
      throw this.#readConflict(err);
    }
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }> {
    let result: { kv: KeyValue; revision: number };
    try {
      result = await this.#storage.delete(key, expectedModRevision);
    } catch (err) {
      throw this.#readConflict(err);
    }
    try {
      return { ...result, kv: this.#read(result.kv) };
    } finally {
      this.#forget(key);
    }
  }

  watch(options: WatchOptions, handler: WatchHandler): Promise<void> {
    return this.#storage.watch(options, (events) => handler(events.flatMap((ev) => this.#readEvent(ev))));
  }

  compact(revision: number): Promise<void> {
    return this.#storage.compact(revision);
  }

  close(): Promise<void> {
    return this.#storage.close();
  }

  /** The view of this storage the watch cache reads: values it cannot read are left out of its lists. */
  forWatchCache(): Storage {
    return {
      currentRevision: () => this.currentRevision(),
      compactedRevision: () => this.compactedRevision(),
      create: (key, value) => this.create(key, value),
      get: (key, revision) => this.get(key, revision),
      list: async (prefix, options) => {
        const result = await this.#storage.list(prefix, options);
        const items = result.items.map((kv) => this.#readLeniently(kv)).filter((kv) => kv !== undefined);
        return { ...result, items };
      },
      count: (prefix, options) => this.count(prefix, options),
      update: (key, value, expectedModRevision) => this.update(key, value, expectedModRevision),
      delete: (key, expectedModRevision) => this.delete(key, expectedModRevision),
      watch: (options, handler) => this.watch(options, handler),
      compact: (revision) => this.compact(revision),
      close: () => this.close(),
    };
  }

  /** An event with its values decrypted; none when its new value cannot be read (upstream's watcher skips it). */
  #readEvent(ev: WatchEvent): WatchEvent[] {
    const kv = this.#readLeniently(ev.kv);
    if (ev.type === 'DELETE') this.#forget(ev.kv.key);
    if (!kv) return [];
    const prevKv = ev.prevKv && this.#readLeniently(ev.prevKv);
    return [prevKv ? { ...ev, kv, prevKv } : { type: ev.type, revision: ev.revision, kv }];
  }
}
