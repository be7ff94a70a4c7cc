/**
 * The namespace controller (pkg/controller/namespace): a Namespace with a deletionTimestamp goes
 * to phase Terminating, everything in it is deleted, its deletion conditions say what is left,
 * and once it is empty the `kubernetes` finalizer is removed through namespaces/finalize — after
 * which the apiserver removes the namespace.
 */
import type { Clientset, GroupVersionResource, ResourceClient, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { RequeueAfter, runWorkers } from '../../client/workqueue-workers.js';
import { NamespaceConditionUpdater, type NamespaceCondition } from './conditions.js';
import { deleteAllContent } from './deleter.js';
import { cloneJson } from '../../machinery/clone.js';
import { rfc3339 } from '../../machinery/time.js';

export const NAMESPACES: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };
export const FINALIZER_KUBERNETES = 'kubernetes';

export interface NamespaceControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  /** The namespaced resources that support list and delete (may change as CRDs come and go). */
  resources: readonly GroupVersionResource[] | (() => readonly GroupVersionResource[]);
  newQueue: () => WorkQueue;
  now?: () => number;
  /** Upstream --namespace-sync-period (5 min): terminating namespaces are looked at again. */
  resyncMs?: number;
  workers?: number;
  log?: (message: string) => void;
}

interface NamespaceStatus {
  phase?: string;
  conditions?: NamespaceCondition[];
}

export class NamespaceController {
  readonly queue: WorkQueue;
  readonly #client: ResourceClient;
  readonly #clientset: Clientset;
  readonly #informers: SharedInformerFactory;
  readonly #resources: () => readonly GroupVersionResource[];
  readonly #now: () => number;
  readonly #workers: number;
  readonly #log: (message: string) => void;

  constructor(options: NamespaceControllerOptions) {
    this.#clientset = options.client;
    this.#client = options.client.resource(NAMESPACES);
    this.#informers = options.informers;
    const r = options.resources;
    this.#resources = typeof r === 'function' ? r : () => r;
    this.#now = options.now ?? Date.now;
    this.#workers = options.workers ?? 10;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const enqueue = (ns: KubeObject): void => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    options.informers.forResource(NAMESPACES, { resyncMs: options.resyncMs ?? 5 * 60_000 }).addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, ns) => enqueue(ns),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`namespace ${key}: ${(err as Error).message}`),
    });
  }

  /** upstream namespacedResourcesDeleter.Delete; throws RequeueAfter while content remains. */
  async sync(name: string): Promise<void> {
    // multiple controllers edit a terminating namespace: start from the latest state
    let ns = await this.#get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    ns = await this.#retryOnConflict(ns, (cur) => this.#markTerminating(cur));
    if (!ns?.metadata.deletionTimestamp) return;
    if (finalizers(ns).length === 0) return; // finalized: the apiserver removes it
    const updater = new NamespaceConditionUpdater(rfc3339(this.#now()));
    const result = await deleteAllContent(this.#clientset, this.#resources(), name, updater);
    ns = await this.#retryOnConflict(ns, async (cur) => {
      const next = cloneJson(cur);
      const status = ((next['status'] as NamespaceStatus | undefined) ?? {}) as NamespaceStatus;
      next['status'] = status;
      return updater.update(status) ? this.#client.updateStatus('', next) : cur;
    });
    if (!ns) return;
    if (result.failed) throw new Error(`namespace ${name}: failed to delete some content`);
    if (result.estimate > 0) {
      throw new RequeueAfter(
        (Math.floor(result.estimate / 2) + 1) * 1000,
        `some content remains in the namespace, estimate ${result.estimate} seconds before it is removed`,
      );
    }
    await this.#retryOnConflict(ns, (cur) => this.#finalize(cur));
  }

  async #get(name: string): Promise<KubeObject | undefined> {
    try {
      return await this.#client.get('', name);
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  /** Runs `fn` on the namespace, re-reading it on conflict; undefined when it is gone. */
  async #retryOnConflict(ns: KubeObject, fn: (ns: KubeObject) => Promise<KubeObject>): Promise<KubeObject | undefined> {
    let cur = ns;
    for (;;) {
      try {
        return await fn(cur);
      } catch (err) {
        if (isStatusError(err, 'NotFound')) return undefined;
        if (!isStatusError(err, 'Conflict')) throw err;
      }
      const latest = await this.#get(cur.metadata.name ?? '');
      if (!latest) return undefined;
      if (latest.metadata.uid !== cur.metadata.uid) throw new Error('namespace uid has changed across retries');
      cur = latest;
    }
  }

  async #markTerminating(ns: KubeObject): Promise<KubeObject> {
    const status = ns['status'] as NamespaceStatus | undefined;
    if (status?.phase === 'Terminating') return ns;
    const next = cloneJson(ns);
    next['status'] = { ...status, phase: 'Terminating' };
    return this.#client.updateStatus('', next);
  }

  /** Removes the `kubernetes` finalizer through PUT namespaces/<name>/finalize. */
  async #finalize(ns: KubeObject): Promise<KubeObject> {
    const remaining = [...new Set(finalizers(ns).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
    if (!this.#client.updateSubresource) throw new Error('the namespace client cannot PUT namespaces/finalize');
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: cloneJson(ns.metadata),
      spec: { ...(ns['spec'] as object), finalizers: remaining },
    };
    return this.#client.updateSubresource('', ns.metadata.name ?? '', 'finalize', body);
  }
}

function finalizers(ns: KubeObject): string[] {
  return (ns['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? [];
}
