/**
 * Indexed completion mode (indexed_job_utils.go): succeeded and failed indexes, the next
 * indexes to start, surplus pods of a repeated index, the failed pod whose deletion waits for
 * its index's replacement (backoffLimitPerIndex) and the JOB_COMPLETION_INDEX variable.
 */
import { compareForDeletion } from '../controller-utils/pod-util.js';
import type { Pod } from '../controller-utils/types.js';
import type { SyncJobCtx } from './context.js';
import { hasIndex, type Interval, mergeIntervals, parseIntervals, withIndexes } from './intervals.js';
import {
  completionIndex,
  finishedTime,
  hasTrackingFinalizer,
  indexAbsoluteFailureCount,
  indexesOf,
  indexFailureCount,
  indexIgnoredFailureCount,
  isPodFailed,
  isPodTerminating,
  podUid,
  UNKNOWN_COMPLETION_INDEX,
  validIndex,
} from './job-pods.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { JOB_COMPLETION_INDEX_ANNOTATION, type Job, onlyReplaceFailedPods } from './types.js';

export const COMPLETION_INDEX_ENV_NAME = 'JOB_COMPLETION_INDEX';

const ascending = (a: number, b: number) => a - b;

/** calculateSucceededIndexes: status.completedIndexes, and those plus newly succeeded pods' indexes. */
export function calculateSucceededIndexes(job: Job, pods: readonly Pod[]): [Interval[], Interval[]] {
  const completions = job.spec?.completions ?? 0;
  const prev = parseIntervals(job.status?.completedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = validIndex(job, p);
    if (ix !== undefined && p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p)) fresh.add(ix);
  }
  return [prev, withIndexes(prev, [...fresh].sort(ascending))];
}

/** isIndexFailed: a FailIndex rule matched, or the counted failures reached backoffLimitPerIndex. */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  const match = matchPodFailurePolicy(job, pod);
  if (match.action === 'FailIndex') return true;
  return match.countFailed && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: status.failedIndexes plus the indexes of newly failed pods. */
export function calculateFailedIndexes(job: Job, pods: readonly Pod[]): Interval[] {
  const completions = job.spec?.completions ?? 0;
  const prev = job.status?.failedIndexes !== undefined ? parseIntervals(job.status.failedIndexes, completions) : [];
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = validIndex(job, p);
    if (ix !== undefined && hasTrackingFinalizer(p) && isIndexFailed(job, p)) fresh.add(ix);
  }
  return withIndexes(prev, [...fresh].sort(ascending));
}

/** firstPendingIndexes: up to `count` indexes not succeeded, failed, active (or terminating, when only failed pods are replaced). */
export function firstPendingIndexes(ctx: SyncJobCtx, count: number, completions: number): number[] {
  if (count === 0) return [];
  let nonPending = withIndexes(ctx.succeededIndexes, [...indexesOf(ctx.activePods)].sort(ascending));
  if (onlyReplaceFailedPods(ctx.job)) {
    nonPending = withIndexes(nonPending, [...indexesOf(ctx.pods.filter(isPodTerminating))].sort(ascending));
  }
  if (ctx.failedIndexes) nonPending = mergeIntervals(nonPending, ctx.failedIndexes);
  const result: number[] = [];
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/** controller.ActivePods order: pods to delete first sort first. */
export function sortActivePods(pods: Pod[], nowMs: number): Pod[] {
  return pods.sort((a, b) => compareForDeletion({ pod: a, rank: 0 }, { pod: b, rank: 0 }, nowMs));
}

/**
 * appendDuplicatedIndexPodsForRemoval: pods without an index or beyond completions, and all but
 * the best-kept pod of each repeated index, go to `rm`; the rest stay in `left`.
 */
export function duplicatedIndexPodsForRemoval(pods: readonly Pod[], completions: number, nowMs: number): { rm: Pod[]; left: Pod[] } {
  const rm: Pod[] = [];
  const left: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions) {
      rm.push(p);
      continue;
    }
    const group = byIndex.get(ix);
    if (group) group.push(p);
    else byIndex.set(ix, [p]);
  }
  for (const ix of [...byIndex.keys()].sort(ascending)) {
    const group = byIndex.get(ix) as Pod[];
    if (group.length > 1) sortActivePods(group, nowMs);
    rm.push(...group.slice(0, -1));
    left.push(group[group.length - 1] as Pod);
  }
  return { rm, left };
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index without an active, succeeded or failed pod, the
 * latest failed pod, kept (finalizer held) until its replacement carries the failure count on.
 */
export function podsWithDelayedDeletionPerIndex(ctx: SyncJobCtx): Map<number, Pod> {
  const active = indexesOf(ctx.activePods);
  const out = new Map<number, Pod>();
  for (const p of ctx.pods) {
    const uid = podUid(p);
    if (!hasTrackingFinalizer(p) || ctx.expectedRmFinalizers.has(uid) || !isPodFailed(p, ctx.job)) continue;
    const ix = validIndex(ctx.job, p);
    if (ix === undefined) continue;
    if (hasIndex(ctx.succeededIndexes, ix) || hasIndex(ctx.failedIndexes, ix) || active.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && finishedTime(p) >= finishedTime(last))) out.set(ix, p);
  }
  return out;
}

/** getNewIndexFailureCounts: the replaced pod's counts, moved on by its own failure. */
export function newIndexFailureCounts(job: Job, replaced: Pod | undefined): [number, number] {
  if (!replaced) return [0, 0];
  let failures = indexFailureCount(replaced);
  let ignored = indexIgnoredFailureCount(replaced);
  if (matchPodFailurePolicy(job, replaced).countFailed) failures++;
  else ignored++;
  return [failures, ignored];
}

interface EnvContainer {
  env?: { name: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

/** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the pod's index label (downward API). */
export function addCompletionIndexEnv(podSpec: Record<string, unknown>): void {
  for (const field of ['initContainers', 'containers']) {
    for (const c of (podSpec[field] as EnvContainer[] | undefined) ?? []) {
      const env = (c.env ??= []);
      if (env.some((e) => e.name === COMPLETION_INDEX_ENV_NAME)) continue;
      env.push({
        name: COMPLETION_INDEX_ENV_NAME,
        valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX_ANNOTATION}']` } },
      });
    }
  }
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job name cut to fit the 58-character limit. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  const max = 58;
  return prefix.length > max ? jobName.slice(0, max - suffix.length) + suffix : prefix;
}
