/**
 * In-memory fakes of the client contracts (src/client/interface.ts) for the unit tests of the
 * controllers in this package: a cluster of objects per resource that serves a Clientset and an
 * informer factory (writes notify informer handlers synchronously), a work queue that records
 * delays, an event recorder and a clock.
 */
import type {
  Clientset,
  DeleteOptions,
  GroupVersionResource,
  IndexFunc,
  Lister,
  ResourceClient,
  ResourceEventHandler,
  SharedInformer,
  SharedInformerFactory,
} from '../../../client/interface.js';
import { newAlreadyExists, newConflict, newNotFound, StatusError } from '../../../machinery/errors.js';
import { FakeClock } from './fake-queue.js';
import { parseSelector } from '../../../machinery/labels.js';
import type { KubeList, KubeObject } from '../../../machinery/object.js';
import { applyPatch } from '../../../machinery/patch/index.js';

export interface Action {
  verb: 'create' | 'update' | 'updateStatus' | 'patch' | 'delete' | 'createSubresource' | 'updateSubresource';
  resource: string;
  namespace: string;
  name: string;
  subresource?: string;
  body?: unknown;
  options?: DeleteOptions;
}

const key = (ns: string, name: string): string => (ns ? `${ns}/${name}` : name);

class FakeInformer implements SharedInformer {
  readonly handlers: ResourceEventHandler[] = [];
  readonly indexers = new Map<string, IndexFunc>();
  readonly lister: Lister;

  constructor(readonly store: Map<string, KubeObject>) {
    this.lister = {
      get: (ns, name) => this.store.get(key(ns, name)),
      list: (ns, selector) => {
        const sel = selector ? parseSelector(selector) : undefined;
        return [...this.store.values()].filter((o) => (!ns || o.metadata.namespace === ns) && (!sel || sel.matches(o.metadata.labels)));
      },
      byIndex: (name, value) => {
        const fn = this.indexers.get(name);
        return fn ? [...this.store.values()].filter((o) => fn(o).includes(value)) : [];
      },
    };
  }
  addEventHandler(handler: ResourceEventHandler): void {
    this.handlers.push(handler);
  }
  addIndexer(name: string, fn: IndexFunc): void {
    this.indexers.set(name, fn);
  }
  hasSynced(): boolean {
    return true;
  }
  async waitForSync(): Promise<void> {}
}

/** The cluster: objects per resource, a Clientset and an informer factory over them. */
export class FakeCluster implements Clientset, SharedInformerFactory {
  readonly actions: Action[] = [];
  readonly stores = new Map<string, Map<string, KubeObject>>();
  readonly informers = new Map<string, FakeInformer>();
  /** Errors to throw once for `verb resource ns/name` (e.g. 'delete pods default/a'). */
  readonly failures = new Map<string, StatusError>();
  #rv = 100;
  #uid = 0;

  constructor(readonly clock = new FakeClock()) {}

  static id(gvr: GroupVersionResource): string {
    return gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource;
  }

  store(gvr: GroupVersionResource): Map<string, KubeObject> {
    const id = FakeCluster.id(gvr);
    let s = this.stores.get(id);
    if (!s) this.stores.set(id, (s = new Map()));
    return s;
  }

  /** Adds or replaces an object (with uid and resourceVersion), notifying informers. */
  seed(gvr: GroupVersionResource, obj: KubeObject): KubeObject {
    const o = structuredClone(obj);
    o.metadata.uid ??= `uid-${++this.#uid}`;
    o.metadata.resourceVersion = String(++this.#rv);
    o.metadata.creationTimestamp ??= new Date(this.clock.now()).toISOString();
    this.#put(gvr, o);
    return o;
  }

  /** Removes an object; `notify: false` simulates an informer that has not seen it yet. */
  remove(gvr: GroupVersionResource, ns: string, name: string, notify = true): void {
    const s = this.store(gvr);
    const old = s.get(key(ns, name));
    if (!old) return;
    if (!notify) {
      this.#hidden.add(`${FakeCluster.id(gvr)} ${key(ns, name)}`);
      return;
    }
    s.delete(key(ns, name));
    for (const h of this.#informer(gvr).handlers) h.onDelete?.(old);
  }

  readonly #hidden = new Set<string>();

  get(gvr: GroupVersionResource, ns: string, name: string): KubeObject | undefined {
    if (this.#hidden.has(`${FakeCluster.id(gvr)} ${key(ns, name)}`)) return undefined;
    return this.store(gvr).get(key(ns, name));
  }

  #informer(gvr: GroupVersionResource): FakeInformer {
    const id = FakeCluster.id(gvr);
    let inf = this.informers.get(id);
    if (!inf) this.informers.set(id, (inf = new FakeInformer(this.store(gvr))));
    return inf;
  }

  #put(gvr: GroupVersionResource, obj: KubeObject): void {
    const s = this.store(gvr);
    const k = key(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    const old = s.get(k);
    s.set(k, obj);
    for (const h of this.#informer(gvr).handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj);
    }
  }

  #write(gvr: GroupVersionResource, obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = String(++this.#rv);
    const m = obj.metadata;
    if (m.deletionTimestamp && (m.finalizers ?? []).length === 0 && !this.#keepsFinalizers(gvr, obj)) {
      this.remove(gvr, m.namespace ?? '', m.name ?? '');
      return obj;
    }
    this.#put(gvr, obj);
    return structuredClone(obj);
  }

  #keepsFinalizers(gvr: GroupVersionResource, obj: KubeObject): boolean {
    const spec = obj['spec'] as { finalizers?: string[] } | undefined;
    return gvr.resource === 'namespaces' && (spec?.finalizers ?? []).length > 0;
  }

  #fail(verb: string, gvr: GroupVersionResource, ns: string, name: string): void {
    const k = `${verb} ${FakeCluster.id(gvr)} ${key(ns, name)}`;
    const err = this.failures.get(k);
    if (err) {
      this.failures.delete(k);
      throw err;
    }
  }

  #current(gvr: GroupVersionResource, ns: string, name: string): KubeObject {
    const cur = this.get(gvr, ns, name);
    if (!cur) throw newNotFound({ group: gvr.group, resource: gvr.resource }, name);
    return cur;
  }

  resource(gvr: GroupVersionResource): ResourceClient {
    const gr = { group: gvr.group, resource: gvr.resource };
    const id = FakeCluster.id(gvr);
    const record = (a: Omit<Action, 'resource'>): void => void this.actions.push({ resource: id, ...a });
    const replace = (verb: 'update' | 'updateStatus', ns: string, obj: KubeObject): KubeObject => {
      const name = obj.metadata.name ?? '';
      record({ verb, namespace: ns, name, body: structuredClone(obj) });
      this.#fail(verb, gvr, ns, name);
      const cur = this.#current(gvr, ns, name);
      if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
        throw newConflict(gr, name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      const next = structuredClone(obj);
      next.metadata = { ...structuredClone(cur.metadata), ...(verb === 'update' ? next.metadata : {}) };
      if (verb === 'updateStatus') return this.#write(gvr, { ...structuredClone(cur), status: next['status'] });
      return this.#write(gvr, next);
    };
    return {
      get: async (ns, name) => structuredClone(this.#current(gvr, ns, name)),
      list: async (ns, options): Promise<KubeList> => ({
        apiVersion: 'v1',
        kind: 'List',
        metadata: { resourceVersion: String(this.#rv) },
        items: this.#informer(gvr)
          .lister.list(ns, options?.labelSelector)
          .filter((o) => this.get(gvr, o.metadata.namespace ?? '', o.metadata.name ?? ''))
          .map((o) => structuredClone(o)),
      }),
      watch: () => {
        throw new Error('FakeCluster: watch is not supported');
      },
      create: async (ns, obj) => {
        const o = structuredClone(obj);
        if (!o.metadata.name && o.metadata.generateName) o.metadata.name = `${o.metadata.generateName}${(++this.#uid).toString(36)}`;
        const name = o.metadata.name ?? '';
        record({ verb: 'create', namespace: ns, name, body: structuredClone(o) });
        this.#fail('create', gvr, ns, name);
        if (this.get(gvr, ns, name)) throw newAlreadyExists(gr, name);
        if (ns) o.metadata.namespace = ns;
        o.metadata.uid = `uid-${++this.#uid}`;
        o.metadata.creationTimestamp = new Date(this.clock.now()).toISOString();
        return this.#write(gvr, o);
      },
      update: async (ns, obj) => replace('update', ns, obj),
      updateStatus: async (ns, obj) => replace('updateStatus', ns, obj),
      patch: async (ns, name, type, patch, options) => {
        record({ verb: 'patch', namespace: ns, name, body: structuredClone(patch), subresource: options?.subresource });
        this.#fail('patch', gvr, ns, name);
        const cur = this.#current(gvr, ns, name);
        if (type === 'apply' || type === 'strategic') throw new Error(`FakeCluster: ${type} patches are not supported`);
        let next: KubeObject;
        try {
          next = applyPatch(type, structuredClone(cur), JSON.stringify(patch));
        } catch (err) {
          throw newConflict(gr, name, `patch failed: ${(err as Error).message}`);
        }
        return this.#write(gvr, next);
      },
      delete: async (ns, name, options) => {
        record({ verb: 'delete', namespace: ns, name, options });
        this.#fail('delete', gvr, ns, name);
        const cur = this.#current(gvr, ns, name);
        if (options?.preconditions?.uid && options.preconditions.uid !== cur.metadata.uid) {
          throw newConflict(gr, name, 'Precondition failed: UID in precondition');
        }
        const next = structuredClone(cur);
        const fin = new Set(next.metadata.finalizers ?? []);
        if (options?.propagationPolicy === 'Foreground') fin.add('foregroundDeletion');
        if (options?.propagationPolicy === 'Orphan') fin.add('orphan');
        if (fin.size === 0 && !this.#keepsFinalizers(gvr, next)) {
          this.remove(gvr, ns, name);
          return undefined;
        }
        next.metadata.finalizers = [...fin];
        next.metadata.deletionTimestamp ??= new Date(this.clock.now()).toISOString();
        return this.#write(gvr, next);
      },
      createSubresource: async (ns, name, subresource, body) => {
        record({ verb: 'createSubresource', namespace: ns, name, subresource, body });
        return body;
      },
      updateSubresource: async (ns, name, subresource, body) => {
        record({ verb: 'updateSubresource', namespace: ns, name, subresource, body: structuredClone(body) });
        const cur = structuredClone(this.#current(gvr, ns, name));
        if (subresource !== 'finalize') throw new Error(`FakeCluster: subresource ${subresource}`);
        cur['spec'] = { ...(cur['spec'] as object), finalizers: (body['spec'] as { finalizers?: string[] })?.finalizers ?? [] };
        return this.#write(gvr, cur);
      },
    };
  }

  close(): void {}

  forResource(gvr: GroupVersionResource): SharedInformer {
    return this.#informer(gvr);
  }
  start(): void {}
  async waitForCacheSync(): Promise<void> {}

  /** Actions other than reads, optionally of one verb, as `verb resource ns/name` strings. */
  writes(verb?: Action['verb']): string[] {
    return this.actions
      .filter((a) => !verb || a.verb === verb)
      .map((a) => `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''} ${key(a.namespace, a.name)}`);
  }
}

export { StatusError };
export { drain, FakeClock, FakeQueue, FakeRecorder, type RecordedEvent } from './fake-queue.js';
