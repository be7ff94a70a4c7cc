/**
 * The resources this server serves: one ResourceStore (with its watch cache) per
 * group/version/resource, grouped for discovery. Custom resources are added and removed at
 * run time.
 */
import type { ResourceType } from '../api/resource.js';
import type { Storage } from '../storage/interface.js';
import { WatchCache } from './watch/cache.js';
import { ResourceStore } from './registry/store.js';
import { resourcePrefix } from './registry/keys.js';
import type { FieldTracker } from './registry/field-tracker.js';
import type { StoreHooks } from './registry/hooks.js';
import type { AdmissionChain } from './admission/interface.js';
import { groupRank, type GroupVersions } from './discovery/documents.js';
import type { TransformerFor } from './encryption/interface.js';
import { TransformingStorage } from './encryption/transforming-storage.js';

export interface ApiRegistryOptions {
  storage: Storage;
  tracker: FieldTracker;
  admission?: AdmissionChain;
  historyMs?: number;
  /** Encryption at rest (--encryption-provider-config): the transformer of each group resource. */
  encryption?: TransformerFor;
}

/** Versions preferred first: v2 before v1 before v1beta1 (kube-aware ordering). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stability = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] as number) - (pb[i] as number);
  return a.localeCompare(b);
}

export class ApiRegistry {
  readonly #stores = new Map<string, ResourceStore>();
  readonly #caches = new Map<string, WatchCache>();
  readonly #options: ApiRegistryOptions;
  /** The encrypting view of storage of each storage prefix that has a transformer. */
  readonly #transforming = new Map<string, TransformingStorage>();

  constructor(options: ApiRegistryOptions) {
    this.#options = options;
  }

  static key(group: string, version: string, plural: string): string {
    return `${group}/${version}/${plural}`;
  }

  /** Serves a resource; its watch cache is ready when the promise resolves. */
  async add(type: ResourceType, hooks?: StoreHooks): Promise<ResourceStore> {
    const key = ApiRegistry.key(type.group, type.version, type.plural);
    const cacheKey = `${resourcePrefix(type)}|${type.group}/${type.version}`;
    const transforming = this.#transformingStorage(type);
    const storage = transforming ?? this.#options.storage;
    let cache = this.#caches.get(cacheKey);
    if (!cache) {
      cache = new WatchCache({
        storage: transforming?.forWatchCache() ?? storage,
        prefix: resourcePrefix(type),
        ...(this.#options.historyMs !== undefined ? { historyMs: this.#options.historyMs } : {}),
        ...(type.storage ? { decode: type.storage.fromStorage } : {}),
      });
      this.#caches.set(cacheKey, cache);
    }
    const store = new ResourceStore({
      type,
      storage,
      ...(transforming ? { valueHealth: transforming } : {}),
      cache,
      tracker: this.#options.tracker,
      ...(hooks ? { hooks } : {}),
      ...(this.#options.admission ? { admission: this.#options.admission } : {}),
    });
    this.#stores.set(key, store);
    await cache.start();
    return store;
  }

  /** Storage through the resource's encryption transformer, when the configuration names the resource. */
  #transformingStorage(type: ResourceType): TransformingStorage | undefined {
    const transformer = this.#options.encryption?.(type.storage?.group ?? type.group, type.storage?.plural ?? type.plural);
    if (!transformer) return undefined;
    const prefix = resourcePrefix(type);
    let storage = this.#transforming.get(prefix);
    if (!storage) {
      storage = new TransformingStorage({ storage: this.#options.storage, transformer });
      this.#transforming.set(prefix, storage);
    }
    return storage;
  }

  remove(group: string, version: string, plural: string): void {
    const key = ApiRegistry.key(group, version, plural);
    const store = this.#stores.get(key);
    if (!store) return;
    this.#stores.delete(key);
    for (const [k, c] of this.#caches) {
      if (c === store.cache) {
        c.stop();
        this.#caches.delete(k);
      }
    }
  }

  lookup(group: string, version: string, plural: string): ResourceStore | undefined {
    return this.#stores.get(ApiRegistry.key(group, version, plural));
  }

  /** The store of a kind in its preferred version. */
  forKind(group: string, kind: string): ResourceStore | undefined {
    let best: ResourceStore | undefined;
    for (const s of this.#stores.values()) {
      if (s.type.group !== group || s.type.kind !== kind) continue;
      if (!best || compareVersions(s.type.version, best.type.version) < 0) best = s;
    }
    return best;
  }

  hasGroupVersion(group: string, version: string): boolean {
    for (const s of this.#stores.values()) if (s.type.group === group && s.type.version === version) return true;
    return false;
  }

  stores(): IterableIterator<ResourceStore> {
    return this.#stores.values();
  }

  /** Groups in discovery order, each with its versions preferred first. */
  groups(extra: ResourceType[] = []): GroupVersions[] {
    const byGroup = new Map<string, Map<string, ResourceType[]>>();
    const all = [...[...this.#stores.values()].map((s) => s.type), ...extra];
    for (const t of all) {
      let versions = byGroup.get(t.group);
      if (!versions) byGroup.set(t.group, (versions = new Map()));
      let list = versions.get(t.version);
      if (!list) versions.set(t.version, (list = []));
      list.push(t);
    }
    return [...byGroup.entries()]
      .sort(([a], [b]) => groupRank(a) - groupRank(b) || a.localeCompare(b))
      .map(([group, versions]) => ({
        group,
        versions: [...versions.entries()]
          .sort(([a], [b]) => compareVersions(a, b))
          .map(([version, resources]) => ({ group, version, resources })),
      }));
  }

  stop(): void {
    for (const c of this.#caches.values()) c.stop();
  }
}
