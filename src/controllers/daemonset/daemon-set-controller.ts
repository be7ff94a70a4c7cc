/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per eligible node, pinned to it by
 * node affinity and bound by the default scheduler; new nodes get theirs, ineligible nodes lose
 * theirs; the template's revisions kept as ControllerRevisions; RollingUpdate (maxUnavailable,
 * maxSurge) or OnDelete; status for `kubectl get ds` and `kubectl rollout`.
 * Watch daemon sets, pods, nodes and revisions → enqueue the DaemonSet's key → sync(key).
 */
import type { Clientset, EventRecorder, Lister, SharedInformer, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { cloneJson } from '../../machinery/clone.js';
import { labelSelectorFromMeta, type Selector } from '../../machinery/labels.js';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';
import type { Node } from '../../scheduler/types.js';
import {
  claimObjects,
  controllersSelecting,
  getControllerOf,
  newControllerRef,
  recheckOwner,
  resolveControllerRef,
} from '../controller-utils/controller-ref.js';
import { semanticEqual } from '../controller-utils/equality.js';
import { ControllerExpectations } from '../controller-utils/expectations.js';
import { addPodControllerIndex, podsOwnedBy, podsOwnedOrOrphaned } from '../controller-utils/pod-controller-index.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { CONTROLLER_REVISIONS, ControllerHistory, type ControllerRevision } from '../history/controller-history.js';
import { NODES } from '../node-lifecycle/node-lifecycle-controller.js';
import { BURST_REPLICAS, podKey } from '../replicaset/manage-replicas.js';
import { waitForInformers } from '../runtime.js';
import type { DaemonSetContext, NodeToDaemonPods } from './context.js';
import { targetNodeName } from './daemon-pod.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';
import { cleanupHistory, constructHistory, DAEMON_SET_KIND, revisionHash } from './history.js';
import { manage } from './manage.js';
import { nodeShouldRunDaemonPod } from './node-should-run.js';
import { rollingUpdate } from './rolling-update.js';
import { calculateStatus, storeStatus } from './status.js';
import { DAEMON_SETS, type DaemonSet } from './types.js';

export interface DaemonSetControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  burstReplicas?: number;
  now?: () => number;
  /** The failed-pod back-off's first delay (1 s, as upstream). */
  failedPodsBackoffInitialMs?: number;
  log?: (message: string) => void;
}

/** getNodesToDaemonPods: pods by the node they are meant for; terminal pods being deleted only when asked. */
export function groupByNode(pods: readonly Pod[], includeDeletedTerminal: boolean): NodeToDaemonPods {
  const byNode: NodeToDaemonPods = new Map();
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (!includeDeletedTerminal && (phase === 'Succeeded' || phase === 'Failed') && pod.metadata.deletionTimestamp) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }
  return byNode;
}

export class DaemonSetController {
  readonly queue: WorkQueue;
  readonly expectations: ControllerExpectations;
  readonly #ctx: DaemonSetContext;
  readonly #setInformer: SharedInformer;
  readonly #podInformer: SharedInformer;
  readonly #nodeInformer: SharedInformer;
  readonly #revisionInformer: SharedInformer;
  readonly #log: (message: string) => void;

  constructor(options: DaemonSetControllerOptions) {
    const now = options.now ?? Date.now;
    this.queue = options.newQueue();
    this.expectations = new ControllerExpectations(now);
    this.#log = options.log ?? ((m) => console.error(m));
    this.#setInformer = options.informers.forResource(DAEMON_SETS);
    this.#podInformer = options.informers.forResource(PODS);
    this.#nodeInformer = options.informers.forResource(NODES);
    this.#revisionInformer = options.informers.forResource(CONTROLLER_REVISIONS);
    const revisions = options.client.resource(CONTROLLER_REVISIONS);
    this.#ctx = {
      daemonSets: options.client.resource(DAEMON_SETS),
      pods: options.client.resource(PODS),
      revisions,
      history: new ControllerHistory({ client: revisions }),
      nodes: this.#nodeInformer.lister,
      recorder: options.recorder,
      expectations: this.expectations,
      failedPodsBackoff: new FailedPodsBackoff(
        options.failedPodsBackoffInitialMs !== undefined ? { initialMs: options.failedPodsBackoffInitialMs } : {},
      ),
      burstReplicas: options.burstReplicas ?? BURST_REPLICAS,
      now,
      enqueueAfter: (ds, ms) => this.queue.addAfter(objectKey(ds), ms),
    };
    addPodControllerIndex(this.#podInformer);
    this.#setInformer.addEventHandler({
      onAdd: (ds) => this.#enqueue(ds),
      onUpdate: (_old, cur) => this.#enqueue(cur),
      onDelete: (ds) => {
        this.expectations.delete(objectKey(ds));
        this.#enqueue(ds);
      },
    });
    this.#podInformer.addEventHandler({
      onAdd: (pod) => this.#addPod(pod as Pod),
      onUpdate: (old, cur) => this.#updatePod(old as Pod, cur as Pod),
      onDelete: (pod) => this.#deletePod(pod as Pod),
    });
    this.#revisionInformer.addEventHandler({
      onAdd: (r) => this.#revisionChanged(r),
      onUpdate: (old, cur) => {
        this.#revisionChanged(cur);
        if (getControllerOf(old)?.uid !== getControllerOf(cur)?.uid) this.#revisionChanged(old);
      },
      onDelete: (r) => this.#revisionChanged(r),
    });
    this.#nodeInformer.addEventHandler({
      onAdd: (node) => this.#nodeChanged(undefined, node as Node),
      onUpdate: (old, cur) => this.#nodeChanged(old as Node, cur as Node),
      onDelete: (node) => this.#nodeChanged(node as Node, undefined),
    });
  }

  get #lister(): Lister {
    return this.#setInformer.lister;
  }

  /** Waits for the caches, then runs `workers` sync loops until the signal aborts. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    const informers = [this.#setInformer, this.#podInformer, this.#nodeInformer, this.#revisionInformer];
    if (!(await waitForInformers(informers, signal))) {
      this.queue.shutDown();
      return;
    }
    const gc = setInterval(() => this.#ctx.failedPodsBackoff.gc(this.#ctx.now()), 60_000);
    gc.unref();
    try {
      await runWorkers({
        queue: this.queue,
        workers,
        signal,
        sync: (key) => this.sync(key),
        onError: (key, err) => this.#log(`daemonset-controller: error syncing "${key}": ${(err as Error).message}`),
      });
    } finally {
      clearInterval(gc);
    }
  }

  #enqueue(ds: KubeObject): void {
    this.queue.add(objectKey(ds));
  }

  #resolve(namespace: string, ref: OwnerReference | undefined): DaemonSet | undefined {
    return resolveControllerRef<DaemonSet>(this.#lister, DAEMON_SET_KIND, namespace, ref);
  }

  /** The daemon sets whose selector matches an orphan's labels. */
  #setsMatching(obj: KubeObject): DaemonSet[] {
    return controllersSelecting<DaemonSet>(this.#lister, obj, (ds) => labelSelectorFromMeta(ds.spec?.selector));
  }

  #addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.#deletePod(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const ds = this.#resolve(pod.metadata.namespace ?? '', ref);
      if (!ds) return;
      this.expectations.creationObserved(objectKey(ds));
      this.#enqueue(ds);
      return;
    }
    for (const ds of this.#setsMatching(pod)) this.#enqueue(ds);
  }

  #updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      this.#deletePod(cur);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = !semanticEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const ds = this.#resolve(old.metadata.namespace ?? '', oldRef);
      if (ds) this.#enqueue(ds);
    }
    if (curRef) {
      const ds = this.#resolve(cur.metadata.namespace ?? '', curRef);
      if (ds) this.#enqueue(ds);
      return;
    }
    if (refChanged || !semanticEqual(old.metadata.labels, cur.metadata.labels)) {
      for (const ds of this.#setsMatching(cur)) this.#enqueue(ds);
    }
  }

  #deletePod(pod: Pod): void {
    const ds = this.#resolve(pod.metadata.namespace ?? '', getControllerOf(pod));
    if (!ds) return;
    const key = objectKey(ds);
    this.expectations.deletionObserved(key, podKey(pod));
    this.queue.add(key);
  }

  #revisionChanged(revision: KubeObject): void {
    const ref = getControllerOf(revision);
    if (ref) {
      const ds = this.#resolve(revision.metadata.namespace ?? '', ref);
      if (ds) this.#enqueue(ds);
      return;
    }
    if (revision.metadata.deletionTimestamp) return;
    for (const ds of this.#setsMatching(revision)) this.#enqueue(ds);
  }

  /** A node came, went, or changed what decides eligibility: the daemon sets whose verdict moved. */
  #nodeChanged(old: Node | undefined, cur: Node | undefined): void {
    if (old && cur && semanticEqual(old.metadata.labels, cur.metadata.labels) && semanticEqual(old.spec?.taints, cur.spec?.taints)) return;
    const none = { shouldRun: false, shouldContinueRunning: false };
    for (const ds of this.#lister.list() as DaemonSet[]) {
      const before = old ? nodeShouldRunDaemonPod(old, ds) : none;
      const after = cur ? nodeShouldRunDaemonPod(cur, ds) : none;
      if (before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning) this.#enqueue(ds);
    }
  }

  /** getDaemonPods: the DaemonSet's pods after adopting matching orphans and releasing the rest. */
  #claimPods(ds: DaemonSet, selector: Selector): Promise<Pod[]> {
    return claimObjects(podsOwnedOrOrphaned(this.#podInformer.lister, ds) as Pod[], {
      owner: ds,
      ownerRef: newControllerRef(ds, 'apps/v1', DAEMON_SET_KIND),
      selector,
      client: this.#ctx.pods,
      kind: 'Pod',
      canAdopt: recheckOwner(this.#ctx.daemonSets, ds, DAEMON_SET_KIND),
    });
  }

  /** The DaemonSet's pods by node as the cache has them now (after this sync's claim). */
  #ownedByNode(ds: DaemonSet, includeDeletedTerminal: boolean): NodeToDaemonPods {
    return groupByNode(podsOwnedBy(this.#podInformer.lister, ds.metadata.uid ?? '') as Pod[], includeDeletedTerminal);
  }

  /** syncDaemonSet. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#lister.get(namespace, name);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const ds = cloneJson(cached) as DaemonSet;
    const ctx = this.#ctx;
    const sel = ds.spec?.selector;
    if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      ctx.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // the history objects it owned may be gone already (the garbage collector's order is not fixed)
    if (ds.metadata.deletionTimestamp) return;
    const selector = labelSelectorFromMeta(sel);
    const nodes = ctx.nodes.list() as Node[];
    const byNode = groupByNode(await this.#claimPods(ds, selector), false);
    const revisions = this.#revisionInformer.lister.list(namespace) as ControllerRevision[];
    const history = await constructHistory(ctx, ds, revisions, byNode);
    const hash = revisionHash(history.cur);
    if (!this.expectations.satisfied(key)) {
      await this.#writeStatus(ds, nodes, hash, history.collisionCount, false);
      return;
    }
    let error: unknown;
    try {
      await manage(ctx, ds, nodes, byNode, hash);
      if (this.expectations.satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        await rollingUpdate(ctx, ds, nodes, this.#ownedByNode(ds, false), hash);
      }
      await cleanupHistory(ctx, ds, history.old, this.#ownedByNode(ds, true));
    } catch (err) {
      error = err;
    }
    await this.#writeStatus(ds, nodes, hash, history.collisionCount, true);
    if (error !== undefined) throw error;
  }

  async #writeStatus(ds: DaemonSet, nodes: readonly Node[], hash: string, collisionCount: number, observed: boolean): Promise<void> {
    const counts = calculateStatus(ds, nodes, this.#ownedByNode(ds, false), hash, this.#ctx.now());
    await storeStatus(this.#ctx.daemonSets, ds, counts, collisionCount, observed);
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && counts.numberReady !== counts.numberAvailable) this.#ctx.enqueueAfter(ds, minReady * 1000);
  }
}
