/**
 * manageJob (job_controller.go): toward the wanted number of active pods — parallelism, capped
 * by the completions left — delete surplus pods (and every pod of a suspended Job), or create
 * pods in slow-start batches once the pod-failure backoff has passed; Indexed Jobs create the
 * lowest pending indexes, each pod named, labelled and annotated with its index.
 */
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import type { OwnerReference } from '../../machinery/object.js';
import { cloneJson } from '../../machinery/clone.js';
import { isPodReady } from '../controller-utils/pod-util.js';
import type { Pod, PodTemplateSpec } from '../controller-utils/types.js';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../replicaset/manage-replicas.js';
import { remainingBackoff, remainingBackoffPerIndex } from './backoff.js';
import type { JobContext, SyncJobCtx } from './context.js';
import {
  addCompletionIndexEnv,
  duplicatedIndexPodsForRemoval,
  firstPendingIndexes,
  newIndexFailureCounts,
  podGenerateNameWithIndex,
  sortActivePods,
} from './indexed.js';
import { hasTrackingFinalizer } from './job-pods.js';
import {
  hasBackoffLimitPerIndex,
  isIndexedJob,
  isJobSuspended,
  type Job,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_INDEX_FAILURE_COUNT_ANNOTATION,
  JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  JOB_TRACKING_FINALIZER,
  onlyReplaceFailedPods,
} from './types.js';

/** MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

export interface Deleted {
  deleted: number;
  deletedReady: number;
  error?: unknown;
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** The strategic merge patch that removes the tracking finalizer. */
export const REMOVE_TRACKING_FINALIZER_PATCH = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };

/** deleteActivePods: DELETE calls that keep the finalizers (a finished Job's remaining pods). */
export async function deleteActivePods(ctx: JobContext, job: Job, pods: readonly Pod[]): Promise<Deleted> {
  const out: Deleted = { deleted: pods.length, deletedReady: 0 };
  await Promise.all(
    pods.map(async (pod) => {
      const name = pod.metadata.name ?? '';
      try {
        await ctx.pods.delete(job.metadata.namespace ?? '', name);
        ctx.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (err) {
        if (!isStatusError(err, 'NotFound')) {
          out.deleted--;
          out.error ??= err;
          ctx.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
        }
      }
      if (isPodReady(pod)) out.deletedReady++;
    }),
  );
  return out;
}

/** deleteJobPods: removes each pod's finalizer, then deletes it, with deletion expectations. */
async function deleteJobPods(ctx: JobContext, jobKey: string, job: Job, pods: readonly Pod[]): Promise<Deleted> {
  ctx.expectations.expectDeletions(jobKey, pods.map(podKey));
  const out: Deleted = { deleted: pods.length, deletedReady: 0 };
  await Promise.all(
    pods.map(async (pod) => {
      const name = pod.metadata.name ?? '';
      try {
        if (hasTrackingFinalizer(pod))
          await ctx.pods.patch(pod.metadata.namespace ?? '', name, 'strategic', REMOVE_TRACKING_FINALIZER_PATCH);
        await ctx.pods.delete(job.metadata.namespace ?? '', name);
        ctx.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (err) {
        ctx.expectations.deletionObserved(jobKey, podKey(pod));
        if (!isStatusError(err, 'NotFound')) {
          out.deleted--;
          out.error ??= err;
          ctx.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
        }
      }
      if (isPodReady(pod)) out.deletedReady++;
    }),
  );
  return out;
}

/** activePodsForRemoval: repeated or invalid indexes first, then the ActivePods order. */
function activePodsForRemoval(job: Job, pods: readonly Pod[], rmAtLeast: number, nowMs: number): Pod[] {
  let rm: Pod[] = [];
  let left: Pod[] = [...pods];
  if (isIndexedJob(job)) ({ rm, left } = duplicatedIndexPodsForRemoval(pods, job.spec?.completions ?? 0, nowMs));
  if (rm.length < rmAtLeast) rm.push(...sortActivePods(left, nowMs).slice(0, rmAtLeast - rm.length));
  return rm;
}

/** The pod for one creation: the template with the finalizer, and for an index its name, labels and hostname. */
function podForIndex(ctx: SyncJobCtx, template: PodTemplateSpec, ref: OwnerReference, index: number | undefined): Pod {
  const job = ctx.job;
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${job.metadata.name ?? ''}-`,
      namespace: job.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      annotations: { ...(meta.annotations ?? {}) },
      finalizers: [...(meta.finalizers ?? [])],
      ownerReferences: [ref],
    },
    spec: cloneJson(template.spec ?? {}),
  };
  if (!pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) pod.metadata.finalizers?.push(JOB_TRACKING_FINALIZER);
  if (index === undefined) return pod;
  const labels = pod.metadata.labels as Record<string, string>;
  const annotations = pod.metadata.annotations as Record<string, string>;
  annotations[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
  labels[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
  (pod.spec as Record<string, unknown>)['hostname'] = `${job.metadata.name ?? ''}-${index}`;
  pod.metadata.generateName = podGenerateNameWithIndex(job.metadata.name ?? '', index);
  if (hasBackoffLimitPerIndex(job)) {
    const [failures, ignored] = newIndexFailureCounts(job, ctx.podsWithDelayedDeletionPerIndex.get(index));
    annotations[JOB_INDEX_FAILURE_COUNT_ANNOTATION] = String(failures);
    if (ignored > 0) annotations[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(ignored);
  }
  return pod;
}

/** The indexes whose per-index backoff has passed, or the shortest wait when none has. */
function indexesReadyNow(ctx: JobContext, sctx: SyncJobCtx, indexes: readonly number[]): { now: number[]; waitMs: number } {
  const now: number[] = [];
  let waitMs = Number.POSITIVE_INFINITY;
  for (const ix of indexes) {
    const left = remainingBackoffPerIndex(ctx.delays, ctx.now(), sctx.podsWithDelayedDeletionPerIndex.get(ix));
    if (left === 0) now.push(ix);
    else waitMs = Math.min(waitMs, left);
  }
  return { now, waitMs: now.length > 0 || waitMs === Number.POSITIVE_INFINITY ? 0 : waitMs };
}

/** Creates `indexes.length` pods (or `count` when not Indexed); returns how many were not created and the first error. */
async function createPods(
  ctx: JobContext,
  jobKey: string,
  sctx: SyncJobCtx,
  ref: OwnerReference,
  count: number,
  indexes: number[] | undefined,
): Promise<{ failed: number; error?: unknown }> {
  const job = sctx.job;
  const template = cloneJson(job.spec?.template ?? {});
  if (isIndexedJob(job)) addCompletionIndexEnv((template.spec ??= {}));
  ctx.expectations.expectCreations(jobKey, count);
  const queue = [...(indexes ?? [])];
  let failed = 0;
  const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, async () => {
    const pod = podForIndex(sctx, template, ref, queue.shift());
    try {
      const created = await ctx.pods.create(job.metadata.namespace ?? '', pod);
      ctx.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    } catch (err) {
      if (hasStatusCause(err, 'NamespaceTerminating')) return;
      ctx.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      ctx.expectations.creationObserved(jobKey);
      failed++;
      throw err;
    }
  });
  // pods of the batches never attempted are not expected either
  const skipped = count - successes - failed;
  for (let i = 0; i < skipped; i++) ctx.expectations.creationObserved(jobKey);
  return { failed: failed + skipped, ...(error !== undefined ? { error } : {}) };
}

/** manageJob: returns the active count after the creations or deletions it made, and their error. */
export async function manageJob(
  ctx: JobContext,
  jobKey: string,
  sctx: SyncJobCtx,
  ref: OwnerReference,
): Promise<{ active: number; error?: unknown }> {
  const job = sctx.job;
  const active = sctx.activePods.length;
  const parallelism = job.spec?.parallelism ?? 1;
  const removePods = async (pods: Pod[]) => {
    const r = await deleteJobPods(ctx, jobKey, job, pods);
    sctx.terminating += r.deleted;
    sctx.ready -= r.deletedReady;
    return { active: active - r.deleted, ...(r.error !== undefined ? { error: r.error } : {}) };
  };
  if (isJobSuspended(job)) return removePods(activePodsForRemoval(job, sctx.activePods, active, ctx.now()));

  const completions = job.spec?.completions;
  let wantActive: number;
  if (completions === undefined || completions === null) wantActive = sctx.succeeded > 0 ? active : parallelism;
  else wantActive = Math.max(0, Math.min(completions - sctx.succeeded, parallelism));

  const surplus = activePodsForRemoval(job, sctx.activePods, Math.max(0, active - wantActive), ctx.now());
  if (surplus.length > 0) return removePods(surplus.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC));

  const terminating = onlyReplaceFailedPods(job) ? sctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return { active };
  if (!hasBackoffLimitPerIndex(job)) {
    const { failuresAfterLastSuccess, lastFailureTime } = sctx.newBackoffRecord;
    const waitMs = remainingBackoff(ctx.delays, ctx.now(), failuresAfterLastSuccess, lastFailureTime);
    if (waitMs > 0) {
      ctx.enqueueAfter(job, waitMs);
      return { active };
    }
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  let indexes: number[] | undefined;
  if (isIndexedJob(job)) {
    indexes = firstPendingIndexes(sctx, diff, completions ?? 0);
    if (hasBackoffLimitPerIndex(job)) {
      const ready = indexesReadyNow(ctx, sctx, indexes);
      if (ready.waitMs > 0) {
        ctx.enqueueAfter(job, ready.waitMs);
        return { active };
      }
      indexes = ready.now;
    }
    diff = indexes.length;
  }
  if (diff === 0) return { active };
  const { failed, error } = await createPods(ctx, jobKey, sctx, ref, diff, indexes);
  return { active: active + diff - failed, ...(error !== undefined ? { error } : {}) };
}
