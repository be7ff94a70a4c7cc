/**
 * What one syncJob works with: the controller's collaborators (JobContext) and the state of the
 * sync in progress (SyncJobCtx, upstream's syncJobCtx), plus Job condition helpers.
 */
import type { EventRecorder, ResourceClient } from '../../client/interface.js';
import { rfc3339 } from '../../machinery/time.js';
import type { ControllerExpectations } from '../controller-utils/expectations.js';
import type { ConditionStatus, Pod } from '../controller-utils/types.js';
import type { BackoffDelays, BackoffRecord, BackoffStore } from './backoff.js';
import type { UidTrackingExpectations } from './finalizer-expectations.js';
import type { Interval } from './intervals.js';
import type { Job, JobCondition, JobConditionType } from './types.js';

export interface JobContext {
  jobs: ResourceClient;
  pods: ResourceClient;
  recorder: EventRecorder;
  expectations: ControllerExpectations;
  finalizerExpectations: UidTrackingExpectations;
  backoff: BackoffStore;
  delays: BackoffDelays;
  now: () => number;
  /** enqueueSyncJobWithDelay: sync the Job again after `delayMs` (at least the batch period). */
  enqueueAfter: (job: Job, delayMs: number) => void;
}

export interface SyncJobCtx {
  /** The working copy whose status this sync writes. */
  job: Job;
  /** Every pod the Job controls (claimed), terminal ones included. */
  pods: Pod[];
  activePods: Pod[];
  finishedCondition?: JobCondition;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  /** Set only with backoffLimitPerIndex. */
  failedIndexes?: Interval[];
  newBackoffRecord: BackoffRecord;
  /** UIDs of pods whose finalizer removal is awaited: counted already. */
  expectedRmFinalizers: ReadonlySet<string>;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  podsWithDelayedDeletionPerIndex: Map<number, Pod>;
  terminating: number;
  ready: number;
}

/** newCondition: both timestamps now; empty reason and message left out, as Go's omitempty does. */
export function newJobCondition(
  type: JobConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  nowMs: number,
): JobCondition {
  const t = rfc3339(nowMs);
  const c: JobCondition = { type, status, lastProbeTime: t, lastTransitionTime: t };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/**
 * ensureJobConditionStatus: replaces the condition of that type when status, reason or message
 * differ, appends it when absent (unless the new status is False). Returns whether it changed.
 */
export function ensureJobCondition(
  job: Job,
  type: JobConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  nowMs: number,
): boolean {
  const st = (job.status ??= {});
  const list = (st.conditions ??= []);
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i] as JobCondition;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newJobCondition(type, status, reason, message, nowMs);
    return true;
  }
  if (status === 'False') {
    if (list.length === 0) delete st.conditions;
    return false;
  }
  list.push(newJobCondition(type, status, reason, message, nowMs));
  return true;
}
