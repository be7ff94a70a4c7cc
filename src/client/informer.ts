/**
 * client-go's SharedIndexInformer, without the queue in the middle: a Reflector feeds the
 * Indexer and, in the same step, the registered handlers (who only enqueue keys). A relist
 * delivers differences — adds for new keys, updates for a changed resourceVersion, deletes for
 * keys that vanished — so no object is added twice. Handlers registered late get synthetic adds
 * for what is cached, and a resync period replays every object as an update to itself.
 */
import type { KubeObject } from '../machinery/object.js';
import { Indexer } from './indexer.js';
import {
  type IndexFunc,
  objectKey,
  type ResourceClient,
  type ResourceEventHandler,
  type SharedInformer,
  type WatchEvent,
} from './interface.js';
import { type BackoffOptions, Reflector, type ReflectorStore } from './reflector.js';

export interface InformerOptions {
  client: ResourceClient;
  /** '' or undefined: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Replays every cached object to every handler as onUpdate(obj, obj) this often. 0: never. */
  resyncMs?: number;
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Reports list/watch failures (retried) and handler exceptions. Defaults to console.error. */
  onError?: (err: unknown) => void;
  /** Names the informer in default error messages, e.g. `pods`. */
  name?: string;
  /** Applied to every object before it is cached (client-go's SetTransform), e.g. dropManagedFields. */
  transform?: (obj: KubeObject) => KubeObject;
}

/** A transform for caches of components that never read managedFields (upstream trims them too). */
export function dropManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata?.managedFields === undefined) return obj;
  // a fresh metadata object, not `delete`: V8 turns objects that lose a property into slow dictionaries
  const { managedFields: _, ...metadata } = obj.metadata;
  obj.metadata = metadata;
  return obj;
}

export class SharedIndexInformer implements SharedInformer, ReflectorStore {
  readonly #indexer = new Indexer();
  readonly #reflector: Reflector;
  /** Replaced, never changed in place: a handler removed while events are delivered misses no other. */
  #handlers: readonly ResourceEventHandler[] = [];
  readonly #onError: (err: unknown) => void;
  readonly #syncWaiters = new Set<() => void>();
  #synced = false;
  #running = false;
  #resyncMs: number;
  #resyncTimer: NodeJS.Timeout | undefined;
  readonly #transform: (obj: KubeObject) => KubeObject;

  constructor(options: InformerOptions) {
    this.#transform = options.transform ?? ((obj) => obj);
    const name = options.name ?? 'informer';
    this.#onError = options.onError ?? ((err: unknown) => console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`));
    this.#resyncMs = options.resyncMs ?? 0;
    this.#reflector = new Reflector({
      client: options.client,
      namespace: options.namespace,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      pageSize: options.pageSize,
      backoff: options.backoff,
      onError: this.#onError,
    });
  }

  /** The cache; objects are shared (structuredClone before changing). */
  get lister(): Indexer {
    return this.#indexer;
  }

  /** The resourceVersion the cache reflects (last list, event or bookmark). */
  get lastSyncResourceVersion(): string {
    return this.#reflector.lastSyncResourceVersion;
  }

  get resyncMs(): number {
    return this.#resyncMs;
  }

  /** Shortens the resync period (the factory keeps the shortest asked for); takes effect at once when running. */
  setResyncPeriod(ms: number): void {
    if (ms <= 0 || (this.#resyncMs > 0 && this.#resyncMs <= ms)) return;
    this.#resyncMs = ms;
    if (this.#resyncTimer) {
      clearInterval(this.#resyncTimer);
      this.#resyncTimer = setInterval(() => this.resync(), ms);
    }
  }

  addEventHandler(handler: ResourceEventHandler): void {
    this.#handlers = [...this.#handlers, handler];
    for (const obj of [...this.#indexer.values()]) this.#call(() => handler.onAdd?.(obj));
  }

  /** Stops delivering to a handler (client-go's RemoveEventHandler); the cache goes on. */
  removeEventHandler(handler: ResourceEventHandler): void {
    const i = this.#handlers.indexOf(handler);
    if (i >= 0) this.#handlers = this.#handlers.toSpliced(i, 1);
  }

  addIndexer(name: string, fn: IndexFunc): void {
    this.#indexer.addIndexer(name, fn);
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves once the first list is delivered — or when the signal aborts: check hasSynced() or signal.aborted. */
  waitForSync(signal: AbortSignal): Promise<void> {
    if (this.#synced || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#syncWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.#syncWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Lists and watches until the signal aborts. Runs once; later calls return at once. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running || signal.aborted) return;
    this.#running = true;
    if (this.#resyncMs > 0) this.#resyncTimer = setInterval(() => this.resync(), this.#resyncMs);
    try {
      await this.#reflector.run(this, signal);
    } finally {
      clearInterval(this.#resyncTimer);
      this.#resyncTimer = undefined;
    }
  }

  /** Delivers onUpdate(obj, obj) for every cached object to every handler (after the first sync). */
  resync(): void {
    if (!this.#synced) return;
    for (const obj of [...this.#indexer.values()]) for (const h of this.#handlers) this.#call(() => h.onUpdate?.(obj, obj));
  }

  /** ReflectorStore: a list's snapshot, delivered as differences. */
  replace(items: KubeObject[], _resourceVersion: string): void {
    const seen = new Set<string>();
    for (const item of items) {
      const obj = this.#transform(item);
      const key = objectKey(obj);
      seen.add(key);
      const old = this.#indexer.upsert(obj);
      if (!old) this.#notify((h) => h.onAdd?.(obj));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.#notify((h) => h.onUpdate?.(old, obj));
    }
    for (const key of [...this.#indexer.keys()]) {
      if (seen.has(key)) continue;
      const gone = this.#indexer.remove(key);
      if (gone) this.#notify((h) => h.onDelete?.(gone));
    }
    if (!this.#synced) {
      this.#synced = true;
      for (const done of [...this.#syncWaiters]) done();
    }
  }

  /** ReflectorStore: one watch event. */
  apply(event: WatchEvent): void {
    const obj = this.#transform(event.object);
    if (event.type === 'DELETED') {
      if (this.#indexer.remove(objectKey(obj))) this.#notify((h) => h.onDelete?.(obj));
      return;
    }
    const old = this.#indexer.upsert(obj);
    if (old) this.#notify((h) => h.onUpdate?.(old, obj));
    else this.#notify((h) => h.onAdd?.(obj));
  }

  #notify(call: (h: ResourceEventHandler) => void): void {
    for (const h of this.#handlers) this.#call(() => call(h));
  }

  #call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#onError(err);
    }
  }
}
