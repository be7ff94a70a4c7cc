/**
 * The CRD controller of the apiserver (upstream's naming, establishing and CRD handler
 * bookkeeping in one): it follows the customresourcedefinitions watch cache and, per CRD,
 * accepts names, serves one ResourceType per served version, marks the CRD Established, and on
 * deletion hands over to the finalizer that removes every custom resource first.
 */
import type { ResourceType } from '../../api/resource.js';
import { newMethodNotSupported } from '../../machinery/errors.js';
import type { CustomResourceOpenApi } from '../openapi/index.js';
import type { ApiRegistry } from '../api-registry.js';
import type { StoreHooks } from '../registry/hooks.js';
import type { ResourceStore } from '../registry/store.js';
import { asCRD, isConditionTrue, servedVersions, setCondition, type CustomResourceDefinition } from './crd-object.js';
import { customResourceType } from './custom-resource.js';
import { finalizeCRD } from './finalizer.js';
import { calculateNames, servedNames } from './naming.js';
import { WorkQueue } from './queue.js';
import { systemWriteOptions } from './system.js';
import { cloneJson } from '../../machinery/clone.js';
import { rfc3339 } from '../../machinery/time.js';

/** Where custom resource schemas are published (the OpenAPI service). */
export interface CustomResourcePublisher {
  setCustomResource(resource: CustomResourceOpenApi): void;
  removeCustomResource(group: string, version: string, plural: string): unknown;
}

export interface CRDControllerOptions {
  registry: ApiRegistry;
  /** The customresourcedefinitions store, with the CRD strategy. */
  store: ResourceStore;
  openapi?: CustomResourcePublisher;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

interface Served {
  fingerprint: string;
  keys: [string, string, string][];
}

export class CustomResourceDefinitionController {
  readonly #registry: ApiRegistry;
  readonly #store: ResourceStore;
  readonly #openapi: CustomResourcePublisher | undefined;
  readonly #now: () => Date;
  readonly #queue: WorkQueue;
  readonly #served = new Map<string, Served>();
  #unwatch: (() => void) | undefined;

  constructor(options: CRDControllerOptions) {
    this.#registry = options.registry;
    this.#store = options.store;
    this.#openapi = options.openapi;
    this.#now = options.now ?? (() => new Date());
    const onError = options.onError ?? ((err: unknown) => console.error(`customresourcedefinitions: ${(err as Error).message}`));
    this.#queue = new WorkQueue({ sync: (name) => this.sync(name), onError: (_key, err) => onError(err) });
  }

  /** Watches CRDs and syncs the existing ones; resolves when they are served. */
  async start(): Promise<void> {
    const cache = this.#store.cache;
    await cache.start();
    for (const obj of cache.list(this.#store.prefix)) this.#queue.add(obj.metadata.name ?? '');
    this.#unwatch = cache.watch(cache.revision, (ev) => this.#queue.add(ev.object.metadata.name ?? ''));
    await this.#queue.whenIdle();
  }

  /** Resolves when every queued CRD has been processed (tests). */
  whenIdle(): Promise<void> {
    return this.#queue.whenIdle();
  }

  stop(): void {
    this.#unwatch?.();
    this.#queue.stop();
  }

  /** Level-triggered: brings serving and status of one CRD in line with its spec. */
  async sync(name: string): Promise<void> {
    const current = await this.#store.read('', name);
    if (!current) {
      this.#unserve(name);
      return;
    }
    const crd = asCRD(current.obj);
    if (crd.metadata.deletionTimestamp) {
      const requeueMs = await finalizeCRD({ crd, store: this.#store, registry: this.#registry, now: this.#now });
      if (requeueMs !== undefined) this.#queue.addAfter(name, requeueMs);
      return;
    }
    const all = this.#store.cache.list(this.#store.prefix).map(asCRD);
    const naming = calculateNames(crd, all);
    const names = servedNames(naming.acceptedNames);
    const serve = names !== undefined && (naming.namesAccepted.status === 'True' || isConditionTrue(crd, 'Established'));
    if (serve) await this.#serve(crd, names);
    const now = rfc3339(this.#now());
    const desired = cloneJson(crd);
    desired.status ??= {};
    desired.status.acceptedNames = naming.acceptedNames;
    setCondition(desired, naming.namesAccepted, now);
    const established = serve
      ? { type: 'Established', status: 'True' as const, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }
      : naming.established;
    setCondition(desired, established, now);
    if (JSON.stringify(desired.status) === JSON.stringify(crd.status)) return;
    await this.#store.update(
      {
        namespace: '',
        name,
        subresource: 'status',
        tryUpdate: (cur) => {
          if (cur.metadata.uid !== crd.metadata.uid) throw new Error(`customresourcedefinition ${name} was replaced`);
          return { ...cur, status: desired.status };
        },
      },
      systemWriteOptions(),
    );
  }

  async #serve(crd: CustomResourceDefinition, names: NonNullable<ReturnType<typeof servedNames>>): Promise<void> {
    const name = crd.metadata.name ?? '';
    const versions = servedVersions(crd, names);
    const fingerprint = JSON.stringify([crd.metadata.uid, versions]);
    const prior = this.#served.get(name);
    if (prior?.fingerprint === fingerprint) return;
    if (prior) this.#unpublish(prior);
    const keys: [string, string, string][] = [];
    for (const v of versions) {
      const type: ResourceType = customResourceType(v);
      await this.#registry.add(type, this.#hooks(name));
      keys.push([type.group, type.version, type.plural]);
      this.#openapi?.setCustomResource({
        group: v.group,
        version: v.version,
        kind: v.names.kind,
        listKind: v.names.listKind,
        plural: v.names.plural,
        namespaced: v.namespaced,
        ...(v.schema ? { schema: v.schema } : {}),
        status: v.status,
        scale: v.scale !== undefined,
      });
    }
    this.#served.set(name, { fingerprint, keys });
  }

  #unpublish(prior: Served): void {
    for (const [g, v, p] of prior.keys) {
      this.#registry.remove(g, v, p);
      this.#openapi?.removeCustomResource(g, v, p);
    }
  }

  /** Custom resources of a terminating CRD may not be created (upstream's CRD handler). */
  #hooks(crdName: string): StoreHooks {
    const store = this.#store;
    return {
      beforeCreate() {
        const crd = store.cache.get(store.key('', crdName));
        if (crd && isConditionTrue(asCRD(crd), 'Terminating')) {
          const spec = asCRD(crd).spec;
          const err = newMethodNotSupported({ group: spec.group, resource: spec.names.plural ?? '' }, 'create');
          err.status.message = 'create not allowed while custom resource definition is terminating';
          throw err;
        }
        return undefined;
      },
    };
  }

  #unserve(name: string): void {
    const prior = this.#served.get(name);
    if (!prior) return;
    this.#unpublish(prior);
    this.#served.delete(name);
  }

  /** Whether a CRD's resources are served now (tests and diagnostics). */
  isServed(name: string): boolean {
    return this.#served.has(name);
  }
}
