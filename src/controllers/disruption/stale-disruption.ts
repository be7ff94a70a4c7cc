/**
 * The stale DisruptionTarget condition (pkg/controller/disruption's stalePodDisruption part): a
 * pod marked as a disruption target (an approved eviction, a preemption) that is still not
 * being deleted after a while has its condition set back to False.
 */
import { DISRUPTION_TARGET, getPodCondition, updatePodCondition } from '../../api/core/pod-conditions.js';
import type { Pod } from '../controller-utils/types.js';
import { cloneJson } from '../../machinery/clone.js';

/** stalePodDisruptionTimeout. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;

const TERMINATION_BY_KUBELET = 'TerminationByKubelet';

/**
 * nonTerminatingPodHasStaleDisruptionCondition: undefined when the pod has no condition to
 * clean; else how long until it is stale (0: now). The kubelet's own condition and terminal
 * pods' conditions never go stale.
 */
export function staleDisruptionCleanupAfter(pod: Pod, timeoutMs: number, nowMs: number): number | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  const cond = getPodCondition(pod, DISRUPTION_TARGET);
  const phase = pod.status?.phase;
  if (cond?.status !== 'True' || cond.reason === TERMINATION_BY_KUBELET || phase === 'Succeeded' || phase === 'Failed') {
    return undefined;
  }
  const since = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : 0;
  return Math.max(0, timeoutMs - (nowMs - since));
}

/** The pod with its DisruptionTarget condition False, or undefined when nothing changes. */
export function clearedDisruptionTarget(pod: Pod, nowMs: number): Pod | undefined {
  const next = cloneJson(pod);
  return updatePodCondition(next, { type: DISRUPTION_TARGET, status: 'False' }, nowMs) ? next : undefined;
}
