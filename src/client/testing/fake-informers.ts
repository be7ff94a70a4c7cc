/**
 * Shared informers over a FakeClientset (client-go's informers on the fake clientset): each keeps
 * a cache of what it has been told, and the tracker tells it of every write synchronously, so a
 * test's write has reached the event handlers when it returns. Always synced; handlers added
 * later are not replayed the cache, and the selectors of `forResource` options are ignored.
 */
import {
  type GroupVersionResource,
  type IndexFunc,
  type Lister,
  objectKey,
  type ResourceEventHandler,
  type SharedInformer,
  type SharedInformerFactory,
} from '../interface.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FakeClientset } from './fake-clientset.js';
import { groupResource, namespacedKey, type ObjectTracker, selectObjects } from './object-tracker.js';

class FakeInformer implements SharedInformer {
  readonly #cache = new Map<string, KubeObject>();
  readonly #handlers: ResourceEventHandler[] = [];
  readonly #indexers = new Map<string, IndexFunc>();
  readonly lister: Lister = {
    get: (namespace, name) => this.#cache.get(namespacedKey(namespace, name)),
    list: (namespace, labelSelector) => selectObjects(this.#cache.values(), namespace, labelSelector),
    byIndex: (indexName, value) => {
      const fn = this.#indexers.get(indexName);
      if (!fn) throw new Error(`Index with name ${indexName} does not exist`);
      return [...this.#cache.values()].filter((o) => fn(o).includes(value));
    },
  };

  constructor(tracker: ObjectTracker, gvr: GroupVersionResource) {
    for (const o of tracker.list(gvr)) this.#cache.set(objectKey(o), o);
    tracker.watch(gvr, {
      onAdd: (o) => this.#observe(o),
      onUpdate: (_old, o) => this.#observe(o),
      onDelete: (o) => {
        const known = this.#cache.get(objectKey(o)) ?? o;
        this.#cache.delete(objectKey(o));
        for (const h of this.#handlers) h.onDelete?.(known);
      },
    });
  }

  #observe(o: KubeObject): void {
    const old = this.#cache.get(objectKey(o));
    this.#cache.set(objectKey(o), o);
    for (const h of this.#handlers) {
      if (old) h.onUpdate?.(old, o);
      else h.onAdd?.(o);
    }
  }

  addEventHandler(handler: ResourceEventHandler): void {
    this.#handlers.push(handler);
  }
  addIndexer(name: string, fn: IndexFunc): void {
    this.#indexers.set(name, fn);
  }
  hasSynced(): boolean {
    return true;
  }
  async waitForSync(): Promise<void> {}
}

export class FakeInformerFactory implements SharedInformerFactory {
  readonly #tracker: ObjectTracker;
  readonly #informers = new Map<string, FakeInformer>();

  constructor(clientset: FakeClientset) {
    this.#tracker = clientset.tracker;
  }

  forResource(gvr: GroupVersionResource): SharedInformer {
    const id = groupResource(gvr);
    let informer = this.#informers.get(id);
    if (!informer) this.#informers.set(id, (informer = new FakeInformer(this.#tracker, gvr)));
    return informer;
  }
  start(): void {}
  async waitForCacheSync(): Promise<void> {}
}
