/**
 * The watch cache's current objects, by key, with lists by prefix served from per-namespace
 * buckets and sorted results kept until the next change — so listing one namespace does not
 * scan or sort every object of the resource.
 */
import type { KubeObject } from '../../machinery/object.js';

interface Bucket {
  objects: Map<string, KubeObject>;
  sorted: KubeObject[] | undefined;
}

/** `/registry/pods/ns/name` → `/registry/pods/ns/` (the bucket a namespaced list reads). */
function parentOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

function sortedValues(objects: Map<string, KubeObject>): KubeObject[] {
  return [...objects.keys()].sort().map((k) => objects.get(k) as KubeObject);
}

export class ObjectIndex {
  readonly #all: Bucket = { objects: new Map(), sorted: undefined };
  readonly #buckets = new Map<string, Bucket>();

  get(key: string): KubeObject | undefined {
    return this.#all.objects.get(key);
  }

  get size(): number {
    return this.#all.objects.size;
  }

  set(key: string, obj: KubeObject): void {
    this.#all.objects.set(key, obj);
    this.#all.sorted = undefined;
    const parent = parentOf(key);
    let bucket = this.#buckets.get(parent);
    if (!bucket) this.#buckets.set(parent, (bucket = { objects: new Map(), sorted: undefined }));
    bucket.objects.set(key, obj);
    bucket.sorted = undefined;
  }

  delete(key: string): void {
    if (!this.#all.objects.delete(key)) return;
    this.#all.sorted = undefined;
    const parent = parentOf(key);
    const bucket = this.#buckets.get(parent);
    if (!bucket) return;
    bucket.objects.delete(key);
    bucket.sorted = undefined;
    if (bucket.objects.size === 0) this.#buckets.delete(parent);
  }

  /**
   * Objects whose key starts with `prefix`, in key order. `rootPrefix` is the resource's own
   * prefix: a list of it is the whole index. The result is shared: do not change it.
   */
  list(prefix: string, rootPrefix: string): readonly KubeObject[] {
    if (prefix === rootPrefix) return (this.#all.sorted ??= sortedValues(this.#all.objects));
    const bucket = this.#buckets.get(prefix);
    if (bucket) return (bucket.sorted ??= sortedValues(bucket.objects));
    if (prefix.endsWith('/')) return [];
    const matching = new Map<string, KubeObject>();
    for (const [k, v] of this.#all.objects) if (k.startsWith(prefix)) matching.set(k, v);
    return sortedValues(matching);
  }
}
