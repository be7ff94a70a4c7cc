/**
 * The watch cache of one resource (upstream's cacher): a current snapshot of every object plus
 * a window of recent events, fed by one storage watch. Lists with resourceVersion "0" or
 * NotOlderThan and every watch are served from here; history older than the window gets
 * 410 Expired.
 */
import type { Storage, WatchEvent } from '../../storage/interface.js';
import type { KubeObject } from '../../machinery/object.js';
import { decodeStored, servedJson } from '../registry/codec.js';
import { ObjectIndex } from './object-index.js';

/** How often a waiter for a future revision asks storage for progress. */
const PROGRESS_POLL_MS = 50;

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: EventType;
  /** The object after the change (for DELETED: its last state, at the deletion revision). */
  object: KubeObject;
  /** The object before the change, if any. */
  prevObject?: KubeObject;
  revision: number;
  /** Milliseconds since epoch when the cache saw the event. */
  at: number;
  key: string;
  /** JSON.stringify(object), made by the first watcher that sends it and reused by the rest. */
  objectJson?: string;
}

/** The event's object as JSON, serialized once however many watchers send it. */
export function eventObjectJson(ev: CacheEvent): string {
  ev.objectJson ??= JSON.stringify(ev.object);
  return ev.objectJson;
}

/** A consumer of events; returns false when it has gone away. */
export type CacheWatcher = (event: CacheEvent) => void;

export interface WatchCacheOptions {
  storage: Storage;
  /** Storage prefix, with trailing slash. */
  prefix: string;
  /** Keep this much history (ms; upstream's eventFreshDuration, 75 s)… */
  historyMs?: number;
  /** …but at least this many events… */
  minEvents?: number;
  /** …and at most this many: each event holds a version of an object the cache no longer serves. */
  maxEvents?: number;
  /** Converts a stored object to the form served (versioned resources). */
  decode?: (obj: KubeObject) => KubeObject;
  now?: () => number;
}

export class WatchCache {
  readonly prefix: string;
  readonly #storage: Storage;
  readonly #objects = new ObjectIndex();
  #events: CacheEvent[] = [];
  #start = 0;
  #revision = 0;
  /** Events after this revision are all in #events. */
  #oldest = 0;
  readonly #watchers = new Set<CacheWatcher>();
  readonly #historyMs: number;
  readonly #minEvents: number;
  readonly #maxEvents: number;
  readonly #decode: (obj: KubeObject) => KubeObject;
  /** Objects are served in another form than stored (decode is set). */
  readonly #converts: boolean;
  readonly #now: () => number;
  readonly #abort = new AbortController();
  #ready: Promise<void> | undefined;
  #started = false;
  readonly #revisionWaiters: { revision: number; resolve: () => void }[] = [];

  constructor(options: WatchCacheOptions) {
    this.#storage = options.storage;
    this.prefix = options.prefix;
    this.#historyMs = options.historyMs ?? 75_000;
    this.#minEvents = options.minEvents ?? 1000;
    this.#maxEvents = Math.max(this.#minEvents, options.maxEvents ?? 10_000);
    this.#decode = options.decode ?? ((o) => o);
    this.#converts = options.decode !== undefined;
    this.#now = options.now ?? Date.now;
  }

  /** Lists from storage and starts watching; idempotent. */
  start(): Promise<void> {
    this.#ready ??= this.#init();
    return this.#ready;
  }

  async #init(): Promise<void> {
    const list = await this.#storage.list(this.prefix);
    for (const kv of list.items) this.#objects.set(kv.key, this.#decode(decodeStored(kv.value, kv.modRevision)));
    this.#revision = list.revision;
    this.#oldest = list.revision;
    await this.#storage.watch({ prefix: this.prefix, afterRevision: list.revision, signal: this.#abort.signal }, (events) =>
      this.#apply(events),
    );
    this.#started = true;
  }

  /**
   * Catches the cache's revision up with storage's (upstream's progress notification). The
   * storage watch delivers every change in commit order before the write returns, so once
   * storage reports revision R, every change at or below R under this prefix has reached the
   * cache: the revisions in between belong to other resources.
   */
  async #observeProgress(): Promise<void> {
    if (!this.#started || this.#abort.signal.aborted) return;
    const current = await this.#storage.currentRevision();
    if (current > this.#revision) {
      this.#revision = current;
      this.#wakeRevisionWaiters();
    }
  }

  /** A consistent read's revision: the cache caught up with storage first (upstream's ConsistentListFromCache). */
  async freshRevision(): Promise<number> {
    await this.#observeProgress();
    return this.#revision;
  }

  #apply(events: readonly WatchEvent[]): void {
    const at = this.#now();
    for (const ev of events) {
      const key = ev.kv.key;
      const prev = this.#objects.get(key);
      let event: CacheEvent;
      if (ev.type === 'PUT') {
        const obj = this.#decode(decodeStored(ev.kv.value, ev.kv.modRevision));
        this.#objects.set(key, obj);
        event = { type: prev ? 'MODIFIED' : 'ADDED', object: obj, revision: ev.revision, at, key };
        if (prev) event.prevObject = prev;
        // watchers are sent the stored text itself, when the object is served as stored
        if (this.#watchers.size > 0 && !this.#converts) {
          const json = servedJson(ev.kv.value, obj, ev.kv.modRevision);
          if (json !== undefined) event.objectJson = json;
        }
      } else {
        this.#objects.delete(key);
        const last = this.#decode(decodeStored(ev.kv.value, ev.revision));
        event = { type: 'DELETED', object: last, revision: ev.revision, at, key };
        if (prev) event.prevObject = prev;
      }
      this.#revision = ev.revision;
      this.#events.push(event);
      for (const w of this.#watchers) w(event);
    }
    this.#trim(at);
    this.#wakeRevisionWaiters();
  }

  #trim(now: number): void {
    const live = this.#events.length - this.#start;
    let drop = 0;
    while (live - drop > this.#minEvents) {
      const ev = this.#events[this.#start + drop];
      if (!ev || (now - ev.at < this.#historyMs && live - drop <= this.#maxEvents)) break;
      drop++;
    }
    if (drop > 0) {
      const last = this.#events[this.#start + drop - 1];
      if (last) this.#oldest = last.revision;
      this.#start += drop;
    }
    if (this.#start > 4096 && this.#start > this.#events.length / 2) {
      this.#events = this.#events.slice(this.#start);
      this.#start = 0;
    }
  }

  /** The revision the cache has caught up to. */
  get revision(): number {
    return this.#revision;
  }

  /** Waits until the cache has seen `revision` (bounded by `timeoutMs`); false on timeout. */
  async waitForRevision(revision: number, timeoutMs = 3000): Promise<boolean> {
    if (this.#revision >= revision) return true;
    await this.#observeProgress();
    if (this.#revision >= revision) return true;
    return new Promise((resolve) => {
      // writes to other resources move storage's revision without an event here: poll progress
      const poll = setInterval(() => void this.#observeProgress(), PROGRESS_POLL_MS);
      const timer = setTimeout(() => {
        clearInterval(poll);
        const i = this.#revisionWaiters.indexOf(waiter);
        if (i >= 0) this.#revisionWaiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      const waiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          clearInterval(poll);
          resolve(true);
        },
      };
      this.#revisionWaiters.push(waiter);
    });
  }

  #wakeRevisionWaiters(): void {
    for (let i = this.#revisionWaiters.length - 1; i >= 0; i--) {
      const w = this.#revisionWaiters[i];
      if (w && w.revision <= this.#revision) {
        this.#revisionWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  get(key: string): KubeObject | undefined {
    return this.#objects.get(key);
  }

  /** Current objects whose key starts with `keyPrefix`, in key order (shared: do not change it). */
  list(keyPrefix: string): readonly KubeObject[] {
    return this.#objects.list(keyPrefix, this.prefix);
  }

  get size(): number {
    return this.#objects.size;
  }

  /** The oldest revision a watch may start from (exclusive). */
  get oldestRevision(): number {
    return this.#oldest;
  }

  /**
   * Registers a watcher for events after `afterRevision`. Returns undefined when that history
   * is gone (the caller answers 410 Expired). Replays history synchronously first.
   */
  watch(afterRevision: number, watcher: CacheWatcher): (() => void) | undefined {
    if (afterRevision < this.#oldest) return undefined;
    for (let i = this.#start; i < this.#events.length; i++) {
      const ev = this.#events[i];
      if (ev && ev.revision > afterRevision) watcher(ev);
    }
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  get watcherCount(): number {
    return this.#watchers.size;
  }

  stop(): void {
    this.#abort.abort();
    this.#watchers.clear();
  }
}
