/**
 * The client machinery every component uses to reach the apiserver (DESIGN.md rule 1): a
 * REST client per resource, shared informers with listers and indexers, a rate-limited work
 * queue of keys, leader election on Leases, and an event recorder. In-process components use
 * the same API semantics as a remote agent; only the transport may differ.
 */
import type { KubeList, KubeObject } from '../machinery/object.js';

/** Which resource a client talks to, e.g. { group: 'apps', version: 'v1', resource: 'deployments' }. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  /** The object; for ERROR, a metav1.Status. */
  object: KubeObject;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/**
 * One resource's REST verbs. Failures throw StatusError (src/machinery/errors.ts) carrying the
 * server's metav1.Status, so callers test `isStatusError(err, 'NotFound' | 'Conflict' | …)`.
 * `namespace` is ignored for cluster-scoped resources.
 */
export interface ResourceClient {
  get(namespace: string, name: string): Promise<KubeObject>;
  list(namespace: string, options?: ListOptions): Promise<KubeList>;
  /** Streams events until the signal aborts or the server closes the stream (then `done` resolves). */
  watch(namespace: string, options: WatchOptions, onEvent: (event: WatchEvent) => void, signal: AbortSignal): { done: Promise<void> };
  create(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  update(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  updateStatus(namespace: string, obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  patch(
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: WriteOptions & { subresource?: string; force?: boolean },
  ): Promise<KubeObject>;
  /** Returns the object (when the server returns it, e.g. still terminating) or undefined. */
  delete(namespace: string, name: string, options?: DeleteOptions): Promise<KubeObject | undefined>;
  /** POST to a subresource, e.g. pods/binding or pods/eviction. */
  createSubresource(namespace: string, name: string, subresource: string, body: unknown): Promise<unknown>;
  /** GET a subresource, e.g. deployments/scale. Optional. */
  getSubresource?(namespace: string, name: string, subresource: string): Promise<KubeObject>;
  /** PUT to a subresource other than status, e.g. namespaces/finalize (returns the object). Optional. */
  updateSubresource?(namespace: string, name: string, subresource: string, body: KubeObject): Promise<KubeObject>;
}

/** Builds ResourceClients over one connection (HTTPS to the apiserver). */
export interface Clientset {
  resource(gvr: GroupVersionResource): ResourceClient;
  close(): void;
}

/** Informer notifications; handlers only compute keys and enqueue (DESIGN.md style). */
export interface ResourceEventHandler {
  onAdd?(obj: KubeObject): void;
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void;
  /** For a delete missed during a relist, `obj` is the last state the informer knew. */
  onDelete?(obj: KubeObject): void;
}

/** Computes index values for an object (e.g. by namespace, by spec.nodeName). */
export type IndexFunc = (obj: KubeObject) => string[];

/** Read access to an informer's cache. Returned objects are shared: structuredClone before changing. */
export interface Lister {
  get(namespace: string, name: string): KubeObject | undefined;
  list(namespace?: string, labelSelector?: string): KubeObject[];
  byIndex(indexName: string, value: string): KubeObject[];
}

export interface SharedInformer {
  readonly lister: Lister;
  addEventHandler(handler: ResourceEventHandler): void;
  addIndexer(name: string, fn: IndexFunc): void;
  hasSynced(): boolean;
  /** Resolves after the first full list has been delivered. */
  waitForSync(signal: AbortSignal): Promise<void>;
}

export interface SharedInformerFactory {
  /** One informer per resource (and selector), shared by every caller. */
  forResource(gvr: GroupVersionResource, options?: { resyncMs?: number; fieldSelector?: string; labelSelector?: string }): SharedInformer;
  /** Starts every informer created so far; they stop when the signal aborts. */
  start(signal: AbortSignal): void;
  waitForCacheSync(signal: AbortSignal): Promise<void>;
}

/** A rate-limited queue of keys (`namespace/name`), deduplicated, one worker per key at a time. */
export interface WorkQueue {
  add(key: string): void;
  addAfter(key: string, delayMs: number): void;
  /** Requeue with per-key exponential backoff (5 ms … 1000 s, as client-go's default). */
  addRateLimited(key: string): void;
  /** Forget the key's backoff after a successful sync. */
  forget(key: string): void;
  numRequeues(key: string): number;
  /** Resolves with the next key, or undefined once shut down. */
  get(): Promise<string | undefined>;
  /** Marks a key processed; if it was re-added meanwhile it becomes available again. */
  done(key: string): void;
  get length(): number;
  shutDown(): void;
}

/** Runs `onStartedLeading` while this identity holds the lease; gives up leadership on abort. */
export interface LeaderElection {
  run(signal: AbortSignal): Promise<void>;
  isLeader(): boolean;
}

export interface EventRecorder {
  /**
   * Records an Event like upstream's recorder: aggregated (count/series) when repeated.
   * `fieldPath` names the part of the object it is about, e.g. `spec.containers{nginx}`.
   */
  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
}

/**
 * The events.k8s.io/v1 recorder (client-go's tools/events EventRecorder, which kube-scheduler
 * uses): `regarding` is what the Event is about, `related` a second object it involves (the
 * preemptor of a victim), `action` what was done or failed (`Binding`, `Scheduling`). Repeats
 * with the same type, action, reason, controller and objects become a series.
 */
export interface EventsV1Recorder {
  eventf(
    regarding: KubeObject,
    related: KubeObject | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    action: string,
    note: string,
  ): void;
}

/** Key helpers used by every controller. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
