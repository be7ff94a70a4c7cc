/**
 * An in-memory ResourceClient for unit tests of leader election and the event recorder: one
 * resource, a global resourceVersion counter, Conflict on a stale resourceVersion, AlreadyExists
 * and NotFound as the apiserver answers, merge patches, and a reactor hook to inject failures.
 */
import type { DeleteOptions, ListOptions, PatchType, ResourceClient, WatchEvent, WatchOptions, WriteOptions } from './interface.js';
import { newAlreadyExists, newConflict, newNotFound, OBJECT_MODIFIED, type GroupResource } from '../machinery/errors.js';
import { isPlainObject, type KubeList, type KubeObject } from '../machinery/object.js';

export type FakeVerb = 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';

export interface FakeAction {
  verb: FakeVerb;
  namespace: string;
  name: string;
  /** The body sent (create/update: the object; patch: the patch). */
  body?: unknown;
}

/** Merge patch (RFC 7386); enough for the strategic patches of plain fields tests send. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class FakeResourceClient implements ResourceClient {
  readonly actions: FakeAction[] = [];
  /** Called before every request; throw (or reject) to fail it, return a promise to delay it. */
  reactor?: (action: FakeAction) => void | Promise<void>;
  readonly #gr: GroupResource;
  readonly #objects = new Map<string, KubeObject>();
  #rv = 0;
  #uid = 0;

  constructor(gr: GroupResource) {
    this.#gr = gr;
  }

  /** The stored object (a copy), without recording an action. */
  peek(namespace: string, name: string): KubeObject | undefined {
    const obj = this.#objects.get(`${namespace}/${name}`);
    return obj && structuredClone(obj);
  }

  /** Every stored object (copies). */
  all(): KubeObject[] {
    return [...this.#objects.values()].map((o) => structuredClone(o));
  }

  async #begin(action: FakeAction): Promise<void> {
    this.actions.push(action);
    await Promise.resolve();
    await this.reactor?.(action);
  }

  #store(namespace: string, obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.metadata.namespace = namespace || undefined;
    stored.metadata.resourceVersion = String(++this.#rv);
    this.#objects.set(`${namespace}/${stored.metadata.name ?? ''}`, stored);
    return structuredClone(stored);
  }

  #existing(namespace: string, name: string): KubeObject {
    const obj = this.#objects.get(`${namespace}/${name}`);
    if (!obj) throw newNotFound(this.#gr, name);
    return obj;
  }

  async get(namespace: string, name: string): Promise<KubeObject> {
    await this.#begin({ verb: 'get', namespace, name });
    return structuredClone(this.#existing(namespace, name));
  }

  async list(namespace: string, _options?: ListOptions): Promise<KubeList> {
    await this.#begin({ verb: 'list', namespace, name: '' });
    const items = this.all().filter((o) => !namespace || o.metadata.namespace === namespace);
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(this.#rv) }, items };
  }

  watch(_namespace: string, _options: WatchOptions, _onEvent: (event: WatchEvent) => void, signal: AbortSignal): { done: Promise<void> } {
    return { done: new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) };
  }

  async create(namespace: string, obj: KubeObject, _options?: WriteOptions): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    await this.#begin({ verb: 'create', namespace, name, body: structuredClone(obj) });
    if (this.#objects.has(`${namespace}/${name}`)) throw newAlreadyExists(this.#gr, name);
    const created = structuredClone(obj);
    created.metadata.uid = `uid-${++this.#uid}`;
    return this.#store(namespace, created);
  }

  async update(namespace: string, obj: KubeObject, _options?: WriteOptions): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    await this.#begin({ verb: 'update', namespace, name, body: structuredClone(obj) });
    const old = this.#existing(namespace, name);
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw newConflict(this.#gr, name, OBJECT_MODIFIED);
    const next = structuredClone(obj);
    next.metadata.uid = old.metadata.uid;
    return this.#store(namespace, next);
  }

  updateStatus(namespace: string, obj: KubeObject, _options?: WriteOptions): Promise<KubeObject> {
    return this.update(namespace, obj);
  }

  async patch(namespace: string, name: string, _type: PatchType, patch: unknown, _options?: WriteOptions): Promise<KubeObject> {
    await this.#begin({ verb: 'patch', namespace, name, body: structuredClone(patch) });
    const old = this.#existing(namespace, name);
    const next = mergePatch(old, patch) as KubeObject;
    return this.#store(namespace, next);
  }

  async delete(namespace: string, name: string, _options?: DeleteOptions): Promise<KubeObject | undefined> {
    await this.#begin({ verb: 'delete', namespace, name });
    const old = this.#existing(namespace, name);
    this.#objects.delete(`${namespace}/${name}`);
    return structuredClone(old);
  }

  async createSubresource(_namespace: string, _name: string, _subresource: string, _body: unknown): Promise<unknown> {
    throw new Error('FakeResourceClient: subresources are not supported');
  }
}
