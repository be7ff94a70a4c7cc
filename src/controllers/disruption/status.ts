/**
 * A PodDisruptionBudget's status from its pods (pkg/controller/disruption): which evictions
 * the apiserver approved are still awaited (disruptedPods, 2 minutes each), how many pods are
 * healthy, how many disruptions that allows, and the DisruptionAllowed condition.
 */
import {
  conditionsAreUpToDate,
  DISRUPTION_ALLOWED_CONDITION,
  type PodDisruptionBudget,
  type PodDisruptionBudgetStatus,
  setStatusCondition,
  SYNC_FAILED_REASON,
  updateDisruptionAllowedCondition,
} from '../../api/policy/disruption-budget.js';
import { semanticEqual } from '../controller-utils/equality.js';
import { isPodReady } from '../controller-utils/pod-util.js';
import type { Pod } from '../controller-utils/types.js';
import { cloneJson } from '../../machinery/clone.js';

/** DeletionTimeout: how long an approved eviction waits for its pod's deletion to be seen. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

export interface DisruptedPodMap {
  /** Pods still expected to be deleted, with the time their eviction was approved. */
  disruptedPods: Record<string, string>;
  /** When the earliest of them expires (the PDB is synced again then). */
  recheckAt?: number;
  /** Pods whose eviction expired without a deletion (a NotDeleted event each). */
  notDeleted: Pod[];
}

/** buildDisruptedPodMap: keeps the entries of pods that exist, are not being deleted, and have not expired. */
export function buildDisruptedPodMap(pods: readonly Pod[], pdb: PodDisruptionBudget, nowMs: number): DisruptedPodMap {
  const known = pdb.status?.disruptedPods ?? {};
  const result: DisruptedPodMap = { disruptedPods: {}, notDeleted: [] };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name ?? '';
    const at = known[name];
    if (at === undefined) continue;
    const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < nowMs) {
      result.notDeleted.push(pod);
      continue;
    }
    if (result.recheckAt === undefined || expectedDeletion < result.recheckAt) result.recheckAt = expectedDeletion;
    result.disruptedPods[name] = at;
  }
  return result;
}

/** countHealthyPods: ready pods that are neither being deleted nor awaiting an approved eviction. */
export function countHealthyPods(pods: readonly Pod[], disruptedPods: Record<string, string>, nowMs: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disruptedPods[pod.metadata.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > nowMs) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

export interface HealthCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedCount: number;
  disruptedPods: Record<string, string>;
}

/**
 * updatePdbStatus: the PDB with its new status, or undefined when the stored one is current.
 * No disruption is allowed while the budget expects no pods.
 */
export function newPdbStatus(pdb: PodDisruptionBudget, counts: HealthCounts, nowMs: number): PodDisruptionBudget | undefined {
  let disruptionsAllowed = counts.currentHealthy - counts.desiredHealthy;
  if (counts.expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  const st = pdb.status;
  const generation = pdb.metadata.generation ?? 0;
  if (
    st &&
    st.currentHealthy === counts.currentHealthy &&
    st.desiredHealthy === counts.desiredHealthy &&
    st.expectedPods === counts.expectedCount &&
    st.disruptionsAllowed === disruptionsAllowed &&
    semanticEqual(st.disruptedPods, counts.disruptedPods) &&
    (st.observedGeneration ?? 0) === generation &&
    conditionsAreUpToDate(pdb)
  ) {
    return undefined;
  }
  const next = cloneJson(pdb);
  const status: PodDisruptionBudgetStatus = {
    ...(generation ? { observedGeneration: generation } : {}),
    ...(Object.keys(counts.disruptedPods).length > 0 ? { disruptedPods: counts.disruptedPods } : {}),
    disruptionsAllowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedCount,
    ...(next.status?.conditions ? { conditions: next.status.conditions } : {}),
  };
  updateDisruptionAllowedCondition(status, nowMs);
  next.status = status;
  return next;
}

/** failSafe: no disruptions, and DisruptionAllowed False/SyncFailed with the error. */
export function failSafeStatus(pdb: PodDisruptionBudget, err: unknown, nowMs: number): PodDisruptionBudget {
  const next = cloneJson(pdb);
  const status = (next.status ??= { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  status.disruptionsAllowed = 0;
  setStatusCondition(
    status,
    {
      type: DISRUPTION_ALLOWED_CONDITION,
      status: 'False',
      ...(status.observedGeneration ? { observedGeneration: status.observedGeneration } : {}),
      reason: SYNC_FAILED_REASON,
      message: err instanceof Error ? err.message : String(err),
    },
    nowMs,
  );
  return next;
}
