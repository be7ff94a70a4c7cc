/**
 * The Deployment controller (pkg/controller/deployment): owns one ReplicaSet per pod template
 * (pod-template-hash), rolls between them (RollingUpdate or Recreate), keeps revisions,
 * conditions and status. Watch deployments, sets and pods → enqueue the deployment → sync(key).
 */
import type { Clientset, EventRecorder, ResourceClient, SharedInformer, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { labelSelectorFromMeta, type Selector } from '../../machinery/labels.js';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';
import {
  claimObjects,
  controllersSelecting,
  getControllerOf,
  newControllerRef,
  recheckOwner,
  resolveControllerRef,
} from '../controller-utils/controller-ref.js';
import { semanticEqual } from '../controller-utils/equality.js';
import { addPodControllerIndex, podsOwnedBy } from '../controller-utils/pod-controller-index.js';
import { DEPLOYMENTS, type Deployment, PODS, type Pod, REPLICA_SETS, type ReplicaSet } from '../controller-utils/types.js';
import { runController } from '../runtime.js';
import { type DeploymentContext, writeStatus } from './context.js';
import { rolloutRecreate } from './recreate.js';
import { getAllReplicaSetsAndSyncRevision } from './replica-sets.js';
import { rolloutRolling } from './rolling.js';
import { checkPausedConditions, isScalingEvent, syncDeploymentStatus, syncScaleOrPaused } from './sync.js';
import { cloneJson } from '../../machinery/clone.js';

/** Upstream's maxRetries: a deployment failing this often is dropped from the queue. */
export const MAX_RETRIES = 15;

export interface DeploymentControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  now?: () => number;
}

export class DeploymentController {
  readonly queue: WorkQueue;
  readonly #deployments: ResourceClient;
  readonly #replicaSets: ResourceClient;
  readonly #dInformer: SharedInformer;
  readonly #rsInformer: SharedInformer;
  readonly #podInformer: SharedInformer;
  readonly #ctx: DeploymentContext;

  constructor(options: DeploymentControllerOptions) {
    const now = options.now ?? Date.now;
    this.queue = options.newQueue();
    this.#deployments = options.client.resource(DEPLOYMENTS);
    this.#replicaSets = options.client.resource(REPLICA_SETS);
    this.#dInformer = options.informers.forResource(DEPLOYMENTS);
    this.#rsInformer = options.informers.forResource(REPLICA_SETS);
    this.#podInformer = options.informers.forResource(PODS);
    addPodControllerIndex(this.#podInformer);
    this.#ctx = {
      deployments: this.#deployments,
      replicaSets: this.#replicaSets,
      recorder: options.recorder,
      now,
      enqueueAfter: (d, ms) => this.queue.addAfter(objectKey(d), ms),
      enqueueRateLimited: (d) => this.queue.addRateLimited(objectKey(d)),
    };
    this.#dInformer.addEventHandler({
      onAdd: (d) => this.#enqueue(d),
      onUpdate: (_old, cur) => this.#enqueue(cur),
      onDelete: (d) => this.#enqueue(d),
    });
    this.#rsInformer.addEventHandler({
      onAdd: (rs) => this.#addReplicaSet(rs),
      onUpdate: (old, cur) => this.#updateReplicaSet(old, cur),
      onDelete: (rs) => this.#enqueueOwner(rs, getControllerOf(rs)),
    });
    this.#podInformer.addEventHandler({ onDelete: (pod) => this.#deletePod(pod as Pod) });
  }

  /** Waits for the caches, then runs `workers` sync loops until the signal aborts. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    await runController(
      [this.#dInformer, this.#rsInformer, this.#podInformer],
      [
        {
          queue: this.queue,
          onError: (key, err) => console.error(`deployment-controller: error syncing "${key}": ${(err as Error).message}`),
          workers,
          signal,
          sync: (key) => this.sync(key),
          maxRetries: MAX_RETRIES,
        },
      ],
      signal,
    );
  }

  #enqueue(d: KubeObject): void {
    this.queue.add(objectKey(d));
  }

  #resolve(namespace: string, ref: OwnerReference | undefined): Deployment | undefined {
    return resolveControllerRef<Deployment>(this.#dInformer.lister, 'Deployment', namespace, ref);
  }

  #enqueueOwner(obj: KubeObject, ref: OwnerReference | undefined): void {
    const d = this.#resolve(obj.metadata.namespace ?? '', ref);
    if (d) this.#enqueue(d);
  }

  /** getDeploymentsForReplicaSet: deployments whose selector matches an orphan set's labels. */
  #enqueueMatching(rs: KubeObject): void {
    for (const d of controllersSelecting<Deployment>(this.#dInformer.lister, rs, selectorOf)) this.#enqueue(d);
  }

  #addReplicaSet(rs: KubeObject): void {
    const ref = getControllerOf(rs);
    if (ref) this.#enqueueOwner(rs, ref);
    else this.#enqueueMatching(rs);
  }

  #updateReplicaSet(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = !semanticEqual(curRef, oldRef);
    if (refChanged && oldRef) this.#enqueueOwner(old, oldRef);
    if (curRef) return this.#enqueueOwner(cur, curRef);
    if (refChanged || !semanticEqual(old.metadata.labels, cur.metadata.labels)) this.#enqueueMatching(cur);
  }

  /** A Recreate deployment waits for its old pods to go; the last one leaving wakes it. */
  #deletePod(pod: Pod): void {
    const ns = pod.metadata.namespace ?? '';
    const rsRef = getControllerOf(pod);
    if (rsRef?.kind !== 'ReplicaSet') return;
    const rs = this.#rsInformer.lister.get(ns, rsRef.name);
    if (rs?.metadata.uid !== rsRef.uid) return;
    const d = this.#resolve(ns, getControllerOf(rs));
    if (d?.spec?.strategy?.type !== 'Recreate') return;
    const owned = this.#rsInformer.lister.list(ns).filter((x) => getControllerOf(x)?.uid === d.metadata.uid);
    if ([...this.#podMap(d, owned as ReplicaSet[]).values()].every((pods) => pods.length === 0)) this.#enqueue(d);
  }

  /** getPodMapForDeployment: the selected pods grouped by the UID of the set controlling them. */
  #podMap(d: Deployment, rss: readonly ReplicaSet[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>(rss.map((rs) => [rs.metadata.uid ?? '', []]));
    const sel = selectorOf(d);
    if (!sel) return map;
    for (const [uid, pods] of map) {
      for (const pod of podsOwnedBy(this.#podInformer.lister, uid) as Pod[]) if (sel.matches(pod.metadata.labels)) pods.push(pod);
    }
    return map;
  }

  /** syncDeployment. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#dInformer.lister.get(namespace, name);
    if (!cached) return;
    const d = cloneJson(cached) as Deployment;
    const selector = selectorOf(d);
    if (selector?.isEmpty()) {
      this.#ctx.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata.generation ?? 0 };
        await writeStatus(this.#ctx, d);
      }
      return;
    }
    if (!selector) return;
    const candidates = this.#rsInformer.lister.list(namespace) as ReplicaSet[];
    const rss = await claimObjects(candidates, {
      owner: d,
      ownerRef: newControllerRef(d, 'apps/v1', 'Deployment'),
      selector,
      client: this.#replicaSets,
      kind: 'ReplicaSet',
      canAdopt: recheckOwner(this.#deployments, d, 'Deployment'),
    });
    const podMap = this.#podMap(d, rss);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(this.#ctx, d, rss, false);
      return syncDeploymentStatus(this.#ctx, newRS ? [...oldRSs, newRS] : oldRSs, newRS, d);
    }
    await checkPausedConditions(this.#ctx, d);
    if (d.spec?.paused) return syncScaleOrPaused(this.#ctx, d, rss);
    if (await isScalingEvent(this.#ctx, d, rss)) return syncScaleOrPaused(this.#ctx, d, rss);
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(this.#ctx, d, rss, podMap);
    return rolloutRolling(this.#ctx, d, rss);
  }
}

/** The deployment's selector; undefined when it is missing or invalid (validation prevents both). */
function selectorOf(d: Deployment): Selector | undefined {
  if (!d.spec?.selector) return undefined;
  try {
    return labelSelectorFromMeta(d.spec.selector);
  } catch {
    return undefined;
  }
}
