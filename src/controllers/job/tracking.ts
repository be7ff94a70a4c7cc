/**
 * Finalizer-based tracking (trackJobStatusAndRemoveFinalizers in job_controller.go): a finished
 * pod's UID goes to status.uncountedTerminatedPods (or, Indexed, its index to completedIndexes)
 * before its tracking finalizer is removed; once removed it moves into the succeeded/failed
 * counters. The interim FailureTarget and SuccessCriteriaMet conditions are written first; the
 * final Failed or Complete condition only when nothing is left uncounted or terminating.
 */
import { isStatusError } from '../../machinery/errors.js';
import type { Pod } from '../controller-utils/types.js';
import { ensureJobCondition, type JobContext, newJobCondition, type SyncJobCtx } from './context.js';
import { formatIntervals, hasIndex, totalIndexes, withIndexes } from './intervals.js';
import { completionIndex, hasTrackingFinalizer, isPodFailed, podUid, validIndex } from './job-pods.js';
import { REMOVE_TRACKING_FINALIZER_PATCH } from './manage-job.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { updateJobStatus } from './status.js';
import { findCondition, hasBackoffLimitPerIndex, isIndexedJob, type JobCondition, type JobStatus } from './types.js';

/** MaxUncountedPods: keeps status.uncountedTerminatedPods roughly below 20 KB. */
export const MAX_UNCOUNTED_PODS = 500;

function isSuccessCriteriaMet(c: JobCondition | undefined): boolean {
  return c?.type === 'SuccessCriteriaMet' && c.status === 'True';
}

/** canRemoveFinalizer: the Job is going or finished, the pod succeeded, or it failed and its index need not wait. */
function canRemoveFinalizer(sctx: SyncJobCtx, pod: Pod, considerFailed: boolean): boolean {
  if (sctx.job.metadata.deletionTimestamp || sctx.finishedCondition || pod.status?.phase === 'Succeeded') return true;
  if (!considerFailed) return false;
  if (hasBackoffLimitPerIndex(sctx.job)) {
    const delayed = sctx.podsWithDelayedDeletionPerIndex.get(completionIndex(pod));
    if (delayed && podUid(delayed) === podUid(pod)) return false;
  }
  return true;
}

/** cleanUncountedPodsWithoutFinalizers: UIDs whose finalizer is gone move into the counters. */
function cleanUncounted(status: JobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  for (const kind of ['succeeded', 'failed'] as const) {
    const list = u[kind] ?? [];
    const kept = list.filter((uid) => withFinalizer.has(uid));
    if (kept.length === list.length) continue;
    changed = true;
    status[kind] = (status[kind] ?? 0) + list.length - kept.length;
    u[kind] = kept;
  }
  return changed;
}

/** removeTrackingFinalizerFromPods: which removals succeeded (a pod already gone counts), and the first error. */
async function removeTrackingFinalizers(
  ctx: JobContext,
  jobKey: string,
  pods: readonly Pod[],
): Promise<{ removed: string[]; error?: unknown }> {
  ctx.finalizerExpectations.expectFinalizersRemoved(jobKey, pods.map(podUid));
  const removed: string[] = [];
  let error: unknown;
  await Promise.all(
    pods.map(async (pod) => {
      try {
        await ctx.pods.patch(pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'strategic', REMOVE_TRACKING_FINALIZER_PATCH);
      } catch (err) {
        ctx.finalizerExpectations.finalizerRemovalObserved(jobKey, podUid(pod));
        if (!isStatusError(err, 'NotFound')) {
          error ??= err;
          return;
        }
      }
      removed.push(podUid(pod));
    }),
  );
  return error === undefined ? { removed } : { removed, error };
}

/** enactJobFinished: the final condition, once nothing is uncounted or terminating. */
function enactJobFinished(ctx: JobContext, sctx: SyncJobCtx): boolean {
  const fc = sctx.finishedCondition;
  if (!fc) return false;
  const u = sctx.job.status?.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
  if (sctx.terminating > 0) return false;
  ensureJobCondition(sctx.job, fc.type, fc.status, fc.reason ?? '', fc.message ?? '', ctx.now());
  if (fc.type === 'Complete') (sctx.job.status ??= {}).completionTime = fc.lastTransitionTime;
  return true;
}

function recordJobFinished(ctx: JobContext, sctx: SyncJobCtx, fc: JobCondition): void {
  const job = sctx.job;
  if (fc.type === 'Complete') {
    const completions = job.spec?.completions;
    if (typeof completions === 'number' && (job.status?.succeeded ?? 0) > completions) {
      ctx.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
    }
    ctx.recorder.event(job, 'Normal', 'Completed', 'Job completed');
  } else {
    ctx.recorder.event(job, 'Warning', fc.reason ?? '', fc.message ?? '');
  }
}

/** Counts the pods that finished, removes their finalizers, writes the status and finishes the Job when due. */
export async function trackJobStatusAndRemoveFinalizers(
  ctx: JobContext,
  jobKey: string,
  sctx: SyncJobCtx,
  needsFlush: boolean,
): Promise<void> {
  const job = sctx.job;
  const status = (job.status ??= {});
  const indexed = isIndexedJob(job);
  const uncounted = (status.uncountedTerminatedPods ??= {});
  uncounted.succeeded ??= [];
  uncounted.failed ??= [];
  if (indexed) sctx.pods.sort((a, b) => completionIndex(a) - completionIndex(b));
  const withFinalizer = new Set<string>();
  for (const p of sctx.pods) if (hasTrackingFinalizer(p) && !sctx.expectedRmFinalizers.has(podUid(p))) withFinalizer.add(podUid(p));
  if (cleanUncounted(status, withFinalizer)) needsFlush = true;

  const toRemove: Pod[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMaxUncounted = false;
  const terminatingJob = sctx.finishedCondition !== undefined && !isSuccessCriteriaMet(sctx.finishedCondition);
  for (const pod of sctx.pods) {
    const uid = podUid(pod);
    if (!hasTrackingFinalizer(pod) || sctx.expectedRmFinalizers.has(uid)) continue;
    const considerFailed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(sctx, pod, considerFailed)) continue;
    toRemove.push(pod);
    if (pod.status?.phase === 'Succeeded' && !sctx.uncounted.failed.has(uid)) {
      if (indexed) {
        const ix = validIndex(job, pod);
        if (ix !== undefined && !hasIndex(sctx.prevSucceededIndexes, ix)) {
          newSucceededIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!sctx.uncounted.succeeded.has(uid)) {
        uncounted.succeeded.push(uid);
        needsFlush = true;
      }
    } else if (considerFailed || terminatingJob) {
      // every pod still running when the Job fails counts as failed
      if (!sctx.uncounted.failed.has(uid) && (!indexed || validIndex(job, pod) !== undefined)) {
        if (matchPodFailurePolicy(job, pod).countFailed) {
          uncounted.failed.push(uid);
          needsFlush = true;
        }
      }
    }
    if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
      reachedMaxUncounted = true;
      break;
    }
  }
  if (indexed) {
    sctx.succeededIndexes = withIndexes(
      sctx.succeededIndexes,
      [...new Set(newSucceededIndexes)].sort((a, b) => a - b),
    );
    const completed = formatIntervals(sctx.succeededIndexes);
    if (completed !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = totalIndexes(sctx.succeededIndexes);
    status.completedIndexes = completed;
    const failed = sctx.failedIndexes ? formatIntervals(sctx.failedIndexes) : undefined;
    if (status.failedIndexes !== failed) {
      if (failed === undefined) delete status.failedIndexes;
      else status.failedIndexes = failed;
      needsFlush = true;
    }
  }
  const fc = sctx.finishedCondition;
  if (fc?.type === 'FailureTarget') {
    (status.conditions ??= []).push(fc);
    needsFlush = true;
    sctx.finishedCondition = newJobCondition('Failed', 'True', fc.reason ?? '', fc.message ?? '', ctx.now());
  }
  if (fc && isSuccessCriteriaMet(fc)) {
    if (findCondition(job, 'SuccessCriteriaMet')?.status !== 'True') {
      (status.conditions ??= []).push(fc);
      needsFlush = true;
    }
    sctx.finishedCondition = newJobCondition('Complete', 'True', fc.reason ?? '', fc.message ?? '', ctx.now());
  }

  // flushUncountedAndRemoveFinalizers
  if (needsFlush) {
    sctx.job = await updateJobStatus(ctx.jobs, sctx.job);
    ctx.backoff.update(sctx.newBackoffRecord);
    needsFlush = false;
  }
  if (toRemove.length > 0) {
    const { removed, error } = await removeTrackingFinalizers(ctx, jobKey, toRemove);
    for (const uid of removed) withFinalizer.delete(uid);
    if (cleanUncounted((sctx.job.status ??= {}), withFinalizer)) needsFlush = true;
    if (error !== undefined) {
      if (needsFlush) sctx.job = await updateJobStatus(ctx.jobs, sctx.job);
      throw error;
    }
  }
  const finished = !reachedMaxUncounted && enactJobFinished(ctx, sctx);
  if (finished) needsFlush = true;
  if (!needsFlush) return;
  sctx.job = await updateJobStatus(ctx.jobs, sctx.job);
  if (finished && sctx.finishedCondition) recordJobFinished(ctx, sctx, sctx.finishedCondition);
}
