/**
 * The StatefulSet's status (computeReplicaStatus, completeRollingUpdate, inconsistentStatus,
 * updateStatefulSetStatus): counts of created, ready, available, current and updated pods, the
 * two revisions, and a rolling update completed once every pod is updated and ready.
 */
import type { ResourceClient } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import { cloneJson } from '../../machinery/clone.js';
import type { Pod } from '../controller-utils/types.js';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating, podRevision } from './stateful-set-utils.js';
import type { StatefulSet, StatefulSetStatus } from './types.js';

type Counts = Required<Pick<StatefulSetStatus, 'replicas' | 'readyReplicas' | 'availableReplicas' | 'currentReplicas' | 'updatedReplicas'>>;

/** computeReplicaStatus over the replicas and the condemned pods (placeholders not yet created count nowhere). */
export function computeStatus(
  pods: readonly Pod[],
  minReadySeconds: number,
  currentRevision: string,
  updateRevision: string,
  nowMs: number,
): Counts {
  const c: Counts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) c.replicas++;
    if (isRunningAndReady(pod)) {
      c.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, nowMs)) c.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const revision = podRevision(pod);
      if (revision === currentRevision) c.currentReplicas++;
      if (revision === updateRevision) c.updatedReplicas++;
    }
  }
  return c;
}

/** completeRollingUpdate: every pod updated and ready makes the update revision current. */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): void {
  const type = set.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (type === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

const COMPARED = [
  'replicas',
  'currentReplicas',
  'readyReplicas',
  'updatedReplicas',
  'availableReplicas',
  'currentRevision',
  'updateRevision',
  'collisionCount',
] as const;

/** inconsistentStatus: the computed status differs from the stored one. */
export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const cur = set.status ?? {};
  if ((status.observedGeneration ?? 0) > (cur.observedGeneration ?? 0)) return true;
  return COMPARED.some((k) => (status[k] ?? 0) !== (cur[k] ?? 0));
}

/** updateStatefulSetStatus: completes a finished rolling update and writes the status when it changed (retrying conflicts). */
export async function writeStatus(client: ResourceClient, set: StatefulSet, status: StatefulSetStatus): Promise<void> {
  completeRollingUpdate(set, status);
  if (!inconsistentStatus(set, status)) return;
  let target = cloneJson(set);
  for (let attempt = 0; ; attempt++) {
    target.status = { ...target.status, ...status };
    try {
      await client.updateStatus(target.metadata.namespace ?? '', target);
      return;
    } catch (err) {
      if (attempt >= 4 || !isStatusError(err, 'Conflict')) throw err;
      target = (await client.get(target.metadata.namespace ?? '', target.metadata.name ?? '')) as StatefulSet;
    }
  }
}
