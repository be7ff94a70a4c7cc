/**
 * An informer's cache (client-go's thread-safe store + indexers): objects by `namespace/name`
 * key, named indices from IndexFuncs (the `namespace` index is built in), and the Lister reads.
 */
import type { KubeObject } from '../machinery/object.js';
import { parseSelector, type Selector } from '../machinery/labels.js';
import { type IndexFunc, type Lister, objectKey } from './interface.js';

/** The built-in index of every informer: objects by metadata.namespace ('' when cluster-scoped). */
export const NAMESPACE_INDEX = 'namespace';

export class IndexerError extends Error {
  readonly code = 'IndexNotFound';
  constructor(message: string) {
    super(message);
    this.name = 'IndexerError';
  }
}

const SELECTOR_CACHE_SIZE = 128;

export class Indexer implements Lister {
  readonly #items = new Map<string, KubeObject>();
  readonly #indexers = new Map<string, IndexFunc>();
  readonly #indices = new Map<string, Map<string, Set<string>>>();
  readonly #selectors = new Map<string, Selector>();

  constructor() {
    this.addIndexer(NAMESPACE_INDEX, (obj) => [obj.metadata.namespace ?? '']);
  }

  /** Adds an index and builds it from the current items. A name already taken keeps its first function. */
  addIndexer(name: string, fn: IndexFunc): void {
    if (this.#indexers.has(name)) return;
    this.#indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.#indices.set(name, index);
    for (const [key, obj] of this.#items) this.#indexOne(index, fn, key, obj);
  }

  hasIndex(name: string): boolean {
    return this.#indexers.has(name);
  }

  get size(): number {
    return this.#items.size;
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  values(): IterableIterator<KubeObject> {
    return this.#items.values();
  }

  getByKey(key: string): KubeObject | undefined {
    return this.#items.get(key);
  }

  /** Inserts or replaces the object under its key; returns the previous one. */
  upsert(obj: KubeObject): KubeObject | undefined {
    const key = objectKey(obj);
    const old = this.#items.get(key);
    if (old) this.#unindex(key, old);
    this.#items.set(key, obj);
    for (const [name, fn] of this.#indexers) this.#indexOne(this.#indices.get(name) as Map<string, Set<string>>, fn, key, obj);
    return old;
  }

  /** Removes the object with this key; returns it. */
  remove(key: string): KubeObject | undefined {
    const old = this.#items.get(key);
    if (!old) return undefined;
    this.#unindex(key, old);
    this.#items.delete(key);
    return old;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.#items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(namespace?: string, labelSelector?: string): KubeObject[] {
    const selector = labelSelector ? this.#selector(labelSelector) : undefined;
    const source = namespace ? this.byIndex(NAMESPACE_INDEX, namespace) : this.#items.values();
    const out: KubeObject[] = [];
    for (const obj of source) if (!selector || selector.matches(obj.metadata.labels)) out.push(obj);
    return out;
  }

  byIndex(indexName: string, value: string): KubeObject[] {
    const index = this.#indices.get(indexName);
    if (!index) throw new IndexerError(`Index with name ${indexName} does not exist`);
    const keys = index.get(value);
    if (!keys) return [];
    const out: KubeObject[] = [];
    for (const key of keys) {
      const obj = this.#items.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  /** The values an index holds (e.g. every node name pods are bound to). */
  indexValues(indexName: string): string[] {
    const index = this.#indices.get(indexName);
    if (!index) throw new IndexerError(`Index with name ${indexName} does not exist`);
    return [...index.keys()];
  }

  #selector(text: string): Selector {
    let s = this.#selectors.get(text);
    if (!s) {
      s = parseSelector(text);
      if (this.#selectors.size >= SELECTOR_CACHE_SIZE) this.#selectors.clear();
      this.#selectors.set(text, s);
    }
    return s;
  }

  #indexOne(index: Map<string, Set<string>>, fn: IndexFunc, key: string, obj: KubeObject): void {
    for (const value of fn(obj)) {
      let keys = index.get(value);
      if (!keys) {
        keys = new Set();
        index.set(value, keys);
      }
      keys.add(key);
    }
  }

  #unindex(key: string, obj: KubeObject): void {
    for (const [name, fn] of this.#indexers) {
      const index = this.#indices.get(name) as Map<string, Set<string>>;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
