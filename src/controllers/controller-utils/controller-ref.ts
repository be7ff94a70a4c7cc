/**
 * ControllerRef handling (controller_ref_manager.go): which controller owns an object, and the
 * claim loop that adopts matching orphans and releases owned objects that no longer match.
 */
import type { Lister, ResourceClient } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { Selector } from '../../machinery/labels.js';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';

export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** resolveControllerRef: the controller of `kind` a controllerRef names, if the lister still has it with that UID. */
export function resolveControllerRef<T extends KubeObject>(
  lister: Lister,
  kind: string,
  namespace: string,
  ref: OwnerReference | undefined,
): T | undefined {
  if (ref?.kind !== kind) return undefined;
  const owner = lister.get(namespace, ref.name);
  return owner && owner.metadata.uid === ref.uid ? (owner as T) : undefined;
}

/**
 * The controllers in an orphan's namespace whose selector matches its labels (getPodReplicaSets
 * and its kin); an empty selector or one that does not parse matches nothing.
 */
export function controllersSelecting<T extends KubeObject>(
  lister: Lister,
  obj: KubeObject,
  selectorOf: (owner: T) => Selector | undefined,
): T[] {
  return (lister.list(obj.metadata.namespace) as T[]).filter((owner) => {
    try {
      const sel = selectorOf(owner);
      return sel !== undefined && !sel.isEmpty() && sel.matches(obj.metadata.labels);
    } catch {
      return false;
    }
  });
}

/** metav1.NewControllerRef: controller=true, blockOwnerDeletion=true. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The strategic merge patch that makes `owner` the controller of the object with `uid` (adding `finalizers`, as the Job controller's tracking finalizer). */
export function adoptPatch(ref: OwnerReference, uid: string, finalizers?: readonly string[]): unknown {
  return { metadata: { ownerReferences: [ref], uid, ...(finalizers?.length ? { finalizers: [...finalizers] } : {}) } };
}

/** The strategic merge patch that removes the owner reference `ownerUid` from the object `uid`. */
export function releasePatch(ownerUid: string, uid: string): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid } };
}

export interface ClaimOptions {
  /** The controller doing the claiming. */
  owner: KubeObject;
  ownerRef: OwnerReference;
  selector: Selector;
  /** Client of the claimed resource (pods for a ReplicaSet, replicasets for a Deployment). */
  client: ResourceClient;
  /** Kind of the claimed objects, for error messages. */
  kind: string;
  /** RecheckDeletionTimestamp: a fresh read of the owner; called once, before the first adoption. */
  canAdopt: () => Promise<void>;
  /** Finalizers an adopted object gets (NewPodControllerRefManager's finalizers). */
  finalizers?: readonly string[];
}

/**
 * ClaimObjects: returns the objects the owner controls after adopting and releasing. Errors
 * of single objects are collected and thrown together after the loop (NotFound is ignored).
 */
export async function claimObjects<T extends KubeObject>(objects: readonly T[], opts: ClaimOptions): Promise<T[]> {
  const claimed: T[] = [];
  const errors: string[] = [];
  const ownerUid = opts.owner.metadata.uid;
  const ownerDeleting = opts.owner.metadata.deletionTimestamp !== undefined;
  let adoptable: Promise<void> | undefined;
  for (const obj of objects) {
    const ref = getControllerOf(obj);
    const matches = opts.selector.matches(obj.metadata.labels);
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    try {
      if (ref) {
        if (ref.uid !== ownerUid) continue;
        if (matches) {
          claimed.push(obj);
          continue;
        }
        if (ownerDeleting) continue;
        await opts.client.patch(ns, name, 'strategic', releasePatch(ownerUid ?? '', obj.metadata.uid ?? ''));
        continue;
      }
      if (ownerDeleting || !matches || obj.metadata.deletionTimestamp !== undefined) continue;
      if (opts.owner.metadata.namespace && opts.owner.metadata.namespace !== ns) continue;
      adoptable ??= opts.canAdopt();
      try {
        await adoptable;
      } catch (err) {
        throw new Error(`can't adopt ${opts.kind} ${ns}/${name} (${obj.metadata.uid ?? ''}): ${(err as Error).message}`);
      }
      const updated = await opts.client.patch(ns, name, 'strategic', adoptPatch(opts.ownerRef, obj.metadata.uid ?? '', opts.finalizers));
      claimed.push(updated as T);
    } catch (err) {
      if (isStatusError(err, 'NotFound')) continue;
      errors.push((err as Error).message);
    }
  }
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
  return claimed;
}

/** RecheckDeletionTimestamp with an uncached read: the owner must still exist with the same UID. */
export function recheckOwner(client: ResourceClient, owner: KubeObject, kind: string): () => Promise<void> {
  return async () => {
    const ns = owner.metadata.namespace ?? '';
    const name = owner.metadata.name ?? '';
    const fresh = await client.get(ns, name);
    if (fresh.metadata.uid !== owner.metadata.uid) {
      throw new Error(`original ${kind} ${ns}/${name} is gone: got uid ${fresh.metadata.uid ?? ''}, wanted ${owner.metadata.uid ?? ''}`);
    }
    if (fresh.metadata.deletionTimestamp) throw new Error(`${ns}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };
}
