/**
 * The PodDisruptionBudget as the disruption controller and the eviction subresource both read
 * and write it, and the helpers they share (k8s.io/component-helpers/apps/poddisruptionbudget):
 * the DisruptionAllowed condition and metav1's SetStatusCondition.
 */
import type { KubeObject } from '../../machinery/object.js';
import type { IntOrString } from '../../machinery/intstr.js';
import type { LabelSelector } from '../../machinery/labels.js';
import { rfc3339 } from '../../machinery/time.js';

export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const SYNC_FAILED_REASON = 'SyncFailed';
export const SUFFICIENT_PODS_REASON = 'SufficientPods';
export const INSUFFICIENT_PODS_REASON = 'InsufficientPods';
/** StatusCause type of the eviction subresource's 429 (policyv1.DisruptionBudgetCause). */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';

/** metav1.Condition: every field but observedGeneration is always written. */
export interface MetaCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface PodDisruptionBudgetStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: MetaCondition[];
}

export interface PodDisruptionBudget extends KubeObject {
  spec?: {
    minAvailable?: IntOrString;
    maxUnavailable?: IntOrString;
    selector?: LabelSelector | null;
    unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
  };
  status?: PodDisruptionBudgetStatus;
}

/** apimeta.SetStatusCondition: adds or updates by type; the transition time moves only with the status. */
export function setStatusCondition(
  holder: { conditions?: MetaCondition[] },
  condition: Omit<MetaCondition, 'lastTransitionTime'>,
  nowMs: number,
): boolean {
  const conditions = (holder.conditions ??= []);
  const existing = conditions.find((c) => c.type === condition.type);
  if (!existing) {
    conditions.push(withObservedGeneration({ ...condition, lastTransitionTime: rfc3339(nowMs) }));
    return true;
  }
  let changed = false;
  if (existing.status !== condition.status) {
    existing.status = condition.status;
    existing.lastTransitionTime = rfc3339(nowMs);
    changed = true;
  }
  if (existing.reason !== condition.reason || existing.message !== condition.message) changed = true;
  existing.reason = condition.reason;
  existing.message = condition.message;
  if ((existing.observedGeneration ?? 0) !== (condition.observedGeneration ?? 0)) changed = true;
  if (condition.observedGeneration) existing.observedGeneration = condition.observedGeneration;
  else delete existing.observedGeneration;
  return changed;
}

function withObservedGeneration(c: MetaCondition): MetaCondition {
  if (!c.observedGeneration) delete c.observedGeneration;
  return c;
}

/** UpdateDisruptionAllowedCondition: True/SufficientPods while disruptions are allowed, else False/InsufficientPods. */
export function updateDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, nowMs: number): void {
  const allowed = status.disruptionsAllowed > 0;
  setStatusCondition(
    status,
    {
      type: DISRUPTION_ALLOWED_CONDITION,
      status: allowed ? 'True' : 'False',
      ...(status.observedGeneration ? { observedGeneration: status.observedGeneration } : {}),
      reason: allowed ? SUFFICIENT_PODS_REASON : INSUFFICIENT_PODS_REASON,
      message: '',
    },
    nowMs,
  );
}

/** ConditionsAreUpToDate: the DisruptionAllowed condition agrees with disruptionsAllowed at this generation. */
export function conditionsAreUpToDate(pdb: PodDisruptionBudget): boolean {
  const status = pdb.status;
  const cond = status?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  if (!status || !cond) return false;
  if ((status.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  if (status.disruptionsAllowed > 0) return cond.status === 'True' && cond.reason === SUFFICIENT_PODS_REASON;
  return cond.status === 'False' && cond.reason === INSUFFICIENT_PODS_REASON;
}
