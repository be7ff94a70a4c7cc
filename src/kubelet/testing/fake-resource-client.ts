/**
 * An in-memory ResourceClient for the kubelet's unit tests: a map of objects with
 * resourceVersions, merge patches, uid preconditions and a log of every write.
 */
import type {
  DeleteOptions,
  ListOptions,
  PatchType,
  ResourceClient,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from '../../client/interface.js';
import { newAlreadyExists, newConflict, newNotFound } from '../../machinery/errors.js';
import type { KubeList, KubeObject } from '../../machinery/object.js';
import { applyMergePatch } from '../../machinery/patch/merge-patch.js';

export interface WriteRecord {
  verb: 'create' | 'update' | 'patch' | 'delete';
  namespace: string;
  name: string;
  subresource?: string;
  body?: unknown;
  options?: unknown;
}

export class FakeResourceClient implements ResourceClient {
  readonly resource: string;
  readonly objects = new Map<string, KubeObject>();
  readonly writes: WriteRecord[] = [];
  #rv = 1;
  #uid = 1;

  constructor(resource = 'pods') {
    this.resource = resource;
  }

  #key(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  #gr() {
    return { group: '', resource: this.resource };
  }

  /** Puts an object as the server would hold it (uid and resourceVersion set). */
  seed(obj: KubeObject): KubeObject {
    const o = structuredClone(obj);
    o.metadata.uid ??= `uid-${this.#uid++}`;
    o.metadata.resourceVersion = String(this.#rv++);
    this.objects.set(this.#key(o.metadata.namespace ?? '', o.metadata.name ?? ''), o);
    return structuredClone(o);
  }

  async get(namespace: string, name: string): Promise<KubeObject> {
    const o = this.objects.get(this.#key(namespace, name));
    if (!o) throw newNotFound(this.#gr(), name);
    return structuredClone(o);
  }

  async list(namespace: string, _options?: ListOptions): Promise<KubeList> {
    const items = [...this.objects.values()].filter((o) => !namespace || o.metadata.namespace === namespace).map((o) => structuredClone(o));
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(this.#rv) }, items };
  }

  watch(_namespace: string, _options: WatchOptions, _onEvent: (event: WatchEvent) => void, _signal: AbortSignal): { done: Promise<void> } {
    return { done: Promise.resolve() };
  }

  async create(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    this.writes.push({ verb: 'create', namespace, name, body: structuredClone(obj), options });
    if (this.objects.has(this.#key(namespace, name))) throw newAlreadyExists(this.#gr(), name);
    return this.seed({ ...obj, metadata: { ...obj.metadata, ...(namespace ? { namespace } : {}) } });
  }

  async update(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    const name = obj.metadata.name ?? '';
    this.writes.push({ verb: 'update', namespace, name, body: structuredClone(obj), options });
    const cur = await this.get(namespace, name);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw newConflict(this.#gr(), name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return this.seed({ ...obj, metadata: { ...obj.metadata, uid: cur.metadata.uid } });
  }

  updateStatus(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    return this.update(namespace, obj, options);
  }

  async patch(
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: WriteOptions & { subresource?: string },
  ): Promise<KubeObject> {
    this.writes.push({ verb: 'patch', namespace, name, subresource: options?.subresource, body: structuredClone(patch), options });
    if (type !== 'merge') throw new Error(`fake client: ${type} patches are not supported`);
    const cur = await this.get(namespace, name);
    const next = applyMergePatch(cur, patch) as KubeObject;
    if (next.metadata.uid !== cur.metadata.uid) {
      throw newConflict(
        this.#gr(),
        name,
        `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${cur.metadata.uid}`,
      );
    }
    return this.seed(next);
  }

  async delete(namespace: string, name: string, options?: DeleteOptions): Promise<KubeObject | undefined> {
    this.writes.push({ verb: 'delete', namespace, name, options });
    const cur = await this.get(namespace, name);
    if (options?.preconditions?.uid && options.preconditions.uid !== cur.metadata.uid) {
      throw newConflict(this.#gr(), name, 'Precondition failed');
    }
    this.objects.delete(this.#key(namespace, name));
    return undefined;
  }

  async createSubresource(): Promise<unknown> {
    throw new Error('fake client: subresources are not supported');
  }
}
