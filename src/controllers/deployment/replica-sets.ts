/**
 * getAllReplicaSetsAndSyncRevision / getNewReplicaSet (sync.go): finds the set whose template
 * equals the deployment's, renumbers it to the newest revision (a rollback re-uses an old
 * set), or creates `<deployment>-<pod-template-hash>` with collision handling.
 */
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import { getCondition, newCondition, setCondition } from '../controller-utils/conditions.js';
import { newControllerRef, getControllerOf } from '../controller-utils/controller-ref.js';
import { computeHash } from '../controller-utils/hash.js';
import type { Deployment, ReplicaSet } from '../controller-utils/types.js';
import { type DeploymentContext, writeStatus } from './context.js';
import { PROGRESSING, REASON } from './progress.js';
import {
  DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  hasProgressDeadline,
  maxRevision,
  newRSNewReplicas,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
} from './util.js';
import { cloneJson } from '../../machinery/clone.js';

export interface ReplicaSetSplit {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/** `rss` is the claimed list; a set updated here is replaced in it so later steps see the write. */
export async function getAllReplicaSetsAndSyncRevision(
  ctx: DeploymentContext,
  d: Deployment,
  rss: ReplicaSet[],
  create: boolean,
): Promise<ReplicaSetSplit> {
  const oldRSs = findOldReplicaSets(d, rss);
  const newRS = await getNewReplicaSet(ctx, d, rss, oldRSs, create);
  return { newRS, oldRSs };
}

async function getNewReplicaSet(
  ctx: DeploymentContext,
  d: Deployment,
  rss: ReplicaSet[],
  oldRSs: ReplicaSet[],
  create: boolean,
): Promise<ReplicaSet | undefined> {
  const ns = d.metadata.namespace ?? '';
  const existing = findNewReplicaSet(d, rss);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    const rs = cloneJson(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rs, newRevision, true);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotationsUpdated || (rs.spec?.minReadySeconds ?? 0) !== minReady) {
      rs.spec = { ...rs.spec, minReadySeconds: minReady };
      const updated = (await ctx.replicaSets.update(ns, rs)) as ReplicaSet;
      rss[rss.indexOf(existing)] = updated;
      return updated;
    }
    let needsUpdate = setDeploymentRevision(d, rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '');
    const status = (d.status ??= {});
    if (hasProgressDeadline(d) && !getCondition(status.conditions, PROGRESSING)) {
      setCondition(status, newCondition(PROGRESSING, 'True', REASON.foundNewRS, `Found new replica set "${rs.metadata.name}"`, ctx.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await writeStatus(ctx, d);
    return rs;
  }
  if (!create) return undefined;

  const template = cloneJson(d.spec?.template ?? {});
  const hash = computeHash(template, d.status?.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = cloneJson(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  const name = `${d.metadata.name}-${hash}`;
  const fresh: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: ns, labels: { ...labels }, ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')] },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, fresh], fresh);
  fresh.spec!.replicas = replicas;
  setNewReplicaSetAnnotations(d, fresh, newRevision, false);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = (await ctx.replicaSets.create(ns, fresh)) as ReplicaSet;
  } catch (err) {
    if (isStatusError(err, 'AlreadyExists')) {
      const found = (await ctx.replicaSets.get(ns, name).catch(() => undefined)) as ReplicaSet | undefined;
      if (found && getControllerOf(found)?.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
        created = found;
        alreadyExists = true;
      } else {
        // A hash collision: bump collisionCount so the next sync computes another name.
        const status = (d.status ??= {});
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await writeStatus(ctx, d).catch(() => {});
        throw err;
      }
    } else {
      if (hasStatusCause(err, 'NamespaceTerminating')) throw err;
      const msg = `Failed to create new replica set "${name}": ${(err as Error).message}`;
      if (hasProgressDeadline(d)) {
        setCondition((d.status ??= {}), newCondition(PROGRESSING, 'False', REASON.failedRSCreate, msg, ctx.now()));
        await writeStatus(ctx, d).catch(() => {});
      }
      ctx.recorder.event(d, 'Warning', REASON.failedRSCreate, msg);
      throw err;
    }
  }
  if (!alreadyExists && replicas > 0) {
    ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
  }
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(
      (d.status ??= {}),
      newCondition(PROGRESSING, 'True', REASON.newRSCreated, `Created new replica set "${created.metadata.name}"`, ctx.now()),
    );
    needsUpdate = true;
  }
  if (needsUpdate) await writeStatus(ctx, d);
  return created;
}
