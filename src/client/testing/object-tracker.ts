/**
 * The objects of a fake cluster, as the apiserver would hold them (client-go's
 * testing.ObjectTracker): one map per resource, a global resourceVersion, server-set metadata
 * filled in, and watchers told of every change at once. Stored objects are frozen, so code that
 * changes an object it read from a lister (instead of a copy) throws.
 */
import { randomUUID } from 'node:crypto';
import { type GroupVersionResource, objectKey, type ResourceEventHandler } from '../interface.js';
import { parseSelector } from '../../machinery/labels.js';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';

/** A GroupResource as upstream prints it: `pods`, `replicasets.apps`. */
export function groupResource(gvr: GroupVersionResource): string {
  return gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource;
}

/** The `namespace/name` key of objectKey (just `name` for cluster-scoped objects). */
export function namespacedKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The objects in one namespace (all when empty) that match a label selector (all when empty). */
export function selectObjects(objects: Iterable<KubeObject>, namespace?: string, labelSelector?: string): KubeObject[] {
  const sel = labelSelector ? parseSelector(labelSelector) : undefined;
  return [...objects].filter((o) => (!namespace || o.metadata.namespace === namespace) && (!sel || sel.matches(o.metadata.labels)));
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

export class ObjectTracker {
  readonly #clock: { now(): number };
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #watchers = new Map<string, Set<ResourceEventHandler>>();
  #rv = 1;

  constructor(clock: { now(): number }) {
    this.#clock = clock;
  }

  /** The resourceVersion of the last write. */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** The current time as metav1.Time, for creation and deletion timestamps. */
  timestamp(): string {
    return rfc3339(this.#clock.now());
  }

  #store(gvr: GroupVersionResource): Map<string, KubeObject> {
    const id = groupResource(gvr);
    let s = this.#objects.get(id);
    if (!s) this.#objects.set(id, (s = new Map()));
    return s;
  }

  #watchersOf(gvr: GroupVersionResource): Set<ResourceEventHandler> {
    const id = groupResource(gvr);
    let w = this.#watchers.get(id);
    if (!w) this.#watchers.set(id, (w = new Set()));
    return w;
  }

  get(gvr: GroupVersionResource, namespace: string, name: string): KubeObject | undefined {
    return this.#store(gvr).get(namespacedKey(namespace, name));
  }

  list(gvr: GroupVersionResource, namespace?: string, labelSelector?: string): KubeObject[] {
    return selectObjects(this.#store(gvr).values(), namespace, labelSelector);
  }

  /**
   * Stores an object as the server would after accepting it: a new resourceVersion, and uid,
   * creationTimestamp and (for an object with a spec) generation kept from the object it
   * replaces or set afresh. Stored as JSON, so fields set to undefined are gone. Watchers see an
   * add or an update. Returns the stored object.
   */
  put(gvr: GroupVersionResource, obj: KubeObject): KubeObject {
    const o = JSON.parse(JSON.stringify(obj)) as KubeObject;
    const key = objectKey(o);
    const old = this.#store(gvr).get(key);
    o.metadata.uid ??= old?.metadata.uid ?? randomUUID();
    o.metadata.creationTimestamp ??= old?.metadata.creationTimestamp ?? this.timestamp();
    if ('spec' in o) o.metadata.generation ??= old?.metadata.generation ?? 1;
    o.metadata.resourceVersion = String(++this.#rv);
    deepFreeze(o);
    this.#store(gvr).set(key, o);
    for (const w of this.#watchersOf(gvr)) {
      if (old) w.onUpdate?.(old, o);
      else w.onAdd?.(o);
    }
    return o;
  }

  /** Removes an object; with `notify: false` no watcher hears of it (an informer that lags). */
  remove(gvr: GroupVersionResource, namespace: string, name: string, { notify = true } = {}): void {
    const key = namespacedKey(namespace, name);
    const old = this.#store(gvr).get(key);
    if (!old) return;
    this.#store(gvr).delete(key);
    this.#rv++;
    if (notify) for (const w of this.#watchersOf(gvr)) w.onDelete?.(old);
  }

  /** Tells `handler` of every later change to a resource, until the returned function is called. */
  watch(gvr: GroupVersionResource, handler: ResourceEventHandler): () => void {
    const watchers = this.#watchersOf(gvr);
    watchers.add(handler);
    return () => watchers.delete(handler);
  }
}
