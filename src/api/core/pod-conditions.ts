/** Pod condition helpers (pkg/api/v1/pod): readiness and UpdatePodCondition. */
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';

export const DISRUPTION_TARGET = 'DisruptionTarget';

export interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

function conditionsOf(pod: KubeObject): PodCondition[] {
  const status = pod['status'] as { conditions?: PodCondition[] } | undefined;
  return status?.conditions ?? [];
}

export function getPodCondition(pod: KubeObject, type: string): PodCondition | undefined {
  return conditionsOf(pod).find((c) => c.type === type);
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return getPodCondition(pod, 'Ready')?.status === 'True';
}

/**
 * UpdatePodCondition: sets the condition of its type (transition time now, kept when the status
 * stays); true when anything changed.
 */
export function updatePodCondition(pod: KubeObject, condition: PodCondition, nowMs: number): boolean {
  const status = (pod['status'] ??= {}) as { conditions?: PodCondition[] };
  const conditions = (status.conditions ??= []);
  const next: PodCondition = { ...condition, lastTransitionTime: rfc3339(nowMs) };
  const i = conditions.findIndex((c) => c.type === condition.type);
  const old = conditions[i];
  if (!old) {
    conditions.push(next);
    return true;
  }
  if (old.status === next.status) next.lastTransitionTime = old.lastTransitionTime ?? next.lastTransitionTime;
  const equal =
    old.status === next.status &&
    (old.reason ?? '') === (next.reason ?? '') &&
    (old.message ?? '') === (next.message ?? '') &&
    (old.lastProbeTime ?? null) === (next.lastProbeTime ?? null) &&
    old.lastTransitionTime === next.lastTransitionTime;
  conditions[i] = next;
  return !equal;
}
