/**
 * Deletion as upstream's registry does it: preconditions, then finalizers (orphan and
 * foregroundDeletion record the propagation policy for the garbage collector), then graceful
 * deletion for kinds that have it (pods), and only then removal from storage.
 */
import type { KubeObject } from '../../machinery/object.js';
import { isStatusError, newConflict, newNotFound } from '../../machinery/errors.js';
import type { DeleteOptions, WriteOptions } from './context.js';
import type { ResourceStore } from './store.js';
import type { AdmissionAttributes } from '../admission/interface.js';
import { rfc3339 } from '../../machinery/time.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface DeleteResult {
  /** The object: its last state when removed, or its state with deletionTimestamp set. */
  obj: KubeObject;
  /** True when it is gone from storage. */
  deleted: boolean;
}

/** Graceful deletion period for a kind that supports it, e.g. pods (undefined: none). */
export type GracePeriodFn = (obj: KubeObject, requested: number | undefined) => number | undefined;

/** How often a delete without a resourceVersion precondition reads again when the object changed under it. */
const DELETE_ATTEMPTS = 5;

/**
 * Deletes as upstream's store does: a delete the caller did not pin to a resourceVersion is
 * retried, from a fresh read, when the object changed between the read and the removal (a
 * kubelet's status write during admission must not turn a user's delete into a 409).
 */
export async function deleteObject(
  store: ResourceStore,
  namespace: string,
  name: string,
  options: DeleteOptions,
  opts: WriteOptions,
  gracePeriod?: GracePeriodFn,
): Promise<DeleteResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deleteOnce(store, namespace, name, options, opts, gracePeriod);
    } catch (err) {
      if (attempt >= DELETE_ATTEMPTS || options.preconditions?.resourceVersion || !isStatusError(err, 'Conflict')) throw err;
    }
  }
}

async function deleteOnce(
  store: ResourceStore,
  namespace: string,
  name: string,
  options: DeleteOptions,
  opts: WriteOptions,
  gracePeriod?: GracePeriodFn,
): Promise<DeleteResult> {
  const current = await store.read(namespace, name);
  if (!current) throw newNotFound(store.resource, name);
  const obj = current.obj;
  const attrs: AdmissionAttributes = {
    operation: 'DELETE',
    type: store.type,
    namespace,
    name,
    subresource: '',
    oldObject: obj,
    user: opts.user,
    dryRun: opts.dryRun,
    warnings: opts.warnings,
    ...(opts.addAuditAnnotation ? { addAnnotation: opts.addAuditAnnotation } : {}),
  };
  // mutating admission sees a DELETE too, as upstream's (webhooks with DELETE rules; nothing to patch)
  await store.admission.admit(attrs);
  await store.admission.validate(attrs);
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw newConflict(
      store.resource,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw newConflict(
      store.resource,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
  }
  const policy = options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : undefined);
  const wanted = new Set(obj.metadata.finalizers ?? []);
  if (policy === 'Orphan') {
    wanted.add(FINALIZER_ORPHAN);
    wanted.delete(FINALIZER_FOREGROUND);
  } else if (policy === 'Foreground') {
    wanted.add(FINALIZER_FOREGROUND);
    wanted.delete(FINALIZER_ORPHAN);
  } else if (policy === 'Background') {
    wanted.delete(FINALIZER_ORPHAN);
    wanted.delete(FINALIZER_FOREGROUND);
  }
  // a first delete adds the kind's own finalizers; once deletion has begun they are not re-added
  if (!obj.metadata.deletionTimestamp) for (const f of store.type.deletionFinalizers?.(obj) ?? []) wanted.add(f);
  const grace = gracePeriod?.(obj, options.gracePeriodSeconds);
  const hasFinalizers = wanted.size > 0 || (store.type.pendingFinalizers?.(obj).length ?? 0) > 0;
  if (!hasFinalizers && !grace) {
    const last = await store.remove(namespace, name, current.modRevision, opts.dryRun);
    return { obj: last, deleted: true };
  }
  // mark for deletion: finalizers or the kubelet finish the job
  const now = store.now();
  const { obj: updated } = await store.update(
    {
      namespace,
      name,
      trackFields: false,
      tryUpdate: (cur) => {
        const meta = cur.metadata;
        // only the finalizers of the policy change; others stay in their order
        const finalizers = (meta.finalizers ?? []).filter((f) => wanted.has(f));
        for (const f of wanted) if (!finalizers.includes(f)) finalizers.push(f);
        if (finalizers.length > 0) meta.finalizers = finalizers;
        else delete meta.finalizers;
        const seconds = grace ?? 0;
        const due = new Date(now.getTime() + seconds * 1000);
        const existing = meta.deletionTimestamp ? Date.parse(meta.deletionTimestamp) : undefined;
        if (existing === undefined || due.getTime() < existing) {
          meta.deletionTimestamp = rfc3339(due);
          meta.deletionGracePeriodSeconds = seconds;
        }
        store.type.markDeleting?.(cur);
        return cur;
      },
      allowDeletionMarks: true,
      registryWrite: true,
    },
    opts,
  );
  return { obj: updated, deleted: false };
}
