/**
 * The ReplicaSet controller (pkg/controller/replicaset), which also runs ReplicationControllers
 * (kind option): keeps spec.replicas pods matching the selector, adopting orphans and
 * releasing pods that stop matching, and reports status.
 * Watch pods and sets → enqueue the owning set's key → sync(key).
 */
import type {
  Clientset,
  EventRecorder,
  Lister,
  ResourceClient,
  SharedInformer,
  SharedInformerFactory,
  WorkQueue,
} from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
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
import { ControllerExpectations } from '../controller-utils/expectations.js';
import { isPodActive, isPodReady } from '../controller-utils/pod-util.js';
import { addPodControllerIndex, podsOwnedBy, podsOwnedOrOrphaned } from '../controller-utils/pod-controller-index.js';
import { PODS, type Pod, type ReplicaSet, specReplicas } from '../controller-utils/types.js';
import { runController } from '../runtime.js';
import { REPLICA_SET_KIND, type ReplicaSetKind } from './kind.js';
import { BURST_REPLICAS, manageReplicas, podKey } from './manage-replicas.js';
import { calculateStatus, updateStatus } from './status.js';
import { cloneJson } from '../../machinery/clone.js';

export interface ReplicaSetControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  /** REPLICA_SET_KIND (default) or REPLICATION_CONTROLLER_KIND. */
  kind?: ReplicaSetKind;
  burstReplicas?: number;
  now?: () => number;
}

export class ReplicaSetController {
  readonly queue: WorkQueue;
  readonly expectations: ControllerExpectations;
  readonly #kind: ReplicaSetKind;
  readonly #sets: ResourceClient;
  readonly #pods: ResourceClient;
  readonly #recorder: EventRecorder;
  readonly #setInformer: SharedInformer;
  readonly #podInformer: SharedInformer;
  readonly #burstReplicas: number;
  readonly #now: () => number;

  constructor(options: ReplicaSetControllerOptions) {
    this.#kind = options.kind ?? REPLICA_SET_KIND;
    this.#now = options.now ?? Date.now;
    this.#burstReplicas = options.burstReplicas ?? BURST_REPLICAS;
    this.queue = options.newQueue();
    this.expectations = new ControllerExpectations(this.#now);
    this.#recorder = options.recorder;
    this.#sets = options.client.resource(this.#kind.gvr);
    this.#pods = options.client.resource(PODS);
    this.#setInformer = options.informers.forResource(this.#kind.gvr);
    this.#podInformer = options.informers.forResource(PODS);
    addPodControllerIndex(this.#podInformer);
    this.#setInformer.addEventHandler({
      onAdd: (rs) => this.#enqueue(rs),
      onUpdate: (_old, cur) => this.#enqueue(cur),
      onDelete: (rs) => {
        this.expectations.delete(objectKey(rs));
        this.#enqueue(rs);
      },
    });
    this.#podInformer.addEventHandler({
      onAdd: (pod) => this.#addPod(pod as Pod),
      onUpdate: (old, cur) => this.#updatePod(old as Pod, cur as Pod),
      onDelete: (pod) => this.#deletePod(pod as Pod),
    });
  }

  get #lister(): Lister {
    return this.#setInformer.lister;
  }

  /** Waits for the caches, then runs `workers` sync loops until the signal aborts. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    await runController(
      [this.#setInformer, this.#podInformer],
      [
        {
          queue: this.queue,
          workers,
          signal,
          sync: (key) => this.sync(key),
          onError: (key, err) => console.error(`${this.#kind.component}: error syncing "${key}": ${(err as Error).message}`),
        },
      ],
      signal,
    );
  }

  #enqueue(rs: KubeObject, afterMs?: number): void {
    const key = objectKey(rs);
    if (afterMs === undefined) this.queue.add(key);
    else this.queue.addAfter(key, afterMs);
  }

  /** The set a controllerRef names, if it still exists with that UID. */
  #resolve(namespace: string, ref: OwnerReference | undefined): ReplicaSet | undefined {
    return resolveControllerRef<ReplicaSet>(this.#lister, this.#kind.kind, namespace, ref);
  }

  /** getPodReplicaSets: the sets whose selector matches an orphan pod's labels. */
  #setsMatching(pod: Pod): ReplicaSet[] {
    return controllersSelecting<ReplicaSet>(this.#lister, pod, (rs) => this.#kind.selector(rs));
  }

  #addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.#deletePod(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.#resolve(pod.metadata.namespace ?? '', ref);
      if (!rs) return;
      this.expectations.creationObserved(objectKey(rs));
      this.#enqueue(rs);
      return;
    }
    for (const rs of this.#setsMatching(pod)) this.#enqueue(rs);
  }

  #updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const labelsChanged = !semanticEqual(old.metadata.labels, cur.metadata.labels);
    if (cur.metadata.deletionTimestamp) {
      this.#deletePod(cur);
      if (labelsChanged) this.#deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = !semanticEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const rs = this.#resolve(old.metadata.namespace ?? '', oldRef);
      if (rs) this.#enqueue(rs);
    }
    if (curRef) {
      const rs = this.#resolve(cur.metadata.namespace ?? '', curRef);
      if (!rs) return;
      this.#enqueue(rs);
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.#enqueue(rs, minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.#setsMatching(cur)) this.#enqueue(rs);
  }

  #deletePod(pod: Pod): void {
    const rs = this.#resolve(pod.metadata.namespace ?? '', getControllerOf(pod));
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObserved(key, podKey(pod));
    this.queue.add(key);
  }

  /** Pods of every set sharing this set's controller (for ranking by co-location). */
  #relatedPods(rs: ReplicaSet): Pod[] {
    const owner = getControllerOf(rs);
    const uids = new Set<string>([rs.metadata.uid ?? '']);
    if (owner) {
      for (const other of this.#lister.list(rs.metadata.namespace)) {
        if (getControllerOf(other)?.uid === owner.uid) uids.add(other.metadata.uid ?? '');
      }
    }
    return [...uids].flatMap((uid) => podsOwnedBy(this.#podInformer.lister, uid)) as Pod[];
  }

  /** syncReplicaSet: converge one set's pods, then write its status. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#lister.get(namespace, name);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const rs = cloneJson(cached) as ReplicaSet;
    const needsSync = this.expectations.satisfied(key);
    let selector: ReturnType<ReplicaSetKind['selector']>;
    try {
      selector = this.#kind.selector(rs);
    } catch (err) {
      console.error(`error converting pod selector to selector for ${this.#kind.kind} ${key}: ${(err as Error).message}`);
      return;
    }
    const candidates = podsOwnedOrOrphaned(this.#podInformer.lister, rs) as Pod[];
    const ref = newControllerRef(rs, this.#kind.apiVersion, this.#kind.kind);
    const active = await claimObjects(candidates.filter(isPodActive), {
      owner: rs,
      ownerRef: ref,
      selector,
      client: this.#pods,
      kind: 'Pod',
      canAdopt: recheckOwner(this.#sets, rs, this.#kind.kind),
    });
    let manageError: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        const ctx = {
          pods: this.#pods,
          recorder: this.#recorder,
          expectations: this.expectations,
          burstReplicas: this.#burstReplicas,
          now: this.#now,
        };
        await manageReplicas(ctx, key, rs, ref, active, this.#relatedPods(rs));
      } catch (err) {
        manageError = err;
      }
    }
    const status = calculateStatus(rs, active, manageError, this.#now());
    const updated = await updateStatus(this.#sets, rs, status);
    const minReady = updated.spec?.minReadySeconds ?? 0;
    const replicas = specReplicas(updated);
    if (
      manageError === undefined &&
      minReady > 0 &&
      updated.status?.readyReplicas === replicas &&
      updated.status?.availableReplicas !== replicas
    ) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }
}
