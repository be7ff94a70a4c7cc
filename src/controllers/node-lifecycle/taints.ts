/**
 * Node taints and pod tolerations as the node lifecycle controller uses them (TaintNodesByCondition
 * and the NoExecute taints of unhealthy nodes), and upstream's toleration matching.
 */

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** upstream Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** The NoSchedule taints a node's conditions call for (upstream nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: ReadonlyArray<{ type: string; status: string; key: string }> = [
  { type: 'Ready', status: 'False', key: TAINT_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: TAINT_MEMORY_PRESSURE },
  { type: 'DiskPressure', status: 'True', key: TAINT_DISK_PRESSURE },
  { type: 'NetworkUnavailable', status: 'True', key: TAINT_NETWORK_UNAVAILABLE },
  { type: 'PIDPressure', status: 'True', key: TAINT_PID_PRESSURE },
];

const MANAGED_NO_SCHEDULE = new Set([...CONDITION_TAINTS.map((c) => c.key), TAINT_UNSCHEDULABLE]);
const MANAGED_NO_EXECUTE = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE]);

/** The taints this controller wants on a node, from its conditions and spec.unschedulable. */
export function desiredControllerTaints(conditions: readonly NodeCondition[], unschedulable: boolean): Taint[] {
  const out: Taint[] = [];
  for (const c of CONDITION_TAINTS) {
    if (conditions.some((x) => x.type === c.type && x.status === c.status)) out.push({ key: c.key, effect: 'NoSchedule' });
  }
  if (unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') out.push({ key: TAINT_NOT_READY, effect: 'NoExecute' });
  if (ready?.status === 'Unknown') out.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute' });
  return out;
}

const isManaged = (t: Taint): boolean =>
  (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key)) || (t.effect === 'NoExecute' && MANAGED_NO_EXECUTE.has(t.key));

/**
 * The node's taints with the controller's replaced by `desired`: others are kept in order, taints
 * already present keep their timeAdded, new NoExecute taints get `now`. Undefined when unchanged.
 */
export function reconcileTaints(current: readonly Taint[], desired: readonly Taint[], now: string): Taint[] | undefined {
  const same = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
  const kept = current.filter((t) => !isManaged(t) || desired.some((d) => same(d, t)));
  const added = desired
    .filter((d) => !current.some((t) => same(d, t)))
    .map((d) => (d.effect === 'NoExecute' ? { ...d, timeAdded: now } : { ...d }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
