/** Removing a protection finalizer with a JSON patch guarded by the object's resourceVersion. */
import type { ResourceClient } from '../../../client/interface.js';
import { isStatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';

export async function removeFinalizer(client: ResourceClient, obj: KubeObject, finalizer: string): Promise<void> {
  const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  try {
    await client.patch(obj.metadata.namespace ?? '', obj.metadata.name ?? '', 'json', [
      { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/finalizers', value: finalizers },
    ]);
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
}
