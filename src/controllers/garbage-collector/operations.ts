/**
 * The writes of the garbage collector, as upstream makes them: JSON patches guarded by `test`
 * operations so that a concurrent change fails the patch instead of being overwritten.
 */
import type { ResourceClient } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';

type JsonPatchOp = { op: 'test' | 'remove' | 'replace'; path: string; value?: unknown };

/** A JSON patch removing the ownerReferences whose uid is in `uids` (highest index first). */
export function deleteOwnerRefsPatch(obj: KubeObject, uids: ReadonlySet<string>): JsonPatchOp[] {
  const refs = obj.metadata.ownerReferences ?? [];
  const ops: JsonPatchOp[] = [];
  for (let i = refs.length - 1; i >= 0; i--) {
    const ref = refs[i]!;
    if (!uids.has(ref.uid)) continue;
    ops.push({ op: 'test', path: `/metadata/ownerReferences/${i}/uid`, value: ref.uid });
    ops.push({ op: 'remove', path: `/metadata/ownerReferences/${i}` });
  }
  return ops;
}

/** The object, or undefined when it is gone. */
async function getIfExists(client: ResourceClient, namespace: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get(namespace, name);
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** Sends a JSON patch; false when the object is gone. */
async function patchIfExists(client: ResourceClient, namespace: string, name: string, ops: JsonPatchOp[]): Promise<boolean> {
  try {
    await client.patch(namespace, name, 'json', ops);
    return true;
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return false;
    throw err;
  }
}

/**
 * Removes the references to `uids` from an object's ownerReferences, re-reading it first.
 * Returns false when the object is gone.
 */
export async function removeOwnerReferences(
  client: ResourceClient,
  namespace: string,
  name: string,
  uids: ReadonlySet<string>,
): Promise<boolean> {
  const obj = await getIfExists(client, namespace, name);
  if (!obj) return false;
  const ops = deleteOwnerRefsPatch(obj, uids);
  return ops.length === 0 || (await patchIfExists(client, namespace, name, ops));
}

/**
 * Removes one finalizer from an object, retrying on conflicts (the patch tests resourceVersion).
 * A missing object or a different uid ends quietly.
 */
export async function removeFinalizer(
  client: ResourceClient,
  namespace: string,
  name: string,
  uid: string,
  finalizer: string,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const obj = await getIfExists(client, namespace, name);
    if (obj?.metadata.uid !== uid) return;
    const finalizers = obj.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return;
    const ops: JsonPatchOp[] = [
      { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((f) => f !== finalizer) },
    ];
    try {
      await client.patch(namespace, name, 'json', ops);
      return;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return;
      if (!isStatusError(err, 'Conflict') && !isStatusError(err, 'Invalid')) throw err;
      if (attempt >= 4) throw err;
    }
  }
}

/**
 * Sets blockOwnerDeletion to false on every owner reference of an object that blocks
 * (upstream's unblockOwnerReferencesStrategicMergePatch), so that owners and dependents that
 * wait for each other's foreground deletion (a cycle) cannot wait forever.
 */
export async function unblockOwnerReferences(client: ResourceClient, namespace: string, name: string, uid: string): Promise<void> {
  const obj = await getIfExists(client, namespace, name);
  if (obj?.metadata.uid !== uid) return;
  const ops: JsonPatchOp[] = [];
  (obj.metadata.ownerReferences ?? []).forEach((ref, i) => {
    if (!ref.blockOwnerDeletion) return;
    ops.push({ op: 'test', path: `/metadata/ownerReferences/${i}/uid`, value: ref.uid });
    ops.push({ op: 'replace', path: `/metadata/ownerReferences/${i}/blockOwnerDeletion`, value: false });
  });
  if (ops.length > 0) await patchIfExists(client, namespace, name, ops);
}
