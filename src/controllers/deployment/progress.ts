/**
 * Deployment status and conditions (sync.go calculateStatus, progress.go): Available with
 * MinimumReplicasAvailable/Unavailable, Progressing with NewReplicaSetCreated,
 * FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded.
 */
import { getCondition, newCondition, removeCondition, setCondition } from '../controller-utils/conditions.js';
import { semanticEqual } from '../controller-utils/equality.js';
import { type Condition, type Deployment, type DeploymentStatus, type ReplicaSet, specReplicas } from '../controller-utils/types.js';
import { hasProgressDeadline, maxUnavailable, sumActual, sumAvailable, sumReady, sumSpec } from './util.js';
import { cloneJson } from '../../machinery/clone.js';

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';

export const REASON = {
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  failedRSCreate: 'ReplicaSetCreateError',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

/** calculateStatus: counts from the sets, plus the Available condition. */
export function calculateStatus(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = sumAvailable(all);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sumActual(all),
    updatedReplicas: newRS ? sumActual([newRS]) : 0,
    readyReplicas: sumReady(all),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(all) - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions) status.conditions = cloneJson(d.status.conditions);
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(
      status,
      newCondition(AVAILABLE, 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs),
    );
  }
  return status;
}

/** DeploymentComplete. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = specReplicas(d);
  return (
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: any sign of progress since the stored status. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: the Progressing condition was last updated longer ago than the deadline. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s.conditions, PROGRESSING);
  if (!c || c.reason === REASON.newRSAvailable) return false;
  if (c.reason === REASON.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/** getReplicaFailures: the first ReplicaFailure of the new set, else of any old one. */
function replicaFailure(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Condition | undefined {
  const ordered = newRS ? [newRS, ...all.filter((rs) => rs !== newRS)] : all;
  for (const rs of ordered) {
    const c = getCondition(rs.status?.conditions, REPLICA_FAILURE);
    if (c && c.status === 'True') return { ...c, lastUpdateTime: c.lastTransitionTime };
  }
  return undefined;
}

/**
 * The status syncRolloutStatus writes: calculateStatus plus Progressing (when a deadline is
 * set) and ReplicaFailure copied from the sets.
 */
export function rolloutStatus(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const s = calculateStatus(all, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(s, PROGRESSING);
  const current = getCondition(d.status?.conditions, PROGRESSING);
  const complete = s.replicas === s.updatedReplicas && current?.reason === REASON.newRSAvailable;
  const name = d.metadata.name ?? '';
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`
        : `Deployment "${name}" has successfully progressed.`;
      setCondition(s, newCondition(PROGRESSING, 'True', REASON.newRSAvailable, msg, nowMs));
    } else if (deploymentProgressing(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${name}" is progressing.`;
      const c = newCondition(PROGRESSING, 'True', REASON.replicaSetUpdated, msg, nowMs);
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(s, PROGRESSING);
      }
      setCondition(s, c);
    } else if (deploymentTimedOut(d, s, nowMs)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`
        : `Deployment "${name}" has timed out progressing.`;
      setCondition(s, newCondition(PROGRESSING, 'False', REASON.timedOut, msg, nowMs));
    }
  }
  const failure = replicaFailure(all, newRS);
  if (failure) setCondition(s, failure);
  else removeCondition(s, REPLICA_FAILURE);
  return s;
}

/**
 * requeueStuckDeployment: when a rollout shows no progress, how long until its deadline passes
 * (ms; 0 = now, undefined = no need to check).
 */
export function stuckRequeueAfter(d: Deployment, s: DeploymentStatus, nowMs: number): number | undefined {
  const c = getCondition(d.status?.conditions, PROGRESSING);
  if (!hasProgressDeadline(d) || !c) return undefined;
  if (deploymentComplete(d, s) || c.reason === REASON.timedOut) return undefined;
  const after = Date.parse(c.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  return after < 1000 ? 0 : after + 1000;
}

const COUNTS = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

/** Status equality where an omitted count equals 0 (the API omits zero counts). */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  const x = a ?? {};
  return (
    COUNTS.every((k) => (x[k] ?? 0) === (b[k] ?? 0)) && x.collisionCount === b.collisionCount && semanticEqual(x.conditions, b.conditions)
  );
}
