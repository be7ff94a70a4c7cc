/**
 * What the Job controller reads from its pods: completion index, tracking finalizer, whether a
 * pod counts as failed, when it finished (backoff_utils.go's getFinishedTime) and its containers'
 * terminated states.
 */
import type { Condition, Pod } from '../controller-utils/types.js';
import { isPodActive } from '../controller-utils/pod-util.js';
import {
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_INDEX_FAILURE_COUNT_ANNOTATION,
  JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  JOB_TRACKING_FINALIZER,
  type Job,
  onlyReplaceFailedPods,
} from './types.js';

export const UNKNOWN_COMPLETION_INDEX = -1;

export interface TerminatedState {
  exitCode?: number;
  finishedAt?: string;
}

export interface JobContainerStatus {
  name?: string;
  restartCount?: number;
  state?: { terminated?: TerminatedState };
}

/** getCompletionIndex: the annotation as a non-negative integer, or -1. */
export function completionIndex(pod: Pod): number {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^\+?\d+$/.test(v)) return UNKNOWN_COMPLETION_INDEX;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : UNKNOWN_COMPLETION_INDEX;
}

/** A valid index of this Job: known and below spec.completions. */
export function validIndex(job: Job, pod: Pod): number | undefined {
  const ix = completionIndex(pod);
  return ix !== UNKNOWN_COMPLETION_INDEX && ix < (job.spec?.completions ?? 0) ? ix : undefined;
}

export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

export function podUid(pod: Pod): string {
  return pod.metadata.uid ?? '';
}

/** isPodFailed: phase Failed, or (unless only failed pods are replaced) deleted before succeeding. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded';
}

/** FilterTerminatingPods: being deleted and not yet in a terminal phase. */
export function isPodTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded' && phase !== 'Failed';
}

export function containerStatuses(pod: Pod): JobContainerStatus[] {
  return (pod.status?.['containerStatuses'] as JobContainerStatus[] | undefined) ?? [];
}

export function initContainerStatuses(pod: Pod): JobContainerStatus[] {
  return (pod.status?.['initContainerStatuses'] as JobContainerStatus[] | undefined) ?? [];
}

function podCondition(pod: Pod, type: string): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

function parseTime(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * getFinishedTime: the last container's finish, else when Ready turned False, else the deletion
 * time less the grace period, else the creation time.
 */
export function finishedTime(pod: Pod): number {
  let latest: number | undefined;
  let allDone = true;
  for (const cs of containerStatuses(pod)) {
    const at = parseTime(cs.state?.terminated?.finishedAt);
    if (at === undefined) {
      allDone = false;
      break;
    }
    if (latest === undefined || at > latest) latest = at;
  }
  if (allDone && latest !== undefined) return latest;
  const ready = podCondition(pod, 'Ready');
  const readyFalse = ready?.status === 'False' ? parseTime(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = parseTime(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return parseTime(pod.metadata.creationTimestamp) ?? 0;
}

function nonNegativeInt32(v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n <= 2147483647 ? n : 0;
}

export function indexFailureCount(pod: Pod): number {
  return nonNegativeInt32(pod.metadata.annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION]);
}

export function indexIgnoredFailureCount(pod: Pod): number {
  return nonNegativeInt32(pod.metadata.annotations?.[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]);
}

/** getIndexAbsoluteFailureCount: counted plus ignored failures of the pod's index before it. */
export function indexAbsoluteFailureCount(pod: Pod): number {
  return indexFailureCount(pod) + indexIgnoredFailureCount(pod);
}

/** The indexes the pods hold. */
export function indexesOf(pods: readonly Pod[]): Set<number> {
  const out = new Set<number>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix !== UNKNOWN_COMPLETION_INDEX) out.add(ix);
  }
  return out;
}

/** Pods that are not terminal and not being deleted (controller.FilterActivePods). */
export function activePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}
