/**
 * An in-memory stand-in for the apiserver and informers, for controller unit tests only: a
 * Clientset whose writes land in a map and fire informer handlers synchronously, listers that
 * read that map (stored objects are frozen, so a controller that mutates a cached object
 * throws), a manual work queue and an event recorder that keeps what it was told.
 */
import { randomUUID } from 'node:crypto';
import type {
  IndexFunc,
  Clientset,
  EventRecorder,
  GroupVersionResource,
  Lister,
  ResourceClient,
  ResourceEventHandler,
  SharedInformer,
  SharedInformerFactory,
  WorkQueue,
} from '../../../client/interface.js';
import { newAlreadyExists, newConflict, newNotFound, type StatusError } from '../../../machinery/errors.js';
import { parseSelector } from '../../../machinery/labels.js';
import { generateName } from '../../../machinery/names.js';
import type { KubeObject, OwnerReference } from '../../../machinery/object.js';
import { semanticEqual } from '../equality.js';
import { rfc3339 } from '../types.js';

export interface RecordedEvent {
  kind: string;
  name: string;
  type: string;
  reason: string;
  message: string;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

const gvrKey = (g: GroupVersionResource) => `${g.group}/${g.resource}`;

export class FakeCluster implements Clientset, SharedInformerFactory, EventRecorder {
  nowMs = Date.parse('2025-01-01T00:00:00Z');
  readonly events: RecordedEvent[] = [];
  /** Writes made, as `verb resource ns/name`, in order. */
  readonly actions: string[] = [];
  /** Makes the next matching write fail: return an error to throw it. */
  failWrite?: (verb: string, resource: string, obj: KubeObject | undefined) => StatusError | undefined;
  readonly #stores = new Map<string, Map<string, KubeObject>>();
  readonly #handlers = new Map<string, ResourceEventHandler[]>();
  readonly #indexers = new Map<string, Map<string, IndexFunc>>();
  #rv = 1;

  now = (): number => this.nowMs;

  store(gvr: GroupVersionResource): Map<string, KubeObject> {
    const k = gvrKey(gvr);
    let s = this.#stores.get(k);
    if (!s) this.#stores.set(k, (s = new Map()));
    return s;
  }

  list(gvr: GroupVersionResource, namespace?: string): KubeObject[] {
    return [...this.store(gvr).values()].filter((o) => !namespace || o.metadata.namespace === namespace);
  }

  get(gvr: GroupVersionResource, namespace: string, name: string): KubeObject | undefined {
    return this.store(gvr).get(`${namespace}/${name}`);
  }

  /** Stores an object as if the server had accepted it, firing add/update handlers. */
  put(gvr: GroupVersionResource, obj: KubeObject): KubeObject {
    const o = structuredClone(obj);
    const key = `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    const old = this.store(gvr).get(key);
    o.metadata.uid ??= old?.metadata.uid ?? randomUUID();
    o.metadata.creationTimestamp ??= old?.metadata.creationTimestamp ?? rfc3339(this.nowMs);
    o.metadata.generation ??= old?.metadata.generation ?? 1;
    o.metadata.resourceVersion = String(++this.#rv);
    deepFreeze(o);
    this.store(gvr).set(key, o);
    for (const h of this.#handlers.get(gvrKey(gvr)) ?? []) {
      if (old) h.onUpdate?.(old, o);
      else h.onAdd?.(o);
    }
    return o;
  }

  remove(gvr: GroupVersionResource, namespace: string, name: string): void {
    const old = this.store(gvr).get(`${namespace}/${name}`);
    if (!old) return;
    this.store(gvr).delete(`${namespace}/${name}`);
    for (const h of this.#handlers.get(gvrKey(gvr)) ?? []) h.onDelete?.(old);
  }

  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.push({ kind: object.kind ?? '', name: object.metadata.name ?? '', type, reason, message });
  }

  resource(gvr: GroupVersionResource): ResourceClient {
    return new FakeResourceClient(this, gvr);
  }

  close(): void {}

  forResource(gvr: GroupVersionResource): SharedInformer {
    const lister: Lister = {
      get: (ns, name) => this.get(gvr, ns, name),
      list: (ns, sel) => {
        const s = sel ? parseSelector(sel) : undefined;
        return this.list(gvr, ns).filter((o) => !s || s.matches(o.metadata.labels));
      },
      // the store is small: an index is a scan
      byIndex: (name, value) => {
        const fn = this.#indexers.get(gvrKey(gvr))?.get(name);
        if (!fn) throw new Error(`Index with name ${name} does not exist`);
        return this.list(gvr).filter((o) => fn(o).includes(value));
      },
    };
    return {
      lister,
      addEventHandler: (h) => {
        const k = gvrKey(gvr);
        this.#handlers.set(k, [...(this.#handlers.get(k) ?? []), h]);
      },
      addIndexer: (name, fn) => {
        const k = gvrKey(gvr);
        this.#indexers.set(k, new Map(this.#indexers.get(k)).set(name, fn));
      },
      hasSynced: () => true,
      waitForSync: async () => {},
    };
  }

  start(): void {}
  async waitForCacheSync(): Promise<void> {}

  check(verb: string, gvr: GroupVersionResource, obj: KubeObject | undefined, ns: string, name: string): void {
    this.actions.push(`${verb} ${gvr.resource} ${ns}/${name}`);
    const err = this.failWrite?.(verb, gvr.resource, obj);
    if (err) throw err;
  }
}

class FakeResourceClient implements ResourceClient {
  readonly #c: FakeCluster;
  readonly #gvr: GroupVersionResource;
  constructor(c: FakeCluster, gvr: GroupVersionResource) {
    this.#c = c;
    this.#gvr = gvr;
  }

  #existing(ns: string, name: string): KubeObject {
    const o = this.#c.get(this.#gvr, ns, name);
    if (!o) throw newNotFound(this.#gvr, name);
    return o;
  }

  async get(ns: string, name: string): Promise<KubeObject> {
    return structuredClone(this.#existing(ns, name));
  }
  async list(ns: string): Promise<{ apiVersion: string; kind: string; metadata: object; items: KubeObject[] }> {
    return { apiVersion: 'v1', kind: 'List', metadata: {}, items: this.#c.list(this.#gvr, ns).map((o) => structuredClone(o)) };
  }
  watch(): { done: Promise<void> } {
    return { done: Promise.resolve() };
  }
  async create(ns: string, obj: KubeObject): Promise<KubeObject> {
    const o = structuredClone(obj);
    o.metadata.namespace = ns;
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = generateName(o.metadata.generateName);
    this.#c.check('create', this.#gvr, o, ns, o.metadata.name ?? '');
    if (this.#c.get(this.#gvr, ns, o.metadata.name ?? '')) throw newAlreadyExists(this.#gvr, o.metadata.name ?? '');
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation'] as const) delete o.metadata[k];
    return structuredClone(this.#c.put(this.#gvr, o));
  }
  #write(ns: string, obj: KubeObject, verb: string, merge: (old: KubeObject, o: KubeObject) => KubeObject): KubeObject {
    const name = obj.metadata.name ?? '';
    this.#c.check(verb, this.#gvr, obj, ns, name);
    const old = this.#existing(ns, name);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw newConflict(this.#gvr, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return structuredClone(this.#c.put(this.#gvr, merge(old, structuredClone(obj))));
  }
  async update(ns: string, obj: KubeObject): Promise<KubeObject> {
    return this.#write(ns, obj, 'update', (old, o) => {
      o.status = structuredClone(old['status']);
      o.metadata.generation = (old.metadata.generation ?? 1) + (semanticEqual(old['spec'], o['spec']) ? 0 : 1);
      return o;
    });
  }
  async updateStatus(ns: string, obj: KubeObject): Promise<KubeObject> {
    return this.#write(ns, obj, 'updateStatus', (old, o) => {
      const next = structuredClone(old);
      next.status = o['status'];
      if (o.metadata.annotations) next.metadata.annotations = o.metadata.annotations;
      return next;
    });
  }
  /** Only the ownerReferences strategic patches controllers send (merge key uid, $patch delete). */
  async patch(ns: string, name: string, _type: string, patch: unknown): Promise<KubeObject> {
    const p = patch as { metadata: { uid?: string; ownerReferences: (OwnerReference & { $patch?: string })[] } };
    this.#c.check('patch', this.#gvr, undefined, ns, name);
    const o = structuredClone(this.#existing(ns, name));
    if (p.metadata.uid && p.metadata.uid !== o.metadata.uid) throw newConflict(this.#gvr, name, 'Precondition failed: UID');
    let refs = o.metadata.ownerReferences ?? [];
    for (const r of p.metadata.ownerReferences) {
      refs = refs.filter((x) => x.uid !== r.uid);
      if (r.$patch !== 'delete') refs.push(r);
    }
    o.metadata.ownerReferences = refs;
    return structuredClone(this.#c.put(this.#gvr, o));
  }
  async delete(ns: string, name: string): Promise<KubeObject | undefined> {
    this.#c.check('delete', this.#gvr, undefined, ns, name);
    this.#existing(ns, name);
    this.#c.remove(this.#gvr, ns, name);
    return undefined;
  }
  async createSubresource(): Promise<unknown> {
    return {};
  }
}

/** A work queue driven by hand: `pop()` takes the next key; delayed adds are kept apart. */
export class FakeQueue implements WorkQueue {
  readonly keys = new Set<string>();
  readonly delayed: { key: string; delayMs: number }[] = [];
  readonly requeues = new Map<string, number>();
  #closed = false;
  add(key: string): void {
    this.keys.add(key);
  }
  addAfter(key: string, delayMs: number): void {
    this.delayed.push({ key, delayMs });
  }
  addRateLimited(key: string): void {
    this.requeues.set(key, (this.requeues.get(key) ?? 0) + 1);
    this.keys.add(key);
  }
  forget(key: string): void {
    this.requeues.delete(key);
  }
  numRequeues(key: string): number {
    return this.requeues.get(key) ?? 0;
  }
  async get(): Promise<string | undefined> {
    if (this.#closed) return undefined;
    return this.pop();
  }
  pop(): string | undefined {
    const k = this.keys.values().next().value;
    if (k !== undefined) this.keys.delete(k);
    return k;
  }
  done(): void {}
  get length(): number {
    return this.keys.size;
  }
  shutDown(): void {
    this.#closed = true;
  }
}
