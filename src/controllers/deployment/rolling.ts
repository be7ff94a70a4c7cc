/** rolling.go: surge the new set up to maxSurge, scale old sets down within maxUnavailable. */
import { type Deployment, type ReplicaSet, specReplicas } from '../controller-utils/types.js';
import type { DeploymentContext } from './context.js';
import { deploymentComplete } from './progress.js';
import { getAllReplicaSetsAndSyncRevision } from './replica-sets.js';
import { cleanupDeployment, scaleAndRecord, syncRolloutStatus } from './sync.js';
import { byCreation, filterActive, maxUnavailable, newRSNewReplicas, rsReplicas, sumAvailable, sumSpec } from './util.js';

export async function rolloutRolling(ctx: DeploymentContext, d: Deployment, rss: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rss, true);
  if (!newRS) return;
  const all = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(ctx, all, newRS, d)) return syncRolloutStatus(ctx, all, newRS, d);
  if (await reconcileOldReplicaSets(ctx, all, filterActive(oldRSs), newRS, d)) return syncRolloutStatus(ctx, all, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, all, newRS, d);
}

async function reconcileNewReplicaSet(ctx: DeploymentContext, all: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const desired = specReplicas(d);
  if (rsReplicas(newRS) === desired) return false;
  if (rsReplicas(newRS) > desired) return (await scaleAndRecord(ctx, newRS, desired, d)).scaled;
  return (await scaleAndRecord(ctx, newRS, newRSNewReplicas(d, all, newRS), d)).scaled;
}

/**
 * reconcileOldReplicaSets: at most allPods - minAvailable - unavailable-new-pods may go; first
 * the old sets' unhealthy replicas, then available ones while availability stays above minimum.
 */
async function reconcileOldReplicaSets(
  ctx: DeploymentContext,
  all: ReplicaSet[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet,
  d: Deployment,
): Promise<boolean> {
  if (sumSpec(oldRSs) === 0) return false;
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const { sets, count: cleaned } = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSets(ctx, [...sets, newRS], sets, d);
  return cleaned + scaledDown > 0;
}

async function cleanupUnhealthyReplicas(
  ctx: DeploymentContext,
  oldRSs: ReplicaSet[],
  d: Deployment,
  maxCleanup: number,
): Promise<{ sets: ReplicaSet[]; count: number }> {
  const sets = [...oldRSs].sort(byCreation);
  let total = 0;
  for (const [i, rs] of sets.entries()) {
    if (total >= maxCleanup) break;
    const replicas = rsReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanup - total, replicas - available);
    sets[i] = (await scaleAndRecord(ctx, rs, replicas - count, d)).rs;
    total += count;
  }
  return { sets, count: total };
}

async function scaleDownOldReplicaSets(ctx: DeploymentContext, all: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = sumAvailable(all);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (rsReplicas(rs) === 0) continue;
    const count = Math.min(rsReplicas(rs), target - total);
    await scaleAndRecord(ctx, rs, rsReplicas(rs) - count, d);
    total += count;
  }
  return total;
}
