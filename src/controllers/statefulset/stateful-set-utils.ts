/**
 * The StatefulSet's identity rules (stateful_set_utils.go): ordinal pod names `<set>-<i>`, the
 * labels and hostname/subdomain of a pod's identity, the claims `<template>-<set>-<i>` its
 * volumes name, the revision a pod was made from, and the pod predicates the update loop reads.
 */
import type { OwnerReference } from '../../machinery/object.js';
import { cloneJson } from '../../machinery/clone.js';
import { getScaledValueFromIntOrPercent } from '../../machinery/intstr.js';
import { isPodAvailable, isPodReady } from '../controller-utils/pod-util.js';
import type { Pod } from '../controller-utils/types.js';
import type { PersistentVolumeClaim, StatefulSet } from './types.js';

/** apps.StatefulSetPodNameLabel. */
export const STATEFUL_SET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** apps.ControllerRevisionHashLabelKey: the revision a pod was created from. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

const STATEFUL_POD_REGEX = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: `web-2` → ['web', 2]; ['', -1] for a name without an ordinal. */
export function parentNameAndOrdinal(pod: Pod): [string, number] {
  const m = STATEFUL_POD_REGEX.exec(pod.metadata.name ?? '');
  if (!m) return ['', -1];
  const ordinal = Number(m[2]);
  return [m[1] ?? '', ordinal <= 2147483647 ? ordinal : -1];
}

export function getOrdinal(pod: Pod): number {
  return parentNameAndOrdinal(pod)[1];
}

/** isMemberOf: the pod's name says it belongs to the set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentNameAndOrdinal(pod)[0] === set.metadata.name;
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name ?? ''}-${ordinal}`;
}

export function setReplicas(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** getStartOrdinal: spec.ordinals.start (0 when unset). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** getEndOrdinal: the last ordinal in range (start − 1 when there are no replicas). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + setReplicas(set) - 1;
}

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const ordinal = getOrdinal(pod);
  return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
}

export function claimName(set: StatefulSet, templateName: string, ordinal: number): string {
  return `${templateName}-${set.metadata.name ?? ''}-${ordinal}`;
}

/**
 * getPersistentVolumeClaims: the claims a pod of this ordinal uses, by template name; each gets
 * the set's selector labels (matchLabels) over the template's own.
 */
export function persistentVolumeClaims(set: StatefulSet, pod: Pod): Map<string, PersistentVolumeClaim> {
  const ordinal = getOrdinal(pod);
  const claims = new Map<string, PersistentVolumeClaim>();
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const name = template.metadata?.name ?? '';
    const claim = cloneJson(template) as PersistentVolumeClaim;
    delete claim['status'];
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      ...claim.metadata,
      name: claimName(set, name, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...claim.metadata?.labels, ...set.spec?.selector?.matchLabels },
    };
    claims.set(name, claim);
  }
  return claims;
}

/** updateStorage: the pod's volumes name its claims; other volumes of the template are kept. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = persistentVolumeClaims(set, pod);
  const spec = (pod.spec ??= {});
  const current = (spec['volumes'] as { name?: string }[] | undefined) ?? [];
  const volumes: unknown[] = [...claims].map(([name, claim]) => ({
    name,
    persistentVolumeClaim: { claimName: claim.metadata.name },
  }));
  for (const v of current) if (!claims.has(v.name ?? '')) volumes.push(v);
  if (volumes.length > 0) spec['volumes'] = volumes;
}

/** storageMatches: every claim template is mounted from this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  type ClaimVolume = { name?: string; persistentVolumeClaim?: { claimName?: string } };
  const volumes = new Map<string, ClaimVolume>();
  for (const v of (pod.spec?.['volumes'] as ClaimVolume[] | undefined) ?? []) volumes.set(v.name ?? '', v);
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const name = t.metadata?.name ?? '';
    if (volumes.get(name)?.persistentVolumeClaim?.claimName !== claimName(set, name, ordinal)) return false;
  }
  return true;
}

/** updateIdentity: name, namespace and the pod-name and pod-index labels follow the ordinal. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...pod.metadata.labels, [STATEFUL_SET_POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** identityMatches: the pod carries the identity of its ordinal in this set. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const [parent, ordinal] = parentNameAndOrdinal(pod);
  const labels = pod.metadata.labels ?? {};
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === podName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    labels[STATEFUL_SET_POD_NAME_LABEL] === pod.metadata.name &&
    labels[POD_INDEX_LABEL] === String(ordinal)
  );
}

/** newStatefulSetPod: GetPodFromTemplate, then the ordinal's identity, hostname, subdomain and claims. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number, ref: OwnerReference): Pod {
  const meta = set.spec?.template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(set, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...meta.labels },
      annotations: { ...meta.annotations },
      ownerReferences: [ref],
    },
    spec: cloneJson(set.spec?.template?.spec ?? {}),
  };
  if (meta.finalizers?.length) pod.metadata.finalizers = [...meta.finalizers];
  updateIdentity(set, pod);
  pod.spec!['hostname'] = pod.metadata.name;
  if (set.spec?.serviceName) pod.spec!['subdomain'] = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

export function podRevision(pod: Pod): string {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...pod.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: revision };
}

/** isCreated: the pod exists in the API (it has a phase). */
export const isCreated = (pod: Pod): boolean => (pod.status?.phase ?? '') !== '';
export const isPending = (pod: Pod): boolean => pod.status?.phase === 'Pending';
export const isFailed = (pod: Pod): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: Pod): boolean => pod.metadata.deletionTimestamp !== undefined;
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, nowMs: number): boolean =>
  isPodAvailable(pod, minReadySeconds, nowMs);
/** isHealthy: running, ready and not terminating. */
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);

/** allowsBurst: Parallel pod management creates and deletes without waiting. */
export function allowsBurst(set: StatefulSet): boolean {
  return set.spec?.podManagementPolicy === 'Parallel';
}

/** getStatefulSetMaxUnavailable: rollingUpdate.maxUnavailable of the replicas (default 1), rounded down, at least 1. */
export function maxUnavailable(set: StatefulSet): number {
  const v = set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  return Math.max(1, getScaledValueFromIntOrPercent(v, setReplicas(set), false));
}
