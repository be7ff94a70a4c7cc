/**
 * The body of syncJob (job_controller.go) once the Job is read and its pods claimed: count
 * what finished, decide whether the Job has failed (podFailurePolicy, backoffLimit, deadline,
 * failed indexes) or met its success criteria, remove active pods of a finished Job or manage
 * the pods of a running one, keep the Suspended condition, then track the status.
 */
import type { OwnerReference } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import { isPodReady } from '../controller-utils/pod-util.js';
import type { Pod } from '../controller-utils/types.js';
import { ensureJobCondition, type JobContext, newJobCondition, type SyncJobCtx } from './context.js';
import { calculateFailedIndexes, calculateSucceededIndexes, podsWithDelayedDeletionPerIndex } from './indexed.js';
import { totalIndexes } from './intervals.js';
import {
  activePods,
  containerStatuses,
  hasTrackingFinalizer,
  initContainerStatuses,
  isPodFailed,
  isPodTerminating,
  podUid,
  validIndex,
} from './job-pods.js';
import { deleteActivePods, manageJob } from './manage-job.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { matchSuccessPolicy } from './success-policy.js';
import { trackJobStatusAndRemoveFinalizers } from './tracking.js';
import { findCondition, hasBackoffLimitPerIndex, isIndexedJob, isJobSuspended, type Job, type JobCondition } from './types.js';

/** getValidPodsWithFilter: pods not counted yet (finalizer held, not uncounted, valid index) that pass `filter`. */
function uncountedPods(sctx: SyncJobCtx, uncounted: ReadonlySet<string>, filter: (p: Pod) => boolean): Pod[] {
  return sctx.pods.filter((p) => {
    const uid = podUid(p);
    if (!hasTrackingFinalizer(p) || uncounted.has(uid) || sctx.expectedRmFinalizers.has(uid)) return false;
    if (isIndexedJob(sctx.job) && validIndex(sctx.job, p) === undefined) return false;
    return filter(p);
  });
}

/** getFailJobMessage: the message of the first failed pod that matches a FailJob rule. */
function failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const msg = matchPodFailurePolicy(job, p).failJobMessage;
    if (msg !== undefined) return msg;
  }
  return undefined;
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts count as failures. */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if ((job.spec?.template?.spec?.['restartPolicy'] as string | undefined) !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const cs of [...initContainerStatuses(p), ...containerStatuses(p)]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Milliseconds the Job has been active, when it has a start time. */
function activeFor(job: Job, nowMs: number): number | undefined {
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : Number.NaN;
  return Number.isNaN(start) ? undefined : nowMs - start;
}

/** The failure or success the pods decide before any pod is managed. */
function decideFinished(ctx: JobContext, sctx: SyncJobCtx): JobCondition | undefined {
  const job = sctx.job;
  const now = ctx.now();
  const met = findCondition(job, 'SuccessCriteriaMet');
  if (met?.status === 'True') return met;
  const target = findCondition(job, 'FailureTarget');
  if (target?.status === 'True') return newJobCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
  const policyMessage = failJobMessage(job, sctx.pods);
  if (policyMessage !== undefined) return newJobCondition('FailureTarget', 'True', 'PodFailurePolicy', policyMessage, now);
  if (sctx.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, sctx.pods)) {
    return newJobCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
  }
  const deadline = job.spec?.activeDeadlineSeconds;
  const elapsed = activeFor(job, now);
  if (typeof deadline === 'number' && elapsed !== undefined && !isJobSuspended(job)) {
    if (elapsed >= deadline * 1000) {
      return newJobCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
    }
    ctx.enqueueAfter(job, deadline * 1000 - elapsed);
  }
  return undefined;
}

/** The Indexed Job's succeeded and failed indexes, and what they decide. */
function decideIndexes(ctx: JobContext, sctx: SyncJobCtx): void {
  const job = sctx.job;
  const completions = job.spec?.completions ?? 0;
  [sctx.prevSucceededIndexes, sctx.succeededIndexes] = calculateSucceededIndexes(job, sctx.pods);
  sctx.succeeded = totalIndexes(sctx.succeededIndexes);
  const now = ctx.now();
  if (hasBackoffLimitPerIndex(job)) {
    sctx.failedIndexes = calculateFailedIndexes(job, sctx.pods);
    const failed = totalIndexes(sctx.failedIndexes);
    const max = job.spec?.maxFailedIndexes;
    if (!sctx.finishedCondition) {
      if (typeof max === 'number' && failed > max) {
        sctx.finishedCondition = newJobCondition(
          'FailureTarget',
          'True',
          'MaxFailedIndexesExceeded',
          'Job has exceeded the specified maximal number of failed indexes',
          now,
        );
      } else if (failed > 0 && failed + sctx.succeeded >= completions) {
        sctx.finishedCondition = newJobCondition('FailureTarget', 'True', 'FailedIndexes', 'Job has failed indexes', now);
      }
    }
    sctx.podsWithDelayedDeletionPerIndex = podsWithDelayedDeletionPerIndex(sctx);
  }
  if (!sctx.finishedCondition) {
    const msg = matchSuccessPolicy(job.spec?.successPolicy?.rules, completions, sctx.succeededIndexes);
    if (msg !== undefined) sctx.finishedCondition = newJobCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', msg, now);
  }
}

/** Keeps the Suspended condition (and its events) in step with spec.suspend; a resume restarts the clock. */
function syncSuspended(ctx: JobContext, job: Job): boolean {
  const now = ctx.now();
  if (isJobSuspended(job)) {
    const changed = ensureJobCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
    if (changed) ctx.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
    return changed;
  }
  const changed = ensureJobCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
  if (changed) {
    ctx.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
    (job.status ??= {}).startTime = rfc3339(now);
  }
  return changed;
}

/** syncJob after the claim: `job` is a private copy; `satisfied` is whether the expectations were met. */
export async function syncJobPods(
  ctx: JobContext,
  key: string,
  job: Job,
  pods: Pod[],
  satisfied: boolean,
  ref: OwnerReference,
): Promise<void> {
  const status = (job.status ??= {});
  const u = (status.uncountedTerminatedPods ??= {});
  const active = activePods(pods);
  const sctx: SyncJobCtx = {
    job,
    pods,
    activePods: active,
    succeeded: 0,
    failed: 0,
    prevSucceededIndexes: [],
    succeededIndexes: [],
    newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
    expectedRmFinalizers: ctx.finalizerExpectations.expectedUids(key),
    uncounted: { succeeded: new Set(u.succeeded ?? []), failed: new Set(u.failed ?? []) },
    podsWithDelayedDeletionPerIndex: new Map(),
    terminating: pods.filter(isPodTerminating).length,
    ready: active.filter(isPodReady).length,
  };
  let activeCount = active.length;
  const newSucceeded = uncountedPods(sctx, sctx.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
  const newFailed = uncountedPods(sctx, sctx.uncounted.failed, (p) => isPodFailed(p, job));
  sctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + sctx.uncounted.succeeded.size;
  const countedFailures = newFailed.filter((p) => matchPodFailurePolicy(job, p).countFailed).length;
  sctx.failed = (status.failed ?? 0) + countedFailures + sctx.uncounted.failed.size;
  if (!status.startTime && !isJobSuspended(job)) status.startTime = rfc3339(ctx.now());
  sctx.newBackoffRecord = ctx.backoff.next(key, newSucceeded, newFailed);
  sctx.finishedCondition = decideFinished(ctx, sctx);
  if (isIndexedJob(job)) decideIndexes(ctx, sctx);

  let suspendChanged = false;
  let manageError: unknown;
  if (sctx.finishedCondition) {
    const r = await deleteActivePods(ctx, job, sctx.activePods);
    // pods not gone yet, or not all seen: the Job finishes in a later sync
    if (r.deleted !== activeCount || !satisfied) delete sctx.finishedCondition;
    activeCount -= r.deleted;
    sctx.terminating += r.deleted;
    sctx.ready -= r.deletedReady;
    manageError = r.error;
  } else {
    let managed = false;
    if (satisfied && !job.metadata.deletionTimestamp) {
      ({ active: activeCount, error: manageError } = await manageJob(ctx, key, sctx, ref));
      managed = true;
    }
    const completions = job.spec?.completions;
    const complete =
      typeof completions === 'number' ? sctx.succeeded >= completions && activeCount === 0 : sctx.succeeded > 0 && activeCount === 0;
    if (complete) {
      sctx.finishedCondition = newJobCondition(
        'SuccessCriteriaMet',
        'True',
        'CompletionsReached',
        'Reached expected number of succeeded pods',
        ctx.now(),
      );
    } else if (managed) {
      suspendChanged = syncSuspended(ctx, job);
    }
  }
  const needsStatusUpdate =
    suspendChanged || activeCount !== (status.active ?? 0) || sctx.ready !== status.ready || sctx.terminating !== status.terminating;
  status.active = activeCount;
  status.ready = sctx.ready;
  status.terminating = sctx.terminating;
  await trackJobStatusAndRemoveFinalizers(ctx, key, sctx, needsStatusUpdate);
  if (manageError !== undefined) throw manageError;
}
