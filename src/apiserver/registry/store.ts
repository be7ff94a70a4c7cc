/**
 * The generic registry store of one resource (upstream's genericregistry.Store): create, get,
 * update through guaranteedUpdate, delete with finalizers and graceful deletion. Per-kind
 * behaviour comes only from the ResourceType's strategy.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceType } from '../../api/resource.js';
import type { Storage } from '../../storage/interface.js';
import { isStorageError } from '../../storage/interface.js';
import type { KubeObject } from '../../machinery/object.js';
import {
  OBJECT_MODIFIED,
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newInvalid,
  newNotFound,
  isStatusError,
  type FieldError,
  type GroupResource,
} from '../../machinery/errors.js';
import type { WatchCache } from '../watch/cache.js';
import type { WriteOptions } from './context.js';
import { encodeForStorage, decodeStored, rememberWrittenJson } from './codec.js';
import { objectKey, resourcePrefix } from './keys.js';
import { validateMetadataForCreate, validateMetadataForUpdate } from './metadata.js';
import { hasSpecChange, sameObject } from './compare.js';
import type { FieldTracker } from './field-tracker.js';
import { generateNameFor } from './generate-name.js';
import type { Rollback, StoreHooks } from './hooks.js';
import { AdmissionChain, type AdmissionAttributes } from '../admission/interface.js';
import { cloneJson } from '../../machinery/clone.js';
import { rfc3339 } from '../../machinery/time.js';
import type { StoredValueHealth } from '../encryption/transforming-storage.js';

export interface ResourceStoreOptions {
  type: ResourceType;
  storage: Storage;
  cache: WatchCache;
  tracker: FieldTracker;
  hooks?: StoreHooks;
  admission?: AdmissionChain;
  now?: () => Date;
  /** Names from generateName (default: the prefix and five random characters). */
  generateName?: (prefix: string) => string;
  /** With encryption at rest: values the watch cache could not read, and values to rewrite on update. */
  valueHealth?: StoredValueHealth;
}

/** Produces the desired object from the current one; throwing aborts the update. */
export type TryUpdate = (current: KubeObject) => KubeObject | Promise<KubeObject>;

export interface UpdateRequest {
  namespace: string;
  name: string;
  tryUpdate: TryUpdate;
  subresource?: string;
  /** PUT semantics: create when absent if the kind allows it (AllowCreateOnUpdate). */
  createIfMissing?: () => KubeObject | Promise<KubeObject>;
  /** Records the operation in managedFields (false when the apply engine did it already, or for deletion marks). */
  trackFields?: boolean;
  /** The delete path may set deletionTimestamp and deletionGracePeriodSeconds. */
  allowDeletionMarks?: boolean;
  /**
   * The registry's own write (pods/binding, deletion marks): spec and status are stored as
   * given and the kind's update strategy (which guards client updates) does not run.
   */
  registryWrite?: boolean;
}

const MAX_RETRIES = 10;
/** How often a create from generateName tries another name after AlreadyExists (upstream's RetryGenerateName). */
const MAX_NAME_GENERATION_ATTEMPTS = 8;

export class ResourceStore {
  readonly type: ResourceType;
  readonly prefix: string;
  readonly resource: GroupResource;
  readonly storage: Storage;
  readonly cache: WatchCache;
  readonly #tracker: FieldTracker;
  readonly #hooks: StoreHooks;
  readonly #valueHealth: StoredValueHealth | undefined;
  readonly admission: AdmissionChain;
  readonly #now: () => Date;
  readonly #generateName: (prefix: string) => string;

  constructor(options: ResourceStoreOptions) {
    this.type = options.type;
    this.storage = options.storage;
    this.cache = options.cache;
    this.#tracker = options.tracker;
    this.#hooks = options.hooks ?? {};
    this.#valueHealth = options.valueHealth;
    this.admission = options.admission ?? new AdmissionChain();
    this.#now = options.now ?? (() => new Date());
    this.#generateName = options.generateName ?? generateNameFor;
    this.prefix = resourcePrefix(options.type);
    this.resource = { group: options.type.group, resource: options.type.plural };
  }

  get apiVersion(): string {
    return this.type.group ? `${this.type.group}/${this.type.version}` : this.type.version;
  }

  key(namespace: string, name: string): string {
    return objectKey(this.prefix, this.type.namespaced ? namespace : '', name);
  }

  /** The current object from the watch cache. The result is shared: clone before changing it. */
  get(namespace: string, name: string): KubeObject {
    const key = this.key(namespace, name);
    const obj = this.cache.get(key);
    if (!obj) throw this.#valueHealth?.failure(key) ?? newNotFound(this.resource, name);
    return obj;
  }

  /** The current object read from storage (consistent), decoded into a fresh copy. */
  async read(namespace: string, name: string): Promise<{ obj: KubeObject; modRevision: number } | undefined> {
    const kv = await this.storage.get(this.key(namespace, name));
    if (!kv) return undefined;
    return { obj: this.#fromStorage(decodeStored(kv.value, kv.modRevision)), modRevision: kv.modRevision };
  }

  /** The watch cache's object (shared: never changed here) with its revision, if cached. */
  #cached(namespace: string, name: string): { obj: KubeObject; modRevision: number } | undefined {
    const obj = this.cache.get(this.key(namespace, name));
    const modRevision = Number(obj?.metadata.resourceVersion);
    return obj && Number.isSafeInteger(modRevision) ? { obj, modRevision } : undefined;
  }

  #fromStorage(obj: KubeObject): KubeObject {
    return this.type.storage ? this.type.storage.fromStorage(obj) : obj;
  }

  #toStorage(obj: KubeObject): string {
    return encodeForStorage(this.type.storage ? this.type.storage.toStorage(obj) : obj);
  }

  #invalid(obj: KubeObject, errs: FieldError[]): Error {
    return newInvalid({ group: this.type.group, kind: this.type.kind }, obj.metadata.name ?? '', errs);
  }

  /**
   * Creates the object. A name made from generateName that is taken already is made again, up
   * to 8 times, as upstream's apiserver does; the last AlreadyExists is the answer.
   */
  async create(namespace: string, obj: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    if (obj.metadata?.name || !obj.metadata?.generateName) return this.#createOnce(namespace, obj, opts);
    const original = cloneJson(obj);
    const warnings = opts.warnings.length;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#createOnce(namespace, attempt === 1 ? obj : cloneJson(original), opts);
      } catch (err) {
        if (attempt >= MAX_NAME_GENERATION_ATTEMPTS || !isStatusError(err, 'AlreadyExists')) throw err;
        opts.warnings.length = warnings;
      }
    }
  }

  async #createOnce(namespace: string, obj: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const meta = (obj.metadata ??= {});
    if (this.type.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace || meta.namespace || '';
    } else {
      delete meta.namespace;
    }
    if (meta.resourceVersion) throw newBadRequest('resourceVersion should not be set on objects to be created');
    obj.apiVersion = this.apiVersion;
    obj.kind = this.type.kind;
    if (!meta.name && meta.generateName) meta.name = this.#generateName(meta.generateName);
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.#now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    const strategy = this.type.strategy;
    strategy.defaults?.(obj);
    strategy.prepareForCreate?.(obj);
    if ('spec' in obj) meta.generation = 1;
    else delete meta.generation;
    const attrs = this.#attributes('CREATE', meta.namespace ?? '', meta.name ?? '', '', obj, undefined, opts);
    await this.admission.admit(attrs);
    const errs = [...validateMetadataForCreate(this.type, obj), ...(strategy.validate?.(obj) ?? [])];
    if (errs.length > 0) throw this.#invalid(obj, errs);
    dropEmptyMetadata(meta);
    await this.admission.validate(attrs);
    opts.warnings.push(...(strategy.warnings?.(obj) ?? []));
    const rollback = this.#hooks.beforeCreate?.(obj, opts.dryRun);
    try {
      const tracked =
        opts.trackFieldsOnCreate === false
          ? obj
          : this.#tracker.update({
              old: undefined,
              updated: obj,
              manager: opts.fieldManager,
              apiVersion: this.apiVersion,
              subresource: '',
              hasStatus: Boolean(this.type.status),
            });
      if (opts.dryRun) {
        rollback?.();
        return tracked;
      }
      const value = this.#toStorage(tracked);
      const rev = await this.storage.create(this.key(meta.namespace ?? '', meta.name ?? ''), value);
      tracked.metadata.resourceVersion = String(rev);
      if (!this.type.storage) rememberWrittenJson(tracked, value, rev);
      return tracked;
    } catch (err) {
      rollback?.();
      if (isStorageError(err, 'KeyExists')) throw newAlreadyExists(this.resource, meta.name ?? '');
      throw err;
    }
  }

  /**
   * Read-modify-write with optimistic concurrency (guaranteedUpdate): retried on storage
   * conflicts unless the desired object names a resourceVersion, which is then a precondition.
   */
  async update(req: UpdateRequest, opts: WriteOptions): Promise<{ obj: KubeObject; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      // the first attempt starts from the watch cache's copy (upstream's cachedExistingObject):
      // storage's compare-and-swap on its revision catches a stale one, and the retry reads storage
      const cached = attempt === 0 ? this.#cached(req.namespace, req.name) : undefined;
      const current = cached ?? (await this.read(req.namespace, req.name));
      if (!current) {
        if (req.createIfMissing) {
          const obj = await req.createIfMissing();
          return { obj: await this.create(req.namespace, obj, opts), created: true };
        }
        throw newNotFound(this.resource, req.name);
      }
      const old = current.obj;
      const desired = await req.tryUpdate(cloneJson(old));
      const precondition = desired.metadata?.resourceVersion;
      if (precondition && precondition !== old.metadata.resourceVersion) {
        if (cached) continue;
        throw newConflict(this.resource, req.name, OBJECT_MODIFIED);
      }
      let next = this.#prepareUpdate(desired, old, req);
      const attrs = this.#attributes('UPDATE', req.namespace, req.name, req.subresource ?? '', next, old, opts);
      await this.admission.admit(attrs);
      await this.admission.validate(attrs);
      if (req.trackFields !== false) {
        next = this.#tracker.update({
          old,
          updated: next,
          manager: opts.fieldManager,
          apiVersion: this.apiVersion,
          subresource: req.subresource ?? '',
          hasStatus: Boolean(this.type.status),
        });
      }
      // a value written with another key than the current one is rewritten even unchanged (upstream's stale read)
      if (sameObject(next, old) && !this.#valueHealth?.isStale(this.key(req.namespace, req.name)))
        return { obj: cached ? cloneJson(old) : old, created: false };
      opts.warnings.push(...(this.type.strategy.warnings?.(next) ?? []));
      if (next.metadata.deletionTimestamp && !this.#blocked(next)) {
        if (opts.dryRun) return { obj: next, created: false };
        try {
          await this.storage.delete(this.key(req.namespace, req.name), current.modRevision);
          return { obj: next, created: false };
        } catch (err) {
          if (isStorageError(err, 'Conflict') && attempt < MAX_RETRIES) continue;
          if (isStorageError(err, 'KeyNotFound')) throw newNotFound(this.resource, req.name);
          throw err;
        }
      }
      const rollback: Rollback | undefined = this.#hooks.beforeUpdate?.(next, old, opts.dryRun);
      if (opts.dryRun) {
        rollback?.();
        return { obj: next, created: false };
      }
      try {
        const value = this.#toStorage(next);
        const rev = await this.storage.update(this.key(req.namespace, req.name), value, current.modRevision);
        next.metadata.resourceVersion = String(rev);
        if (!this.type.storage) rememberWrittenJson(next, value, rev);
        return { obj: next, created: false };
      } catch (err) {
        rollback?.();
        // re-read and try again: a stale resourceVersion in the desired object fails the check above
        if (isStorageError(err, 'Conflict')) {
          if (attempt < MAX_RETRIES) continue;
          throw newConflict(this.resource, req.name, OBJECT_MODIFIED);
        }
        if (isStorageError(err, 'KeyNotFound')) throw newNotFound(this.resource, req.name);
        throw err;
      }
    }
  }

  /** Finalizers, pending spec finalizers, or a grace period (pods wait for their kubelet) keep an object marked for deletion. */
  #blocked(obj: KubeObject): boolean {
    if ((obj.metadata.finalizers ?? []).length > 0) return true;
    if ((this.type.pendingFinalizers?.(obj).length ?? 0) > 0) return true;
    return (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  }

  #prepareUpdate(desired: KubeObject, old: KubeObject, req: UpdateRequest): KubeObject {
    const next = desired;
    next.metadata ??= {};
    const meta = next.metadata;
    if (meta.name && meta.name !== req.name) {
      throw newBadRequest(`the name of the object (${meta.name}) does not match the name on the URL (${req.name})`);
    }
    if (this.type.namespaced && meta.namespace && meta.namespace !== req.namespace) {
      throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw newConflict(
        this.resource,
        req.name,
        `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    next.apiVersion = this.apiVersion;
    next.kind = this.type.kind;
    meta.name = req.name;
    if (this.type.namespaced) meta.namespace = req.namespace;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.resourceVersion = old.metadata.resourceVersion;
    if (!req.allowDeletionMarks) {
      if (old.metadata.deletionTimestamp) meta.deletionTimestamp = old.metadata.deletionTimestamp;
      else delete meta.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      else delete meta.deletionGracePeriodSeconds;
    }
    if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
    else delete meta.generation;
    const strategy = this.type.strategy;
    strategy.defaults?.(next);
    let errs: FieldError[];
    if (req.subresource === 'status') {
      keepAllButStatus(next, old);
      strategy.prepareForStatusUpdate?.(next, old);
      errs = strategy.validateStatusUpdate?.(next, old) ?? [];
    } else if (req.subresource === 'approval' && strategy.prepareForApprovalUpdate) {
      keepAllButStatus(next, old);
      strategy.prepareForApprovalUpdate(next, old);
      errs = [];
    } else {
      if (this.type.status && !req.registryWrite && req.subresource !== 'scale') {
        next['status'] = cloneJson(old['status']);
        if (old['status'] === undefined) delete next['status'];
      }
      if (!req.registryWrite) strategy.prepareForUpdate?.(next, old);
      // a deletion mark is the registry's own change to metadata, not the client's
      const base = req.allowDeletionMarks
        ? {
            ...old,
            metadata: {
              ...old.metadata,
              deletionTimestamp: meta.deletionTimestamp,
              deletionGracePeriodSeconds: meta.deletionGracePeriodSeconds,
              finalizers: meta.finalizers,
            },
          }
        : old;
      errs = [
        ...validateMetadataForUpdate(this.type, next, base),
        ...(req.registryWrite ? [] : (strategy.validateUpdate?.(next, old) ?? [])),
      ];
    }
    if (errs.length > 0) throw this.#invalid(next, errs);
    dropEmptyMetadata(meta);
    if (meta.generation !== undefined && hasSpecChange(next, old)) meta.generation = (old.metadata.generation ?? 0) + 1;
    return next;
  }

  /** Removes the object from storage now (after finalizers and grace are done). */
  async remove(namespace: string, name: string, expectedModRevision: number | undefined, dryRun: boolean): Promise<KubeObject> {
    if (dryRun) {
      const cur = await this.read(namespace, name);
      if (!cur) throw newNotFound(this.resource, name);
      return cur.obj;
    }
    try {
      const { kv, revision } = await this.storage.delete(this.key(namespace, name), expectedModRevision);
      return this.#fromStorage(decodeStored(kv.value, revision));
    } catch (err) {
      if (isStorageError(err, 'KeyNotFound')) throw newNotFound(this.resource, name);
      if (isStorageError(err, 'Conflict')) throw newConflict(this.resource, name, OBJECT_MODIFIED);
      throw err;
    }
  }

  now(): Date {
    return this.#now();
  }

  #attributes(
    operation: AdmissionAttributes['operation'],
    namespace: string,
    name: string,
    subresource: string,
    object: KubeObject | undefined,
    oldObject: KubeObject | undefined,
    opts: WriteOptions,
  ): AdmissionAttributes {
    return {
      operation,
      type: this.type,
      namespace,
      name,
      subresource,
      ...(object ? { object } : {}),
      ...(oldObject ? { oldObject } : {}),
      user: opts.user,
      dryRun: opts.dryRun,
      warnings: opts.warnings,
      ...(opts.addAuditAnnotation ? { addAnnotation: opts.addAuditAnnotation } : {}),
    };
  }
}

function keepAllButStatus(next: KubeObject, old: KubeObject): void {
  const status = next['status'];
  const meta = next.metadata;
  for (const k of Object.keys(next)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete next[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'status' && k !== 'metadata') next[k] = cloneJson(v);
  if (status === undefined) delete next['status'];
  // status writers may not change spec or labels; annotations they may (the deployment
  // controller records deployment.kubernetes.io/revision through deployments/status)
  meta.labels = old.metadata.labels ? { ...old.metadata.labels } : undefined;
  if (!meta.labels) delete meta.labels;
  meta.finalizers = old.metadata.finalizers ? [...old.metadata.finalizers] : undefined;
  if (!meta.finalizers) delete meta.finalizers;
  meta.ownerReferences = old.metadata.ownerReferences ? cloneJson(old.metadata.ownerReferences) : undefined;
  if (!meta.ownerReferences) delete meta.ownerReferences;
}

/** Empty lists and maps in metadata are not kept (they are omitempty upstream). */
function dropEmptyMetadata(meta: KubeObject['metadata']): void {
  for (const key of ['labels', 'annotations'] as const) {
    const v = meta[key];
    if (v !== undefined && Object.keys(v).length === 0) delete meta[key];
  }
  for (const key of ['finalizers', 'ownerReferences'] as const) {
    const v = meta[key];
    if (v !== undefined && v.length === 0) delete meta[key];
  }
}
