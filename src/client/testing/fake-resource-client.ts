/**
 * One resource's REST verbs over an ObjectTracker, answering as the apiserver does where the
 * code under test can tell: NotFound, AlreadyExists, Conflict on a stale resourceVersion or a
 * uid precondition, generateName, status kept by update and spec by the status subresource,
 * generation moved on by spec changes, and deletion through finalizers (propagationPolicy
 * Foreground and Orphan add theirs; a namespace waits for spec.finalizers and namespaces/finalize)
 * and grace periods (an object marked with one stays until a delete asks for a shorter one, as
 * the kubelet's final delete with grace 0 does).
 */
import { generateName } from '../../machinery/names.js';
import { newAlreadyExists, newConflict, newNotFound, OBJECT_MODIFIED } from '../../machinery/errors.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import type { KubeList, KubeObject, ObjectMeta } from '../../machinery/object.js';
import { applyPatch, strategicMergeMapPatch } from '../../machinery/patch/index.js';
import type { PatchMeta, PatchSchema } from '../../machinery/patch/strategic-schema.js';
import type {
  DeleteOptions,
  GroupVersionResource,
  ListOptions,
  PatchType,
  ResourceClient,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from '../interface.js';
import { groupResource, type ObjectTracker } from './object-tracker.js';

export type Verb =
  | 'get'
  | 'list'
  | 'create'
  | 'update'
  | 'updateStatus'
  | 'patch'
  | 'delete'
  | 'createSubresource'
  | 'getSubresource'
  | 'updateSubresource';

/** A request as the fake received it. */
export interface Action {
  verb: Verb;
  /** The GroupResource: `pods`, `replicasets.apps`. */
  resource: string;
  namespace: string;
  name: string;
  subresource?: string;
  /** What was sent: the object (create, update), the patch, the subresource body. */
  body?: unknown;
  options?: DeleteOptions;
}

/** Fields of an object: the merge key of a list field, or the fields of an object field. */
interface MergeKeys {
  [field: string]: MergeKeys | string;
}

/** The keyed lists among the strategic merge patches controllers, the scheduler and event recorders send. */
const MERGE_KEYS: MergeKeys = { metadata: { ownerReferences: 'uid' }, status: { conditions: 'type' } };
const NO_META: PatchMeta = { strategies: [], mergeKey: '' };

/** Patch metadata from MergeKeys: the lists it names merge on their key, other lists are replaced. */
class MergeKeySchema implements PatchSchema {
  readonly name = 'struct';
  readonly #keys: MergeKeys;

  constructor(keys: MergeKeys = {}) {
    this.#keys = keys;
  }

  lookupStruct(key: string): [PatchSchema, PatchMeta] {
    const nested = this.#keys[key];
    return [new MergeKeySchema(typeof nested === 'object' ? nested : {}), NO_META];
  }

  lookupSlice(key: string): [PatchSchema, PatchMeta] {
    const mergeKey = this.#keys[key];
    return [new MergeKeySchema(), typeof mergeKey === 'string' ? { strategies: ['merge'], mergeKey } : NO_META];
  }
}

/**
 * A patch applied to a copy of `obj`: json and merge patches as the apiserver applies them; a
 * strategic merge patch as the apiserver applies it where MERGE_KEYS names the keyed lists.
 */
function patched(obj: KubeObject, type: PatchType, patch: unknown): KubeObject {
  if (type === 'apply') throw new Error('FakeResourceClient: server-side apply is not supported');
  if (type !== 'strategic') return applyPatch(type, structuredClone(obj), JSON.stringify(patch));
  return strategicMergeMapPatch(
    structuredClone(obj),
    structuredClone(patch) as Record<string, unknown>,
    new MergeKeySchema(MERGE_KEYS),
  ) as KubeObject;
}

/** A write through the status subresource: the status (and annotations, which status writers may change) of `next`, the rest of `cur`. */
function statusWrite(cur: KubeObject, next: KubeObject): KubeObject {
  const { annotations } = next.metadata;
  return { ...cur, metadata: { ...cur.metadata, annotations }, status: next['status'] };
}

export class FakeResourceClient implements ResourceClient {
  readonly #tracker: ObjectTracker;
  readonly #gvr: GroupVersionResource;
  readonly #request: (action: Action) => Promise<void>;

  /** `request` sees every request before it is served: it may record, delay or fail it. */
  constructor(tracker: ObjectTracker, gvr: GroupVersionResource, request: (action: Action) => Promise<void>) {
    this.#tracker = tracker;
    this.#gvr = gvr;
    this.#request = request;
  }

  #do(action: Omit<Action, 'resource'>): Promise<void> {
    return this.#request({ ...action, resource: groupResource(this.#gvr) });
  }

  #existing(namespace: string, name: string): KubeObject {
    const obj = this.#tracker.get(this.#gvr, namespace, name);
    if (!obj) throw newNotFound(this.#gvr, name);
    return obj;
  }

  /** The uid and resourceVersion preconditions a write carries. */
  #check(cur: KubeObject, want: Pick<ObjectMeta, 'uid' | 'resourceVersion'>): void {
    const name = cur.metadata.name ?? '';
    if (want.uid && want.uid !== cur.metadata.uid) {
      throw newConflict(this.#gvr, name, `Precondition failed: UID in precondition: ${want.uid}, UID in object meta: ${cur.metadata.uid}`);
    }
    if (want.resourceVersion && want.resourceVersion !== cur.metadata.resourceVersion) throw newConflict(this.#gvr, name, OBJECT_MODIFIED);
  }

  /** True while something holds a deleted object: a finalizer, a namespace's spec.finalizers, or a grace period. */
  #held(obj: KubeObject): boolean {
    if ((obj.metadata.finalizers ?? []).length > 0 || (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0) return true;
    const spec = obj['spec'] as { finalizers?: string[] } | undefined;
    return this.#gvr.resource === 'namespaces' && (spec?.finalizers ?? []).length > 0;
  }

  /** Stores an object, or removes it once it is deleted and nothing holds it any more. */
  #store(obj: KubeObject): KubeObject {
    if (obj.metadata.deletionTimestamp && !this.#held(obj)) {
      this.#tracker.remove(this.#gvr, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
      return obj;
    }
    return structuredClone(this.#tracker.put(this.#gvr, obj));
  }

  /** Writes `next` over `cur`: server-set metadata kept, generation moved on by a spec change. */
  #commit(cur: KubeObject, next: KubeObject): KubeObject {
    const m = next.metadata;
    const { uid, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, generation } = cur.metadata;
    Object.assign(m, { uid, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds });
    if (!deletionTimestamp) delete m.deletionTimestamp;
    if (deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
    if (generation === undefined) delete m.generation;
    else m.generation = generation + (jsonEqual(cur['spec'], next['spec']) ? 0 : 1);
    return this.#store(next);
  }

  async #replace(
    verb: 'update' | 'updateStatus',
    namespace: string,
    obj: KubeObject,
    merge: (cur: KubeObject, obj: KubeObject) => KubeObject,
  ): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    await this.#do({ verb, namespace, name, body: structuredClone(obj) });
    const cur = this.#existing(namespace, name);
    this.#check(cur, obj.metadata);
    return this.#commit(cur, merge(cur, structuredClone(obj)));
  }

  async get(namespace: string, name: string): Promise<KubeObject> {
    await this.#do({ verb: 'get', namespace, name });
    return structuredClone(this.#existing(namespace, name));
  }

  async list(namespace: string, options?: ListOptions): Promise<KubeList> {
    await this.#do({ verb: 'list', namespace, name: '' });
    const items = this.#tracker.list(this.#gvr, namespace, options?.labelSelector).map((o) => structuredClone(o));
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: this.#tracker.resourceVersion }, items };
  }

  /** Reports nothing (tests drive informers through the tracker); ends when the signal aborts. */
  watch(_namespace: string, _options: WatchOptions, _onEvent: (event: WatchEvent) => void, signal: AbortSignal): { done: Promise<void> } {
    return { done: new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) };
  }

  async create(namespace: string, obj: KubeObject, _options?: WriteOptions): Promise<KubeObject> {
    const o = structuredClone(obj);
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = generateName(o.metadata.generateName);
    if (namespace) o.metadata.namespace = namespace;
    const name = o.metadata.name ?? '';
    await this.#do({ verb: 'create', namespace, name, body: structuredClone(o) });
    if (this.#tracker.get(this.#gvr, namespace, name)) throw newAlreadyExists(this.#gvr, name);
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'deletionTimestamp'] as const) delete o.metadata[k];
    return structuredClone(this.#tracker.put(this.#gvr, o));
  }

  /** Replaces all but the status. */
  update(namespace: string, obj: KubeObject, _options?: WriteOptions): Promise<KubeObject> {
    return this.#replace('update', namespace, obj, (cur, next) => ({ ...next, status: cur['status'] }));
  }

  updateStatus(namespace: string, obj: KubeObject, _options?: WriteOptions): Promise<KubeObject> {
    return this.#replace('updateStatus', namespace, obj, statusWrite);
  }

  async patch(
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: WriteOptions & { subresource?: string },
  ): Promise<KubeObject> {
    await this.#do({ verb: 'patch', namespace, name, subresource: options?.subresource, body: structuredClone(patch) });
    const cur = this.#existing(namespace, name);
    const next = patched(cur, type, patch);
    this.#check(cur, next.metadata);
    return this.#commit(cur, options?.subresource === 'status' ? statusWrite(cur, next) : next);
  }

  /**
   * Removes the object at once, or marks it deleted while finalizers hold it (then returns it).
   * A deletion under way keeps its grace period unless a shorter one is asked for (0: remove now).
   */
  async delete(namespace: string, name: string, options?: DeleteOptions): Promise<KubeObject | undefined> {
    await this.#do({ verb: 'delete', namespace, name, options });
    const cur = this.#existing(namespace, name);
    this.#check(cur, options?.preconditions ?? {});
    const next = structuredClone(cur);
    const finalizers = new Set(next.metadata.finalizers ?? []);
    if (options?.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (options?.propagationPolicy === 'Orphan') finalizers.add('orphan');
    if (finalizers.size > 0) next.metadata.finalizers = [...finalizers];
    const grace = options?.gracePeriodSeconds;
    if (grace !== undefined && grace < (next.metadata.deletionGracePeriodSeconds ?? 0)) next.metadata.deletionGracePeriodSeconds = grace;
    if (!this.#held(next)) {
      this.#tracker.remove(this.#gvr, namespace, name);
      return undefined;
    }
    next.metadata.deletionTimestamp ??= this.#tracker.timestamp();
    return this.#store(next);
  }

  async createSubresource(namespace: string, name: string, subresource: string, body: unknown): Promise<unknown> {
    await this.#do({ verb: 'createSubresource', namespace, name, subresource, body });
    return body;
  }

  /** Only scale: an autoscaling/v1 Scale of spec.replicas, status.replicas and status.selector. */
  async getSubresource(namespace: string, name: string, subresource: string): Promise<KubeObject> {
    await this.#do({ verb: 'getSubresource', namespace, name, subresource });
    if (subresource !== 'scale') throw new Error(`FakeResourceClient: subresource ${subresource} is not supported`);
    const obj = this.#existing(namespace, name);
    const spec = (obj['spec'] ?? {}) as { replicas?: number };
    const status = (obj['status'] ?? {}) as { replicas?: number; selector?: string };
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name, namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
      spec: { replicas: spec.replicas ?? 0 },
      status: { replicas: status.replicas ?? 0, ...(status.selector !== undefined ? { selector: status.selector } : {}) },
    };
  }

  /** namespaces/finalize (sets spec.finalizers), scale (sets spec.replicas) and approval (sets status). */
  async updateSubresource(namespace: string, name: string, subresource: string, body: KubeObject): Promise<KubeObject> {
    await this.#do({ verb: 'updateSubresource', namespace, name, subresource, body: structuredClone(body) });
    if (subresource === 'scale') {
      const next = structuredClone(this.#existing(namespace, name));
      next['spec'] = { ...(next['spec'] as object), replicas: (body['spec'] as { replicas?: number } | undefined)?.replicas ?? 0 };
      await this.#store(next);
      return this.getSubresource(namespace, name, 'scale');
    }
    if (subresource === 'approval')
      return this.#commit(this.#existing(namespace, name), statusWrite(this.#existing(namespace, name), structuredClone(body)));
    if (subresource !== 'finalize') throw new Error(`FakeResourceClient: subresource ${subresource} is not supported`);
    const next = structuredClone(this.#existing(namespace, name));
    next['spec'] = { ...(next['spec'] as object), finalizers: (body['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? [] };
    return this.#store(next);
  }
}
