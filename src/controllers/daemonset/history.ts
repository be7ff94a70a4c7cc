/**
 * The DaemonSet's ControllerRevisions (daemon_controller.go constructHistory, snapshot,
 * dedupCurHistories, cleanupHistory). A revision's data is the patch that restores the
 * template, `{"spec":{"template":{…,"$patch":"replace"}}}`, which `kubectl rollout undo` sends;
 * the revision whose data matches the DaemonSet is the current one, its
 * `controller-revision-hash` label the hash its pods carry. Old revisions beyond
 * revisionHistoryLimit go, oldest first, unless a pod still runs them.
 */
import { labelSelectorFromMeta } from '../../machinery/labels.js';
import { claimObjects, getControllerOf, newControllerRef, recheckOwner } from '../controller-utils/controller-ref.js';
import { semanticEqual } from '../controller-utils/equality.js';
import {
  type ControllerRevision,
  hashControllerRevision,
  newControllerRevision,
  nextRevision,
  sortControllerRevisions,
} from '../history/controller-history.js';
import type { DaemonSetContext, NodeToDaemonPods } from './context.js';
import { type DaemonSet, DAEMON_SET_UNIQUE_LABEL } from './types.js';

export const DAEMON_SET_KIND = 'DaemonSet';

/** getPatch: the template, to be restored whole. */
export function revisionData(ds: DaemonSet): unknown {
  return { spec: { template: { ...ds.spec?.template, $patch: 'replace' } } };
}

/** Match: the revision holds this DaemonSet's template. */
export function matchRevision(ds: DaemonSet, revision: ControllerRevision): boolean {
  return semanticEqual(revision.data, revisionData(ds));
}

/** The hash a revision's pods carry: its label, else the suffix of its name. */
export function revisionHash(revision: ControllerRevision): string {
  const name = revision.metadata.name ?? '';
  return revision.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL] ?? name.slice(name.lastIndexOf('-') + 1);
}

/** controlledHistories: the revisions this DaemonSet owns, after adopting matching orphans. */
async function controlledHistories(
  ctx: DaemonSetContext,
  ds: DaemonSet,
  all: readonly ControllerRevision[],
): Promise<ControllerRevision[]> {
  const uid = ds.metadata.uid;
  const candidates = all.filter((r) => {
    const ref = getControllerOf(r);
    return ref === undefined || ref.uid === uid;
  });
  return claimObjects(candidates, {
    owner: ds,
    ownerRef: newControllerRef(ds, 'apps/v1', DAEMON_SET_KIND),
    selector: labelSelectorFromMeta(ds.spec?.selector),
    client: ctx.revisions,
    kind: 'ControllerRevision',
    canAdopt: recheckOwner(ctx.daemonSets, ds, DAEMON_SET_KIND),
  });
}

async function labelWithHash(ctx: DaemonSetContext, revision: ControllerRevision, hash: string): Promise<ControllerRevision> {
  const patch = { metadata: { labels: { [DAEMON_SET_UNIQUE_LABEL]: hash } } };
  return (await ctx.revisions.patch(revision.metadata.namespace ?? '', revision.metadata.name ?? '', 'merge', patch)) as ControllerRevision;
}

/**
 * snapshot: creates the revision of the current template. A name taken by another revision
 * moves status.collisionCount on (returned, for the status write).
 */
async function snapshot(
  ctx: DaemonSetContext,
  ds: DaemonSet,
  revision: number,
): Promise<{ cur: ControllerRevision; collisionCount: number }> {
  const data = revisionData(ds);
  const collisionCount = ds.status?.collisionCount ?? 0;
  const hash = hashControllerRevision(data, collisionCount);
  const rev = newControllerRevision({
    parent: ds,
    controllerRef: newControllerRef(ds, 'apps/v1', DAEMON_SET_KIND),
    templateLabels: { ...ds.spec?.template?.metadata?.labels, [DAEMON_SET_UNIQUE_LABEL]: hash },
    data,
    revision,
    collisionCount,
  });
  if (ds.metadata.annotations) rev.metadata.annotations = { ...ds.metadata.annotations };
  const created = await ctx.history.create(ds, rev, collisionCount);
  let cur = created.revision;
  const name = cur.metadata.name ?? '';
  const nameHash = name.slice(name.lastIndexOf('-') + 1);
  if (cur.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL] !== nameHash) cur = await labelWithHash(ctx, cur, nameHash);
  return { cur, collisionCount: created.collisionCount };
}

/** dedupCurHistories: keeps the highest of several current revisions; their pods move to its hash. */
async function dedupCurHistories(
  ctx: DaemonSetContext,
  current: readonly ControllerRevision[],
  nodeToDaemonPods: NodeToDaemonPods,
): Promise<ControllerRevision> {
  const sorted = sortControllerRevisions(current);
  const keep = sorted.at(-1) as ControllerRevision;
  const keepHash = revisionHash(keep);
  for (const dup of sorted.slice(0, -1)) {
    const dupHash = revisionHash(dup);
    for (const pod of [...nodeToDaemonPods.values()].flat()) {
      if (pod.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL] !== dupHash) continue;
      const patch = { metadata: { labels: { [DAEMON_SET_UNIQUE_LABEL]: keepHash } } };
      await ctx.pods.patch(pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'merge', patch);
    }
    await ctx.history.delete(dup);
  }
  return keep;
}

export interface DaemonSetHistory {
  cur: ControllerRevision;
  old: ControllerRevision[];
  /** The collision count status should carry. */
  collisionCount: number;
}

/** constructHistory: the current revision (created or renumbered as needed) and the old ones. */
export async function constructHistory(
  ctx: DaemonSetContext,
  ds: DaemonSet,
  all: readonly ControllerRevision[],
  nodeToDaemonPods: NodeToDaemonPods,
): Promise<DaemonSetHistory> {
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let r of await controlledHistories(ctx, ds, all)) {
    if (r.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL] === undefined) r = await labelWithHash(ctx, r, revisionHash(r));
    (matchRevision(ds, r) ? current : old).push(r);
  }
  const next = nextRevision(old);
  let collisionCount = ds.status?.collisionCount ?? 0;
  let cur: ControllerRevision;
  if (current.length === 0) {
    ({ cur, collisionCount } = await snapshot(ctx, ds, next));
  } else {
    cur = await dedupCurHistories(ctx, current, nodeToDaemonPods);
    if (cur.revision < next) cur = await ctx.history.updateRevision(cur, next);
  }
  return { cur, old, collisionCount };
}

/** cleanupHistory: deletes the oldest revisions beyond revisionHistoryLimit that no pod runs. */
export async function cleanupHistory(
  ctx: DaemonSetContext,
  ds: DaemonSet,
  old: readonly ControllerRevision[],
  nodeToDaemonPods: NodeToDaemonPods,
): Promise<void> {
  let toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const live = new Set<string>();
  for (const pods of nodeToDaemonPods.values()) {
    for (const pod of pods) {
      const hash = pod.metadata.labels?.[DAEMON_SET_UNIQUE_LABEL];
      if (hash) live.add(hash);
    }
  }
  for (const r of sortControllerRevisions(old)) {
    if (toKill <= 0) break;
    if (live.has(revisionHash(r))) continue;
    await ctx.history.delete(r);
    toKill--;
  }
}
