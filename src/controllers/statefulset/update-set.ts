/**
 * updateStatefulSet (stateful_set_control.go): one pass over a set's pods. Pods in the ordinal
 * range are replicas (missing ones are created from the current or the update revision, by
 * partition); pods outside it are condemned and deleted from the highest ordinal down. Under
 * OrderedReady (monotonic) each step waits for every lower ordinal to be Running, Ready and
 * Available; Parallel acts on all at once. Then RollingUpdate deletes, from the highest ordinal
 * down to the partition, up to maxUnavailable pods not at the update revision; OnDelete waits
 * for the user to delete them.
 */
import type { ControllerRevision } from '../history/controller-history.js';
import type { Pod } from '../controller-utils/types.js';
import { slowStartBatch } from '../replicaset/manage-replicas.js';
import { applyRevision } from './revisions.js';
import type { StatefulPodControl } from './stateful-pod-control.js';
import {
  allowsBurst,
  endOrdinal,
  getOrdinal,
  identityMatches,
  isCreated,
  isFailed,
  isHealthy,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  maxUnavailable,
  newStatefulSetPod,
  podInOrdinalRange,
  podRevision,
  setPodRevision,
  setReplicas,
  startOrdinal,
  storageMatches,
} from './stateful-set-utils.js';
import type { OwnerReference } from '../../machinery/object.js';
import { isStatusError } from '../../machinery/errors.js';
import { computeStatus } from './status.js';
import type { StatefulSet, StatefulSetStatus } from './types.js';

export interface UpdateContext {
  control: StatefulPodControl;
  now: () => number;
}

/** newVersionedStatefulSetPod: ordinals below the partition come from the current revision. */
function newVersionedPod(
  current: StatefulSet,
  update: StatefulSet,
  currentRevision: string,
  updateRevision: string,
  ordinal: number,
  ref: OwnerReference,
): Pod {
  const strategy = current.spec?.updateStrategy;
  const rolling = strategy?.type === 'RollingUpdate';
  const partition = strategy?.rollingUpdate?.partition;
  const keepCurrent =
    (rolling && partition === undefined && ordinal < startOrdinal(current) + (current.status?.currentReplicas ?? 0)) ||
    (partition !== undefined && ordinal < startOrdinal(current) + partition);
  const pod = newStatefulSetPod(keepCurrent ? current : update, ordinal, ref);
  setPodRevision(pod, keepCurrent ? currentRevision : updateRevision);
  return pod;
}

/** runForAll: in order, stopping at the first that says stop (monotonic), or in slow-start batches. */
async function runForAll(count: number, fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (await fn(i)) return true;
    return false;
  }
  let next = 0;
  const { error } = await slowStartBatch(count, 1, async () => {
    await fn(next++);
  });
  if (error !== undefined) throw error;
  return false;
}

/**
 * Applies the set's revisions to its pods; returns the status the pods now imply, and the error
 * that stopped the pass (the status is written either way, as upstream does).
 */
export async function updateStatefulSet(
  ctx: UpdateContext,
  set: StatefulSet,
  ref: OwnerReference,
  currentRevision: ControllerRevision,
  updateRevision: ControllerRevision,
  collisionCount: number,
  pods: readonly Pod[],
): Promise<{ status: StatefulSetStatus; error?: unknown }> {
  const { control } = ctx;
  const currentSet = applyRevision(set, currentRevision);
  const updateSet = applyRevision(set, updateRevision);
  const currentName = currentRevision.metadata.name ?? '';
  const updateName = updateRevision.metadata.name ?? '';
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  const replicas: Pod[] = new Array<Pod>(setReplicas(set));
  const condemned: Pod[] = [];
  for (const pod of pods) {
    if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
  }
  for (let ord = start; ord <= endOrdinal(set); ord++) {
    replicas[ord - start] ??= newVersionedPod(currentSet, updateSet, currentName, updateName, ord, ref);
  }
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));
  const status = (): StatefulSetStatus => ({
    observedGeneration: set.metadata.generation ?? 0,
    currentRevision: currentName,
    updateRevision: updateName,
    collisionCount,
    ...computeStatus([...replicas, ...condemned], minReadySeconds, currentName, updateName, ctx.now()),
  });
  const firstUnhealthy = [...replicas, ...[...condemned].reverse()].find((p) => !isHealthy(p));
  if (set.metadata.deletionTimestamp) return { status: status() };
  const monotonic = !allowsBurst(set);

  /** The pass itself; returns the status, or throws at the first failed write. */
  const converge = async (): Promise<StatefulSetStatus> => {
    const processReplica = async (i: number): Promise<boolean> => {
      const pod = replicas[i] as Pod;
      // a pod that ran to an end (Failed, or Succeeded as an evicted pod may) is deleted; its
      // successor is created by a later sync, once the old one is gone
      if (isFailed(pod) || isSucceeded(pod)) {
        if (!isTerminating(pod)) await control.deleteStatefulPod(set, pod);
        return true;
      }
      if (!isCreated(pod)) {
        if (control.podClaimIsStale(set, pod)) return true;
        await control.createStatefulPod(set, pod);
        if (monotonic) return true;
      }
      if (isPending(pod)) await control.createMissingPersistentVolumeClaims(set, pod);
      if (monotonic && isTerminating(pod)) return true;
      if (monotonic && !isRunningAndReady(pod)) return true;
      if (monotonic && !isRunningAndAvailable(pod, minReadySeconds, ctx.now())) return true;
      if (!isCreated(pod)) return false;
      const retentionMatch = control.claimsMatchRetentionPolicy(updateSet, pod);
      if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
      await control.updateStatefulPod(updateSet, pod);
      return false;
    };
    if (await runForAll(replicas.length, processReplica, monotonic)) return status();

    const fixPodClaim = async (i: number): Promise<boolean> => {
      const pod = condemned[i] as Pod;
      if (!control.claimsMatchRetentionPolicy(updateSet, pod)) await control.updatePodClaimForRetentionPolicy(updateSet, pod);
      return false;
    };
    if (await runForAll(condemned.length, fixPodClaim, monotonic)) return status();

    const processCondemned = async (i: number): Promise<boolean> => {
      const pod = condemned[i] as Pod;
      if (isTerminating(pod)) return monotonic;
      const healthy = isRunningAndReady(pod) && isRunningAndAvailable(pod, minReadySeconds, ctx.now());
      if (monotonic && pod !== firstUnhealthy && !healthy) return true;
      await control.deleteStatefulPod(set, pod);
      return true;
    };
    if (await runForAll(condemned.length, processCondemned, monotonic)) return status();

    if (set.spec?.updateStrategy?.type === 'OnDelete') return status();
    // RollingUpdate: at most maxUnavailable replicas down at a time, highest ordinal first
    const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const unavailable = replicas.filter((p) => !isHealthy(p)).length;
    const result = status();
    let budget = maxUnavailable(set) - unavailable;
    for (let target = replicas.length - 1; target >= partition && budget > 0; target--) {
      const pod = replicas[target] as Pod;
      if (podRevision(pod) !== updateName && !isTerminating(pod)) {
        await control.deleteStatefulPod(set, pod).catch((err: unknown) => {
          if (!isStatusError(err, 'NotFound')) throw err;
        });
        budget--;
        result.currentReplicas = (result.currentReplicas ?? 0) - 1;
      }
    }
    return result;
  };
  try {
    return { status: await converge() };
  } catch (error) {
    return { status: status(), error };
  }
}
