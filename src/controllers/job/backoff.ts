/**
 * The pod-failure backoff (backoff_utils.go): after failures the controller waits 10 s, doubling
 * per consecutive failure up to the cap, measured from the last failure, before it creates
 * replacement pods. Per Job the record counts failures since the last success; per index (with
 * backoffLimitPerIndex) the last failed pod's index-failure-count annotation does.
 */
import type { Pod } from '../controller-utils/types.js';
import { finishedTime, indexAbsoluteFailureCount } from './job-pods.js';

/** DefaultJobPodFailureBackOff. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
/** MaxJobPodFailureBackOff. */
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

export interface BackoffDelays {
  initialMs: number;
  maxMs: number;
}

export class BackoffStore {
  readonly #records = new Map<string, BackoffRecord>();

  /** newBackoffRecord: the stored record moved on by the pods that finished since the last sync. */
  next(key: string, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
    const old = this.#records.get(key);
    const record: BackoffRecord = { key, failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0 };
    if (old?.lastFailureTime !== undefined) record.lastFailureTime = old.lastFailureTime;
    const failedTimes = newFailed.map(finishedTime).sort((a, b) => a - b);
    if (newSucceeded.length === 0) {
      if (failedTimes.length === 0) return record;
      record.failuresAfterLastSuccess += failedTimes.length;
      record.lastFailureTime = failedTimes[failedTimes.length - 1];
      return record;
    }
    record.failuresAfterLastSuccess = 0;
    delete record.lastFailureTime;
    const lastSuccess = Math.max(...newSucceeded.map(finishedTime));
    for (let i = failedTimes.length - 1; i >= 0; i--) {
      const t = failedTimes[i] as number;
      if (t <= lastSuccess) break;
      record.lastFailureTime ??= t;
      record.failuresAfterLastSuccess++;
    }
    return record;
  }

  update(record: BackoffRecord): void {
    this.#records.set(record.key, record);
  }

  remove(key: string): void {
    this.#records.delete(key);
  }
}

/** getRemainingTimeForFailuresCount: what is left of the delay the failures earned. */
export function remainingBackoff(delays: BackoffDelays, nowMs: number, failures: number, lastFailureTime: number | undefined): number {
  if (failures === 0 || lastFailureTime === undefined) return 0;
  let backoff = delays.initialMs;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= delays.maxMs) {
      backoff = delays.maxMs;
      break;
    }
  }
  const elapsed = nowMs - lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** getRemainingTimePerIndex: the delay before an index's replacement, from its last failed pod. */
export function remainingBackoffPerIndex(delays: BackoffDelays, nowMs: number, lastFailedPod: Pod | undefined): number {
  if (!lastFailedPod) return 0;
  return remainingBackoff(delays, nowMs, indexAbsoluteFailureCount(lastFailedPod) + 1, finishedTime(lastFailedPod));
}
