/** calculateStatus and updateReplicaSetStatus (replica_set_utils.go). */
import type { ResourceClient } from '../../client/interface.js';
import { selectorFromSet } from '../../machinery/labels.js';
import { getCondition, newCondition, removeCondition, setCondition } from '../controller-utils/conditions.js';
import { semanticEqual } from '../controller-utils/equality.js';
import { isPodAvailable, isPodReady } from '../controller-utils/pod-util.js';
import { type Pod, type ReplicaSet, type ReplicaSetStatus, specReplicas } from '../controller-utils/types.js';
import { cloneJson } from '../../machinery/clone.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

/** The status the pods imply; a manageReplicas error sets ReplicaFailure, success clears it. */
export function calculateStatus(rs: ReplicaSet, activePods: readonly Pod[], manageError: unknown, nowMs: number): ReplicaSetStatus {
  const status: ReplicaSetStatus = cloneJson(rs.status ?? {});
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    }
  }
  const failure = getCondition(status.conditions, REPLICA_FAILURE);
  if (manageError !== undefined && !failure) {
    const diff = activePods.length - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    setCondition(status, newCondition(REPLICA_FAILURE, 'True', reason, message, nowMs, false));
  } else if (manageError === undefined && failure) {
    removeCondition(status, REPLICA_FAILURE);
  }
  status.replicas = activePods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

/** Writes the status when it changed (or observedGeneration lags); one retry after a fresh read. */
export async function updateStatus(client: ResourceClient, rs: ReplicaSet, status: ReplicaSetStatus): Promise<ReplicaSet> {
  const cur = rs.status ?? {};
  const generation = rs.metadata.generation ?? 0;
  if (
    (cur.replicas ?? 0) === status.replicas &&
    (cur.fullyLabeledReplicas ?? 0) === status.fullyLabeledReplicas &&
    (cur.readyReplicas ?? 0) === status.readyReplicas &&
    (cur.availableReplicas ?? 0) === status.availableReplicas &&
    (cur.observedGeneration ?? 0) === generation &&
    semanticEqual(cur.conditions, status.conditions)
  ) {
    return rs;
  }
  const next: ReplicaSetStatus = { ...status, observedGeneration: generation };
  let target: ReplicaSet = cloneJson(rs);
  for (let attempt = 0; ; attempt++) {
    target.status = next;
    try {
      return (await client.updateStatus(target.metadata.namespace ?? '', target)) as ReplicaSet;
    } catch (err) {
      if (attempt >= 1) throw err;
      target = (await client.get(target.metadata.namespace ?? '', target.metadata.name ?? '')) as ReplicaSet;
    }
  }
}
