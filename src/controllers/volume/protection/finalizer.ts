/**
 * Removing a protection finalizer as upstream's controllers do: an update carrying the object's
 * resourceVersion (a stale object is a Conflict, and the key is synced again), which is all
 * their ClusterRoles allow (update, not patch).
 */
import type { ResourceClient } from '../../../client/interface.js';
import { isStatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';

export async function removeFinalizer(client: ResourceClient, obj: KubeObject, finalizer: string): Promise<void> {
  const next = structuredClone(obj);
  next.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  try {
    await client.update(obj.metadata.namespace ?? '', next);
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
}
