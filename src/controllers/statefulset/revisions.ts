/**
 * The StatefulSet's revision history (stateful_set_control.go, getPatch/ApplyRevision): a
 * ControllerRevision per distinct pod template, whose data is the strategic merge patch
 * `{"spec":{"template":{…,"$patch":"replace"}}}` that `kubectl rollout undo` sends back to the
 * set. The update revision is the set's template now; the current revision is the one
 * status.currentRevision names. Revisions no pod and neither revision use are trimmed to
 * spec.revisionHistoryLimit.
 */
import { canonicalJson } from '../controller-utils/hash.js';
import type { OwnerReference } from '../../machinery/object.js';
import { cloneJson } from '../../machinery/clone.js';
import {
  type ControllerHistory,
  type ControllerRevision,
  findEqualRevisions,
  equalRevision,
  newControllerRevision,
  nextRevision,
} from '../history/controller-history.js';
import type { Pod, PodTemplateSpec } from '../controller-utils/types.js';
import { podRevision } from './stateful-set-utils.js';
import type { StatefulSet } from './types.js';

/**
 * The template as Go's typed encoding writes it: struct members that `omitempty` cannot drop
 * are present even when empty (`metadata.creationTimestamp: null`, a container's `resources: {}`).
 */
function goTemplateShape(template: PodTemplateSpec): Record<string, unknown> {
  const t = cloneJson(template) as Record<string, unknown> & { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  t.metadata = { creationTimestamp: null, ...t.metadata };
  const spec = (t.spec ??= {});
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = spec[list] as Record<string, unknown>[] | undefined;
    for (const c of containers ?? []) c['resources'] ??= {};
  }
  return t;
}

/**
 * getPatch: the template as a replacing patch, in the bytes kubectl computes from the live set
 * (its typed encoding, then json.Marshal of the decoded map: keys sorted at every level), so
 * `kubectl rollout undo` recognises the revision the set already runs.
 */
export function revisionData(set: StatefulSet): unknown {
  const template = { ...goTemplateShape(set.spec?.template ?? {}), $patch: 'replace' };
  return JSON.parse(canonicalJson({ spec: { template } })) as unknown;
}

/** newRevision: the revision the set's template makes, carrying the set's annotations. */
export function newRevision(set: StatefulSet, ref: OwnerReference, revision: number, collisionCount: number): ControllerRevision {
  const cr = newControllerRevision({
    parent: set,
    controllerRef: ref,
    templateLabels: set.spec?.template?.metadata?.labels,
    data: revisionData(set),
    revision,
    collisionCount,
  });
  if (set.metadata.annotations) cr.metadata.annotations = { ...set.metadata.annotations };
  return cr;
}

/** ApplyRevision: the set with the revision's template (the patch replaces spec.template whole). */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const clone = cloneJson(set);
  const data = revision.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const template = cloneJson(data?.spec?.template);
  if (template) {
    delete template['$patch'];
    clone.spec = { ...clone.spec, template };
  }
  return clone;
}

export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
}

/**
 * getStatefulSetRevisions: the update revision is the last revision when it equals the template,
 * an older equal revision renumbered to the next revision (a rollback), or a new revision.
 * `revisions` are sorted oldest first.
 */
export async function getStatefulSetRevisions(
  history: ControllerHistory,
  set: StatefulSet,
  ref: OwnerReference,
  revisions: readonly ControllerRevision[],
): Promise<SetRevisions> {
  let collisionCount = set.status?.collisionCount ?? 0;
  let update = newRevision(set, ref, nextRevision(revisions), collisionCount);
  const equal = findEqualRevisions(revisions, update);
  const lastEqual = equal.at(-1);
  if (lastEqual && equalRevision(revisions.at(-1), lastEqual)) {
    update = revisions.at(-1) as ControllerRevision;
  } else if (lastEqual) {
    update = await history.updateRevision(lastEqual, update.revision);
  } else {
    const created = await history.create(set, update, collisionCount);
    update = created.revision;
    collisionCount = created.collisionCount;
  }
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

/** truncateHistory: deletes the oldest revisions beyond the limit among those nothing uses. */
export async function truncateHistory(
  history: ControllerHistory,
  set: StatefulSet,
  pods: readonly Pod[],
  revisions: readonly ControllerRevision[],
  current: ControllerRevision | undefined,
  update: ControllerRevision | undefined,
): Promise<void> {
  const live = new Set<string>(pods.map(podRevision));
  if (current) live.add(current.metadata.name ?? '');
  if (update) live.add(update.metadata.name ?? '');
  const old = revisions.filter((r) => !live.has(r.metadata.name ?? ''));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  for (const r of old.slice(0, Math.max(0, old.length - limit))) await history.delete(r);
}
