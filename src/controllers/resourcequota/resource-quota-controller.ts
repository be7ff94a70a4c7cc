/**
 * The resource quota controller (pkg/controller/resourcequota): keeps each ResourceQuota's
 * status.hard equal to spec.hard and status.used equal to what its namespace uses. A quota is
 * synced when it is created or its spec.hard changes, when objects it may count are released
 * (a pod turns terminal or is deleted, a service or claim changes or is deleted, an object a
 * quota counts is deleted) and on the full resync every --resource-quota-sync-period; admission
 * charges creates in between.
 * Watch quotas, pods, services, claims → enqueue quota keys → sync(key): recompute, update status.
 */
import type { Clientset, GroupVersionResource, SharedInformer, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { sleep } from '../../client/reflector.js';
import { cloneJson } from '../../machinery/clone.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Evaluator } from '../../quota/interface.js';
import { persistentVolumeClaimEvaluator } from '../../quota/persistent-volume-claims.js';
import { podCountsForQuota } from '../../quota/pods.js';
import { equalLists, maskList, parseResourceList, resourceListJSON } from '../../quota/resources.js';
import { serviceEvaluator } from '../../quota/services.js';
import type { GCResource } from '../garbage-collector/graph.js';
import { runController } from '../runtime.js';
import { calculateUsage, type NamespaceLister } from './calculate-usage.js';

export const RESOURCE_QUOTAS: GroupVersionResource = { group: '', version: 'v1', resource: 'resourcequotas' };
const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
const CLAIMS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };

/** Upstream's --resource-quota-sync-period default. */
export const DEFAULT_RESOURCE_QUOTA_SYNC_PERIOD_MS = 5 * 60_000;

export interface ResourceQuotaControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  /** The served namespaced resources, which `count/<resource>.<group>` may name. */
  resources: readonly GCResource[];
  /** --resource-quota-sync-period: how often every quota is recomputed. */
  resyncPeriodMs?: number;
  workers?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

export class ResourceQuotaController {
  readonly queue: WorkQueue;
  readonly #options: ResourceQuotaControllerOptions;
  readonly #quotas: SharedInformer;
  readonly #informed: Map<string, SharedInformer>;
  readonly #now: () => Date;

  constructor(options: ResourceQuotaControllerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.queue = options.newQueue();
    this.#quotas = options.informers.forResource(RESOURCE_QUOTAS);
    this.#quotas.addEventHandler({
      onAdd: (q) => this.queue.add(objectKey(q)),
      // status changes are this controller's (or admission's) own: only a new spec.hard asks for a sync
      onUpdate: (old, q) => {
        const hard = parseResourceList((q['spec'] as { hard?: unknown } | undefined)?.hard);
        const oldHard = parseResourceList((old['spec'] as { hard?: unknown } | undefined)?.hard);
        if (!equalLists(hard, oldHard)) this.queue.add(objectKey(q));
      },
    });
    const pods = options.informers.forResource(PODS);
    const services = options.informers.forResource(SERVICES);
    const claims = options.informers.forResource(CLAIMS);
    this.#informed = new Map([
      ['/pods', pods],
      ['/services', services],
      ['/persistentvolumeclaims', claims],
    ]);
    pods.addEventHandler({
      onUpdate: (old, pod) => {
        if (podCountsForQuota(old, this.#now()) && !podCountsForQuota(pod, this.#now())) this.#replenish(pod);
      },
      onDelete: (pod) => this.#replenish(pod),
    });
    for (const [informer, evaluator] of [
      [services, serviceEvaluator],
      [claims, persistentVolumeClaimEvaluator],
    ] as [SharedInformer, Evaluator][]) {
      informer.addEventHandler({
        onUpdate: (old, obj) => {
          if (!equalLists(evaluator.usage(old, this.#now()), evaluator.usage(obj, this.#now()))) this.#replenish(obj);
        },
        onDelete: (obj) => this.#replenish(obj),
      });
    }
  }

  /** replenishQuota: every quota of the object's namespace is recomputed. */
  #replenish(obj: KubeObject): void {
    for (const quota of this.#quotas.lister.list(obj.metadata.namespace ?? '')) this.queue.add(objectKey(quota));
  }

  async run(signal: AbortSignal): Promise<void> {
    const resyncs = this.#resyncLoop(signal);
    await runController(
      [this.#quotas, ...this.#informed.values()],
      [
        {
          queue: this.queue,
          workers: this.#options.workers ?? 5,
          signal,
          sync: (key) => this.sync(key),
          onError: (key, err) => this.#options.log?.(`resource quota controller: syncing ${key}: ${(err as Error).message}`),
        },
      ],
      signal,
    );
    await resyncs;
  }

  /** enqueueAll every sync period. */
  async #resyncLoop(signal: AbortSignal): Promise<void> {
    const period = this.#options.resyncPeriodMs ?? DEFAULT_RESOURCE_QUOTA_SYNC_PERIOD_MS;
    for (;;) {
      await sleep(period, signal);
      if (signal.aborted) return;
      for (const quota of this.#quotas.lister.list()) this.queue.add(objectKey(quota));
    }
  }

  /**
   * A namespace's objects: from this controller's informers — pods, services, claims, and the
   * resources a quota counts, watched from the first sync that needs them (upstream's quota
   * monitors, whose deletes replenish) — or a live list while such an informer syncs.
   */
  readonly #list: NamespaceLister = (group, resource, namespace) => {
    const served = this.#options.resources.find((r) => r.gvr.group === group && r.gvr.resource === resource && r.namespaced);
    const informer = this.#informed.get(`${group}/${resource}`) ?? (served ? this.#monitor(served.gvr) : undefined);
    if (informer?.hasSynced()) return Promise.resolve(informer.lister.list(namespace));
    if (!served) return undefined;
    return this.#options.client
      .resource(served.gvr)
      .list(namespace)
      .then((l) => l.items);
  };

  #monitor(gvr: GroupVersionResource): SharedInformer {
    const informer = this.#options.informers.forResource(gvr);
    informer.addEventHandler({ onDelete: (obj) => this.#replenish(obj) });
    this.#informed.set(`${gvr.group}/${gvr.resource}`, informer);
    return informer;
  }

  /** syncResourceQuota: status.hard from spec.hard, status.used recomputed; written when either changed. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const quota = this.#quotas.lister.get(namespace, name);
    if (!quota) return;
    const status = (quota['status'] ?? {}) as { hard?: unknown; used?: unknown };
    const hard = parseResourceList((quota['spec'] as { hard?: unknown } | undefined)?.hard);
    const hardNames = [...hard.keys()];
    const previous = parseResourceList(status.used);
    const used = maskList(previous, hardNames);
    for (const [n, q] of await calculateUsage(quota, hardNames, this.#list, this.#now())) used.set(n, q);
    if (equalLists(hard, parseResourceList(status.hard)) && equalLists(used, previous)) return;
    const updated = cloneJson(quota);
    updated['status'] = { hard: resourceListJSON(hard), used: resourceListJSON(used) };
    await this.#options.client.resource(RESOURCE_QUOTAS).updateStatus(namespace, updated);
  }
}
