/**
 * The numbers of a DaemonSet's RollingUpdate strategy (daemon/util): maxSurge and
 * maxUnavailable scaled against the nodes that should run a pod, rounded up; OnDelete has none.
 */
import { getScaledValueFromIntOrPercent } from '../../machinery/intstr.js';
import type { DaemonSet } from './types.js';

function rollingUpdate(ds: DaemonSet): NonNullable<DaemonSet['spec']>['updateStrategy'] {
  const s = ds.spec?.updateStrategy;
  return s?.type === 'RollingUpdate' || s?.type === undefined ? s : undefined;
}

/** SurgeCount. */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  const s = rollingUpdate(ds);
  const v = s?.rollingUpdate?.maxSurge;
  if (!s || v === undefined) return 0;
  return getScaledValueFromIntOrPercent(v, numberToSchedule, true);
}

/** UnavailableCount. */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  const s = rollingUpdate(ds);
  const v = s?.rollingUpdate?.maxUnavailable;
  if (!s || v === undefined) return 0;
  return getScaledValueFromIntOrPercent(v, numberToSchedule, true);
}

/** AllowsSurge: a rolling update that may place a second pod on a node. */
export function allowsSurge(ds: DaemonSet): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    return false;
  }
}
