/**
 * sync.go: scaling (proportional for rolling deployments), revision-history clean-up, status
 * writes, pause conditions and the scaling-event check.
 */
import { isStatusError } from '../../machinery/errors.js';
import { getCondition, newCondition, setCondition } from '../controller-utils/conditions.js';
import { type Deployment, type ReplicaSet, specReplicas } from '../controller-utils/types.js';
import { type DeploymentContext, writeStatus } from './context.js';
import { calculateStatus, PROGRESSING, REASON, rolloutStatus, statusEqual, stuckRequeueAfter } from './progress.js';
import { getAllReplicaSetsAndSyncRevision } from './replica-sets.js';
import {
  byRevision,
  bySizeNewer,
  bySizeOlder,
  desiredReplicasAnnotation,
  filterActive,
  findActiveOrLatest,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxSurge,
  replicasAnnotationsNeedUpdate,
  rsReplicas,
  setReplicasAnnotations,
  sumSpec,
} from './util.js';
import { cloneJson } from '../../machinery/clone.js';

/** scaleReplicaSet: writes replicas and the desired/max annotations; event when the size changed. */
export async function scaleReplicaSet(
  ctx: DeploymentContext,
  rs: ReplicaSet,
  newScale: number,
  d: Deployment,
  operation: string,
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const oldScale = rsReplicas(rs);
  const desired = specReplicas(d);
  const max = desired + maxSurge(d);
  const sizeNeedsUpdate = oldScale !== newScale;
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const copy = cloneJson(rs);
  copy.spec = { ...copy.spec, replicas: newScale };
  setReplicasAnnotations(copy, desired, max);
  const updated = (await ctx.replicaSets.update(copy.metadata.namespace ?? '', copy)) as ReplicaSet;
  if (sizeNeedsUpdate) {
    ctx.recorder.event(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${operation} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`,
    );
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

export async function scaleAndRecord(
  ctx: DeploymentContext,
  rs: ReplicaSet,
  newScale: number,
  d: Deployment,
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (rsReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, newScale, d, rsReplicas(rs) < newScale ? 'up' : 'down');
}

/** scale: a resize of the deployment, spread over the active sets in proportion to their size. */
export async function scale(ctx: DeploymentContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const desired = specReplicas(d);
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (rsReplicas(only) !== desired) await scaleAndRecord(ctx, only, desired, d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) await scaleAndRecord(ctx, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = filterActive([...oldRSs, newRS]);
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - sumSpec(all);
  let operation = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<ReplicaSet, number>();
  for (const rs of all) {
    if (toAdd === 0) {
      sizes.set(rs, rsReplicas(rs));
      continue;
    }
    const proportion = getProportion(rs, d, toAdd, added);
    sizes.set(rs, rsReplicas(rs) + proportion);
    added += proportion;
  }
  for (const [i, rs] of all.entries()) {
    let size = sizes.get(rs) ?? 0;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    await scaleReplicaSet(ctx, rs, size, d, operation);
  }
}

/** cleanupDeployment: deletes the oldest zero-sized sets beyond revisionHistoryLimit. */
export async function cleanupDeployment(ctx: DeploymentContext, oldRSs: readonly ReplicaSet[], d: Deployment): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
  for (const rs of cleanable.slice(0, Math.max(0, diff))) {
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await ctx.replicaSets.delete(rs.metadata.namespace ?? '', rs.metadata.name ?? '');
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}

/** syncDeploymentStatus: counts and Available only (scaling and paused syncs). */
export async function syncDeploymentStatus(
  ctx: DeploymentContext,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<void> {
  const status = calculateStatus(all, newRS, d, ctx.now());
  if (statusEqual(d.status, status)) return;
  d.status = status;
  await writeStatus(ctx, d);
}

/** syncRolloutStatus: status with Progressing; requeues a stuck rollout at its deadline. */
export async function syncRolloutStatus(
  ctx: DeploymentContext,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): Promise<void> {
  const status = rolloutStatus(all, newRS, d, ctx.now());
  if (statusEqual(d.status, status)) {
    const after = stuckRequeueAfter(d, status, ctx.now());
    if (after === 0) ctx.enqueueRateLimited(d);
    else if (after !== undefined) ctx.enqueueAfter(d, after);
    return;
  }
  d.status = status;
  await writeStatus(ctx, d);
}

/** checkPausedConditions: Progressing Unknown with DeploymentPaused / DeploymentResumed. */
export async function checkPausedConditions(ctx: DeploymentContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status?.conditions, PROGRESSING);
  if (cond?.reason === REASON.timedOut) return;
  const pausedCondExists = cond?.reason === REASON.paused;
  const paused = d.spec?.paused === true;
  if (paused && !pausedCondExists) {
    setCondition((d.status ??= {}), newCondition(PROGRESSING, 'Unknown', REASON.paused, 'Deployment is paused', ctx.now()));
  } else if (!paused && pausedCondExists) {
    setCondition((d.status ??= {}), newCondition(PROGRESSING, 'Unknown', REASON.resumed, 'Deployment is resumed', ctx.now()));
  } else {
    return;
  }
  await writeStatus(ctx, d);
}

/** isScalingEvent: an active set's desired-replicas annotation differs from spec.replicas. */
export async function isScalingEvent(ctx: DeploymentContext, d: Deployment, rss: ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rss, false);
  return filterActive([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(d);
  });
}

/** sync: reconcile a scaling event or a paused deployment without rolling forward. */
export async function syncScaleOrPaused(ctx: DeploymentContext, d: Deployment, rss: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rss, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec?.paused) await cleanupDeployment(ctx, oldRSs, d);
  await syncDeploymentStatus(ctx, newRS ? [...oldRSs, newRS] : oldRSs, newRS, d);
}
