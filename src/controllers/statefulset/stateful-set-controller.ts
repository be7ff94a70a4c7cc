/**
 * The StatefulSet controller (pkg/controller/statefulset): pods with stable ordinal names and
 * claims, created and deleted in order (OrderedReady) or all at once (Parallel), updated
 * through ControllerRevisions by RollingUpdate (partition, maxUnavailable) or OnDelete.
 * Watch sets and pods → enqueue the owning set's key → sync(key).
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
import { cloneJson } from '../../machinery/clone.js';
import { labelSelectorFromMeta, type Selector } from '../../machinery/labels.js';
import type { OwnerReference } from '../../machinery/object.js';
import {
  adoptPatch,
  claimObjects,
  controllersSelecting,
  getControllerOf,
  newControllerRef,
  recheckOwner,
  resolveControllerRef,
} from '../controller-utils/controller-ref.js';
import { semanticEqual } from '../controller-utils/equality.js';
import { isPodReady } from '../controller-utils/pod-util.js';
import { addPodControllerIndex, podsOwnedOrOrphaned } from '../controller-utils/pod-controller-index.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import {
  CONTROLLER_REVISIONS,
  ControllerHistory,
  type ControllerRevision,
  sortControllerRevisions,
} from '../history/controller-history.js';
import { runController } from '../runtime.js';
import { getStatefulSetRevisions, truncateHistory } from './revisions.js';
import { StatefulPodControl } from './stateful-pod-control.js';
import { isMemberOf, setReplicas } from './stateful-set-utils.js';
import { writeStatus } from './status.js';
import { PERSISTENT_VOLUME_CLAIMS, STATEFUL_SETS, type StatefulSet } from './types.js';
import { updateStatefulSet } from './update-set.js';

export interface StatefulSetControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  now?: () => number;
  log?: (message: string) => void;
}

export class StatefulSetController {
  readonly queue: WorkQueue;
  readonly #sets: ResourceClient;
  readonly #pods: ResourceClient;
  readonly #revisions: ResourceClient;
  readonly #setInformer: SharedInformer;
  readonly #podInformer: SharedInformer;
  readonly #revisionInformer: SharedInformer;
  readonly #claimInformer: SharedInformer;
  readonly #control: StatefulPodControl;
  readonly #history: ControllerHistory;
  readonly #now: () => number;
  readonly #log: (message: string) => void;

  constructor(options: StatefulSetControllerOptions) {
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? ((m) => console.error(m));
    this.queue = options.newQueue();
    this.#sets = options.client.resource(STATEFUL_SETS);
    this.#pods = options.client.resource(PODS);
    this.#revisions = options.client.resource(CONTROLLER_REVISIONS);
    this.#history = new ControllerHistory({ client: this.#revisions });
    this.#setInformer = options.informers.forResource(STATEFUL_SETS);
    this.#podInformer = options.informers.forResource(PODS);
    this.#revisionInformer = options.informers.forResource(CONTROLLER_REVISIONS);
    this.#claimInformer = options.informers.forResource(PERSISTENT_VOLUME_CLAIMS);
    this.#control = new StatefulPodControl({
      pods: this.#pods,
      claims: options.client.resource(PERSISTENT_VOLUME_CLAIMS),
      claimLister: this.#claimInformer.lister,
      recorder: options.recorder,
    });
    addPodControllerIndex(this.#podInformer);
    this.#setInformer.addEventHandler({
      onAdd: (set) => this.queue.add(objectKey(set)),
      onUpdate: (_old, cur) => this.queue.add(objectKey(cur)),
      onDelete: (set) => this.queue.add(objectKey(set)),
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
    const informers = [this.#setInformer, this.#podInformer, this.#revisionInformer, this.#claimInformer];
    await runController(
      informers,
      [
        {
          queue: this.queue,
          workers,
          signal,
          sync: (key) => this.sync(key),
          onError: (key, err) => this.#log(`statefulset-controller: error syncing StatefulSet "${key}": ${(err as Error).message}`),
        },
      ],
      signal,
    );
  }

  /** resolveControllerRef: the set a controllerRef names, if it still exists with that UID. */
  #resolve(namespace: string, ref: OwnerReference | undefined): StatefulSet | undefined {
    return resolveControllerRef<StatefulSet>(this.#lister, 'StatefulSet', namespace, ref);
  }

  /** getPodStatefulSets: the sets whose selector matches an orphan pod's labels. */
  #setsMatching(pod: Pod): StatefulSet[] {
    return controllersSelecting<StatefulSet>(this.#lister, pod, (set) => labelSelectorFromMeta(set.spec?.selector));
  }

  #addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.#deletePod(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const set = this.#resolve(pod.metadata.namespace ?? '', ref);
      if (set) this.queue.add(objectKey(set));
      return;
    }
    for (const set of this.#setsMatching(pod)) this.queue.add(objectKey(set));
  }

  #updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const labelsChanged = !semanticEqual(old.metadata.labels, cur.metadata.labels);
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = !semanticEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const set = this.#resolve(old.metadata.namespace ?? '', oldRef);
      if (set) this.queue.add(objectKey(set));
    }
    if (curRef) {
      const set = this.#resolve(cur.metadata.namespace ?? '', curRef);
      if (!set) return;
      this.queue.add(objectKey(set));
      const minReady = set.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(objectKey(set), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const set of this.#setsMatching(cur)) this.queue.add(objectKey(set));
  }

  #deletePod(pod: Pod): void {
    const set = this.#resolve(pod.metadata.namespace ?? '', getControllerOf(pod));
    if (set) this.queue.add(objectKey(set));
  }

  /** The set's revisions: those its selector matches that it controls or nobody does. */
  #revisionsOf(set: StatefulSet, selector: Selector): ControllerRevision[] {
    return (this.#revisionInformer.lister.list(set.metadata.namespace) as ControllerRevision[]).filter((r) => {
      const ref = getControllerOf(r);
      return selector.matches(r.metadata.labels) && (!ref || ref.uid === set.metadata.uid);
    });
  }

  /** adoptOrphanRevisions: matching revisions without a controller become the set's. */
  async #adoptOrphanRevisions(set: StatefulSet, selector: Selector, ref: OwnerReference): Promise<void> {
    const orphans = this.#revisionsOf(set, selector).filter((r) => !getControllerOf(r));
    if (orphans.length === 0) return;
    await recheckOwner(this.#sets, set, 'StatefulSet')();
    for (const r of orphans) {
      await this.#revisions.patch(r.metadata.namespace ?? '', r.metadata.name ?? '', 'strategic', adoptPatch(ref, r.metadata.uid ?? ''));
    }
  }

  /** getPodsForStatefulSet: the set's members after adopting matching orphans and releasing strays. */
  async #podsFor(set: StatefulSet, selector: Selector, ref: OwnerReference): Promise<Pod[]> {
    const candidates = (podsOwnedOrOrphaned(this.#podInformer.lister, set) as Pod[]).filter((p) => isMemberOf(set, p));
    return claimObjects(candidates, {
      owner: set,
      ownerRef: ref,
      selector,
      client: this.#pods,
      kind: 'Pod',
      canAdopt: recheckOwner(this.#sets, set, 'StatefulSet'),
    });
  }

  /** sync: converge one set's pods and revisions, then write its status. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#lister.get(namespace, name);
    if (!cached) return;
    const set = cloneJson(cached) as StatefulSet;
    let selector: Selector;
    try {
      selector = labelSelectorFromMeta(set.spec?.selector);
    } catch (err) {
      this.#log(`statefulset-controller: error converting StatefulSet ${key} selector: ${(err as Error).message}`);
      return;
    }
    const ref = newControllerRef(set, 'apps/v1', 'StatefulSet');
    await this.#adoptOrphanRevisions(set, selector, ref);
    const pods = await this.#podsFor(set, selector, ref);
    const revisions = sortControllerRevisions(this.#revisionsOf(set, selector));
    let current: ControllerRevision | undefined;
    let update: ControllerRevision | undefined;
    let availableReplicas = 0;
    try {
      const r = await getStatefulSetRevisions(this.#history, set, ref, revisions);
      current = r.current;
      update = r.update;
      const ctx = { control: this.#control, now: this.#now };
      const { status, error } = await updateStatefulSet(ctx, set, ref, current, update, r.collisionCount, pods);
      await writeStatus(this.#sets, set, status);
      if (error !== undefined) throw error;
      availableReplicas = status.availableReplicas ?? 0;
    } finally {
      await truncateHistory(this.#history, set, pods, revisions, current, update);
    }
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && availableReplicas !== setReplicas(set)) this.queue.addAfter(key, minReady * 1000);
  }
}
