/** recreate.go: scale every old set to zero, wait for their pods to go, then scale up the new set. */
import type { Pod } from '../controller-utils/types.js';
import { type Deployment, type ReplicaSet, specReplicas } from '../controller-utils/types.js';
import type { DeploymentContext } from './context.js';
import { deploymentComplete } from './progress.js';
import { getAllReplicaSetsAndSyncRevision } from './replica-sets.js';
import { cleanupDeployment, scaleAndRecord, syncRolloutStatus } from './sync.js';
import { filterActive, sumActual } from './util.js';

/** oldPodsRunning: old sets still report replicas, or pods not owned by the new set are not finished. */
export function oldPodsRunning(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
  podMap: ReadonlyMap<string, readonly Pod[]>,
): boolean {
  if (sumActual(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}

export async function rolloutRecreate(
  ctx: DeploymentContext,
  d: Deployment,
  rss: ReplicaSet[],
  podMap: ReadonlyMap<string, readonly Pod[]>,
): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rss, false);
  let all = newRS ? [...oldRSs, newRS] : oldRSs;
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) if ((await scaleAndRecord(ctx, rs, 0, d)).scaled) scaledDown = true;
  if (scaledDown || oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(ctx, all, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rss, true));
    if (!newRS) return;
    all = [...oldRSs, newRS];
  }
  await scaleAndRecord(ctx, newRS, specReplicas(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, all, newRS, d);
}
