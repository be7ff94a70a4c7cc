/**
 * persistentVolumeClaimRetentionPolicy through ownerReferences, as upstream does it
 * (isClaimOwnerUpToDate, updateClaimOwnerRefForSetAndPod): the garbage collector deletes a claim
 * whose controller is gone. whenDeleted=Delete makes the set the claim's controller;
 * whenScaled=Delete makes the pod its controller once the pod's ordinal is out of range. Claims
 * with refs to an earlier set or pod of the same name (a stale UID) are left alone.
 */
import type { KubeObject, OwnerReference } from '../../machinery/object.js';
import type { Pod } from '../controller-utils/types.js';
import { podInOrdinalRange } from './stateful-set-utils.js';
import type { PersistentVolumeClaim, StatefulSet } from './types.js';

interface Kind {
  apiVersion: string;
  kind: string;
}
const SET_KIND: Kind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const POD_KIND: Kind = { apiVersion: 'v1', kind: 'Pod' };

export function retentionPolicy(set: StatefulSet): { whenDeleted: string; whenScaled: string } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted ?? 'Retain', whenScaled: p?.whenScaled ?? 'Retain' };
}

/** matchesRef: same kind, apiVersion and name (the UID may differ). */
function matchesRef(ref: OwnerReference, obj: KubeObject, kind: Kind): boolean {
  return ref.apiVersion === kind.apiVersion && ref.kind === kind.kind && ref.name === obj.metadata.name;
}

function hasOwnerRef(target: KubeObject, owner: KubeObject): boolean {
  return (target.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
}

/** hasStaleOwnerRef: a ref to an object of this kind and name, but another UID. */
export function hasStaleOwnerRef(target: KubeObject, obj: KubeObject, kind: Kind): boolean {
  const ref = (target.metadata.ownerReferences ?? []).find((r) => matchesRef(r, obj, kind));
  return ref !== undefined && ref.uid !== obj.metadata.uid;
}

export function hasStalePodRef(claim: PersistentVolumeClaim, pod: Pod): boolean {
  return hasStaleOwnerRef(claim, pod, POD_KIND);
}

/** hasUnexpectedController: under a Delete policy, a controller of the claim that is neither this set nor this pod. */
export function hasUnexpectedController(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const policy = retentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  for (const ref of claim.metadata.ownerReferences ?? []) {
    if (matchesRef(ref, set, SET_KIND)) {
      if (ref.uid !== set.metadata.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, POD_KIND)) {
      if (ref.uid !== pod.metadata.uid) return true;
      continue;
    }
    if (ref.controller === true) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  return (claim.metadata.ownerReferences ?? []).some(
    (r) => (r.uid === set.metadata.uid || r.uid === pod.metadata.uid) && r.controller !== true,
  );
}

/** isClaimOwnerUpToDate: the claim's refs say what the retention policy asks for. */
export function isClaimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  if (hasStaleOwnerRef(claim, set, SET_KIND) || hasStaleOwnerRef(claim, pod, POD_KIND)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const { wantSet, wantPod } = wantedRefs(set, pod);
  return hasOwnerRef(claim, set) === wantSet && hasOwnerRef(claim, pod) === wantPod;
}

/** Which of the set and the pod the policy makes the claim's controller. */
function wantedRefs(set: StatefulSet, pod: Pod): { wantSet: boolean; wantPod: boolean } {
  const policy = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const deleteWhenScaled = policy.whenScaled === 'Delete';
  const deleteWhenDeleted = policy.whenDeleted === 'Delete';
  if (deleteWhenScaled && deleteWhenDeleted) return { wantSet: !scaledDown, wantPod: scaledDown };
  return { wantSet: deleteWhenDeleted, wantPod: deleteWhenScaled && scaledDown };
}

function controllerRef(owner: KubeObject, kind: Kind): OwnerReference {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** updateClaimOwnerRefForSetAndPod: the claim's refs rewritten (in place) to match the policy. */
export function updateClaimOwnerRefs(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): void {
  const unexpected = hasUnexpectedController(claim, set, pod);
  const refs = (claim.metadata.ownerReferences ?? []).filter((r) => !matchesRef(r, set, SET_KIND) && !matchesRef(r, pod, POD_KIND));
  if (!unexpected) {
    const { wantSet, wantPod } = wantedRefs(set, pod);
    if (wantSet) refs.push(controllerRef(set, SET_KIND));
    if (wantPod) refs.push(controllerRef(pod, POD_KIND));
  }
  if (refs.length > 0) claim.metadata.ownerReferences = refs;
  else delete claim.metadata.ownerReferences;
}
