/** deploymentutil: annotations, revisions, the new/old ReplicaSet split and rollout arithmetic. */
import { getScaledValueFromIntOrPercent } from '../../machinery/intstr.js';
import type { KubeObject } from '../../machinery/object.js';
import { semanticEqual } from '../controller-utils/equality.js';
import { type Deployment, type PodTemplateSpec, type ReplicaSet, specReplicas } from '../controller-utils/types.js';
import { cloneJson } from '../../machinery/clone.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';
/** The longest revision-history annotation the controller writes. */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
const MAX_INT32 = 2147483647;

const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

export const isRollingUpdate = (d: Deployment) => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
export const hasProgressDeadline = (d: Deployment) =>
  d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== MAX_INT32;
export const hasRevisionHistoryLimit = (d: Deployment) =>
  d.spec?.revisionHistoryLimit !== undefined && d.spec.revisionHistoryLimit !== MAX_INT32;

/** ResolveFenceposts: surge rounds up, unavailable down; both zero → unavailable 1. */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  const desired = specReplicas(d);
  const surge = getScaledValueFromIntOrPercent(ru?.maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(ru?.maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  const desired = specReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, desired);
}

export const rsReplicas = (rs: ReplicaSet) => rs.spec?.replicas ?? 0;
export const sumSpec = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + rsReplicas(rs), 0);
export const sumActual = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const sumReady = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
export const sumAvailable = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
export const filterActive = (rss: readonly (ReplicaSet | undefined)[]) =>
  rss.filter((rs): rs is ReplicaSet => rs !== undefined && rsReplicas(rs) > 0);

const created = (o: KubeObject) => Date.parse(o.metadata.creationTimestamp ?? '') || 0;
const byName = (a: KubeObject, b: KubeObject) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1);

/** ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || byName(a, b);
}
/** ReplicaSetsBySizeOlder: bigger first, ties oldest first. */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet) => rsReplicas(b) - rsReplicas(a) || byCreation(a, b);
/** ReplicaSetsBySizeNewer: bigger first, ties newest first. */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet) => rsReplicas(b) - rsReplicas(a) || byCreation(b, a);

export function revision(obj: KubeObject): number {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}
/** ReplicaSetsByRevision: lowest revision first, ties by creation. */
export const byRevision = (a: ReplicaSet, b: ReplicaSet) => revision(a) - revision(b) || byCreation(a, b);
export const maxRevision = (rss: readonly ReplicaSet[]) => rss.reduce((m, rs) => Math.max(m, revision(rs)), 0);

function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const c = cloneJson(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
  return c;
}

/** EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

/** FindNewReplicaSet: the oldest set whose template equals the deployment's. */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets (all old ones): every set except the new one. */
export function findOldReplicaSets(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet[] {
  const fresh = findNewReplicaSet(d, rss);
  return rss.filter((rs) => rs.metadata.uid !== fresh?.metadata.uid);
}

/** SetReplicasAnnotations; returns whether anything changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let updated = false;
  for (const [key, value] of [
    [DESIRED_REPLICAS_ANNOTATION, String(desired)],
    [MAX_REPLICAS_ANNOTATION, String(max)],
  ] as const) {
    if (a[key] === value) continue;
    a[key] = value;
    updated = true;
  }
  return updated;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

function annotationInt(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}
export const desiredReplicasAnnotation = (rs: ReplicaSet) => annotationInt(rs, DESIRED_REPLICAS_ANNOTATION);

/**
 * SetNewReplicaSetAnnotations: copies the deployment's annotations (not the skipped ones),
 * raises the revision to `newRevision` when lower, keeping the old one in revision-history
 * (a rollback), and for a set about to be created adds desired/max replicas.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const old = a[REVISION_ANNOTATION];
  if (old !== undefined && !/^\d+$/.test(old)) return false;
  const oldRevision = old === undefined ? 0 : Number(old);
  if (oldRevision < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (old !== undefined) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      if (history === '') a[REVISION_HISTORY_ANNOTATION] = old;
      else {
        const parts = history.split(',');
        let total = history.length + old.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < parts.length) total -= (parts[start++]?.length ?? 0) + 1;
        if (total <= MAX_REV_HISTORY_LENGTH_IN_CHARS) a[REVISION_HISTORY_ANNOTATION] = [...parts.slice(start), old].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision. */
export function setDeploymentRevision(d: Deployment, rev: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION_ANNOTATION] === rev) return false;
  a[REVISION_ANNOTATION] = rev;
  return true;
}

/** NewRSNewReplicas: how big the new set may be now. */
export function newRSNewReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return specReplicas(d);
  const desired = specReplicas(d);
  const maxTotal = desired + maxSurge(d);
  const current = sumSpec(all);
  if (current >= maxTotal) return rsReplicas(newRS);
  return rsReplicas(newRS) + Math.min(maxTotal - current, desired - rsReplicas(newRS));
}

/** IsSaturated: the new set has all desired replicas, annotated and available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = specReplicas(d);
  return rsReplicas(rs) === desired && desiredReplicasAnnotation(rs) === desired && (rs.status?.availableReplicas ?? 0) === desired;
}

/** FindActiveOrLatest: the only active set, or the newest when none is active, else undefined. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** GetProportion: this set's share of `toAdd` replicas, bounded by what is left to add. */
export function getProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (specReplicas(d) === 0) fraction = -rsReplicas(rs);
  else {
    const maxNow = specReplicas(d) + maxSurge(d);
    let before = annotationInt(rs, MAX_REPLICAS_ANNOTATION) ?? 0;
    if (before === 0) before = d.status?.replicas ?? 0;
    // Go's math.Round: half away from zero.
    const scaled = (rsReplicas(rs) * maxNow) / (before || 1);
    fraction = before === 0 ? 0 : Math.sign(scaled) * Math.round(Math.abs(scaled)) - rsReplicas(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
