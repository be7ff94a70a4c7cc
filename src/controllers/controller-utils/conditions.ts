/** Status condition helpers shared by Deployment and ReplicaSet (deploymentutil, replicaset conditions). */
import type { Condition, ConditionStatus } from './types.js';
import { rfc3339 } from '../../machinery/time.js';

export function newCondition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  nowMs: number,
  withUpdateTime = true,
): Condition {
  const t = rfc3339(nowMs);
  return withUpdateTime
    ? { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message }
    : { type, status, lastTransitionTime: t, reason, message };
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: a condition with the same status and reason is left alone; with the
 * same status, the transition time is kept; otherwise it replaces (and moves to the end).
 */
export function setCondition(holder: { conditions?: Condition[] }, condition: Condition): void {
  const current = getCondition(holder.conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  holder.conditions = [...(holder.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(holder: { conditions?: Condition[] }, type: string): void {
  if (!holder.conditions) return;
  const kept = holder.conditions.filter((c) => c.type !== type);
  if (kept.length === 0) delete holder.conditions;
  else holder.conditions = kept;
}
