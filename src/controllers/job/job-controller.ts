/**
 * The Job controller (pkg/controller/job): runs each Job's pods to completion — parallelism,
 * completions, Indexed mode, backoff after failures, podFailurePolicy, backoffLimitPerIndex,
 * successPolicy, suspend, activeDeadlineSeconds — tracking finished pods with the
 * batch.kubernetes.io/job-tracking finalizer. A second queue strips that finalizer from pods
 * whose Job is gone or finished (the orphan worker).
 * Watch jobs and pods → enqueue the Job's key (pod events batched) → sync(key).
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
import { isStatusError } from '../../machinery/errors.js';
import { labelSelectorFromMeta } from '../../machinery/labels.js';
import type { OwnerReference } from '../../machinery/object.js';
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
import { addPodControllerIndex, podsOwnedOrOrphaned } from '../controller-utils/pod-controller-index.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { runController } from '../runtime.js';
import { type BackoffDelays, BackoffStore, DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS } from './backoff.js';
import type { JobContext } from './context.js';
import { UidTrackingExpectations } from './finalizer-expectations.js';
import { hasTrackingFinalizer, podUid } from './job-pods.js';
import { REMOVE_TRACKING_FINALIZER_PATCH } from './manage-job.js';
import { syncJobPods } from './sync-job.js';
import { isJobFinished, type Job, JOB_API_VERSION, JOB_KIND, JOB_TRACKING_FINALIZER, JOBS, managedByExternalController } from './types.js';

/** syncJobBatchPeriod: pod events for one Job within this window make one sync. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

export interface JobControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  now?: () => number;
  /** Batching of pod-triggered syncs (1 s upstream); 0 syncs at once. */
  syncJobBatchPeriodMs?: number;
  /** The pod-failure backoff (10 s doubling to 10 min upstream). */
  podFailureBackoff?: BackoffDelays;
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

export class JobController {
  readonly queue: WorkQueue;
  /** Pods with the tracking finalizer whose Job no longer tracks them. */
  readonly orphanQueue: WorkQueue;
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations = new UidTrackingExpectations();
  readonly #ctx: JobContext;
  readonly #jobs: ResourceClient;
  readonly #pods: ResourceClient;
  readonly #jobInformer: SharedInformer;
  readonly #podInformer: SharedInformer;
  readonly #batchMs: number;
  readonly #now: () => number;

  constructor(options: JobControllerOptions) {
    this.#now = options.now ?? Date.now;
    this.#batchMs = options.syncJobBatchPeriodMs ?? SYNC_JOB_BATCH_PERIOD_MS;
    this.queue = options.newQueue();
    this.orphanQueue = options.newQueue();
    this.expectations = new ControllerExpectations(this.#now);
    this.#jobs = options.client.resource(JOBS);
    this.#pods = options.client.resource(PODS);
    this.#jobInformer = options.informers.forResource(JOBS);
    this.#podInformer = options.informers.forResource(PODS);
    addPodControllerIndex(this.#podInformer);
    this.#ctx = {
      jobs: this.#jobs,
      pods: this.#pods,
      recorder: options.recorder,
      expectations: this.expectations,
      finalizerExpectations: this.finalizerExpectations,
      backoff: new BackoffStore(),
      delays: options.podFailureBackoff ?? { initialMs: DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs: MAX_POD_FAILURE_BACKOFF_MS },
      now: this.#now,
      enqueueAfter: (job, delayMs) => this.queue.addAfter(objectKey(job), Math.max(delayMs, this.#batchMs)),
    };
    this.#jobInformer.addEventHandler({
      onAdd: (job) => this.queue.add(objectKey(job)),
      onUpdate: (old, cur) => this.#updateJob(old as Job, cur as Job),
      onDelete: (job) => {
        this.queue.add(objectKey(job));
        this.#cleanupPodFinalizers(job as Job);
      },
    });
    this.#podInformer.addEventHandler({
      onAdd: (pod) => this.#addPod(pod as Pod),
      onUpdate: (old, cur) => this.#updatePod(old as Pod, cur as Pod),
      onDelete: (pod) => this.#deletePod(pod as Pod, true),
    });
  }

  get #lister(): Lister {
    return this.#jobInformer.lister;
  }

  /** Waits for the caches, then runs `workers` sync loops and one orphan-pod loop until the signal aborts. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    const onError = (what: string) => (key: string, err: unknown) =>
      console.error(`job-controller: ${what} "${key}": ${(err as Error).message}`);
    await runController(
      [this.#jobInformer, this.#podInformer],
      [
        { queue: this.queue, workers, signal, sync: (key) => this.sync(key), onError: onError('syncing job') },
        {
          queue: this.orphanQueue,
          workers: 1,
          signal,
          sync: (key) => this.syncOrphanPod(key),
          onError: onError('syncing orphan pod'),
        },
      ],
      signal,
    );
  }

  #enqueueBatched(job: Job): void {
    if (this.#batchMs > 0) this.queue.addAfter(objectKey(job), this.#batchMs);
    else this.queue.add(objectKey(job));
  }

  #updateJob(old: Job, cur: Job): void {
    if (cur.metadata.generation === old.metadata.generation) this.#enqueueBatched(cur);
    else this.queue.add(objectKey(cur));
    if (isJobFinished(cur)) this.#cleanupPodFinalizers(cur);
    const ads = cur.spec?.activeDeadlineSeconds;
    const start = cur.status?.startTime ? Date.parse(cur.status.startTime) : Number.NaN;
    if (typeof ads === 'number' && !Number.isNaN(start) && old.spec?.activeDeadlineSeconds !== ads) {
      this.queue.addAfter(objectKey(cur), ads * 1000 - (this.#now() - start));
    }
  }

  /** The Job a controllerRef names, if it still exists with that UID. */
  #resolve(namespace: string, ref: OwnerReference | undefined): Job | undefined {
    return resolveControllerRef<Job>(this.#lister, JOB_KIND, namespace, ref);
  }

  /** getPodJobs: the Jobs whose selector matches an orphan pod. */
  #jobsMatching(pod: Pod): Job[] {
    return controllersSelecting<Job>(this.#lister, pod, (job) => labelSelectorFromMeta(job.spec?.selector));
  }

  #addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.#deletePod(pod, false);
    const ref = getControllerOf(pod);
    if (ref) {
      const job = this.#resolve(pod.metadata.namespace ?? '', ref);
      if (!job) return;
      this.expectations.creationObserved(objectKey(job));
      this.#enqueueBatched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
    for (const job of this.#jobsMatching(pod)) this.#enqueueBatched(job);
  }

  #updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) return this.#deletePod(cur, false);
    const finalizerRemoved = !hasTrackingFinalizer(cur);
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = !semanticEqual(curRef, oldRef);
    const wake = (ref: OwnerReference, namespace: string) => {
      const job = this.#resolve(namespace, ref);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(objectKey(job), podUid(cur));
      this.#enqueueBatched(job);
    };
    if (refChanged && oldRef) wake(oldRef, old.metadata.namespace ?? '');
    if (curRef) return wake(curRef, cur.metadata.namespace ?? '');
    if (hasTrackingFinalizer(cur)) this.orphanQueue.add(objectKey(cur));
    if (refChanged || !semanticEqual(cur.metadata.labels, old.metadata.labels)) {
      for (const job of this.#jobsMatching(cur)) this.#enqueueBatched(job);
    }
  }

  /** A pod deleted (final) or marked for deletion. */
  #deletePod(pod: Pod, final: boolean): void {
    const ref = getControllerOf(pod);
    const hasFinalizer = hasTrackingFinalizer(pod);
    const job = this.#resolve(pod.metadata.namespace ?? '', ref);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer) this.orphanQueue.add(objectKey(pod));
      return;
    }
    const key = objectKey(job);
    this.expectations.deletionObserved(key, podKey(pod));
    if (final || !hasFinalizer) this.finalizerExpectations.finalizerRemovalObserved(key, podUid(pod));
    this.#enqueueBatched(job);
  }

  /** cleanupPodFinalizers: the Job's pods that still hold the finalizer go to the orphan queue. */
  #cleanupPodFinalizers(job: Job): void {
    for (const pod of podsOwnedOrOrphaned(this.#podInformer.lister, job)) {
      if (getControllerOf(pod)?.uid === job.metadata.uid && hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
    }
  }

  /** syncOrphanPod: removes the tracking finalizer unless a running Job (of ours) controls the pod. */
  async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.#podInformer.lister.get(namespace, name) as Pod | undefined;
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== JOB_KIND || ref.apiVersion !== JOB_API_VERSION) return;
      const job = this.#resolve(namespace, ref);
      if (job && (managedByExternalController(job) || !isJobFinished(job))) return;
    }
    try {
      await this.#pods.patch(namespace, name, 'strategic', REMOVE_TRACKING_FINALIZER_PATCH);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }

  /** syncJob: converge one Job's pods and status. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#lister.get(namespace, name) as Job | undefined;
    if (!cached) {
      this.expectations.delete(key);
      this.finalizerExpectations.delete(key);
      this.#ctx.backoff.remove(key);
      return;
    }
    if (managedByExternalController(cached)) return;
    if (isJobFinished(cached)) {
      this.#ctx.backoff.remove(key);
      return;
    }
    const job = cloneJson(cached);
    const mode = job.spec?.completionMode;
    if (mode !== undefined && mode !== null && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.#ctx.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    // expectations first: a pod created after the list below is seen by the next sync
    const satisfied = this.expectations.satisfied(key);
    const ref = newControllerRef(job, JOB_API_VERSION, JOB_KIND);
    const pods = await claimObjects(podsOwnedOrOrphaned(this.#podInformer.lister, job) as Pod[], {
      owner: job,
      ownerRef: ref,
      selector: labelSelectorFromMeta(job.spec?.selector),
      client: this.#pods,
      kind: 'Pod',
      canAdopt: recheckOwner(this.#jobs, job, JOB_KIND),
      finalizers: [JOB_TRACKING_FINALIZER],
    });
    await syncJobPods(this.#ctx, key, job, pods, satisfied, ref);
  }
}
