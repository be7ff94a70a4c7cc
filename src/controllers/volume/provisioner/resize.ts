/**
 * Volume expansion for a provisioner's volumes (external-resizer's part): a bound claim that
 * asks for more storage than its status shows grows its PV's capacity, then its own
 * status.capacity (the provisioners here have nothing to grow on disk: no quota), with
 * external-resizer's events.
 */
import type { EventRecorder, ResourceClient } from '../../../client/interface.js';
import { cloneJson } from '../../../machinery/clone.js';
import {
  claimRequest,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
  volumeCapacity,
} from '../../../api/storage/volume-helpers.js';
import { parseQuantity } from '../../../machinery/quantity.js';

export interface ResizeContext {
  claims: ResourceClient;
  volumes: ResourceClient;
  recorder: EventRecorder;
}

export async function expandClaim(
  ctx: ResizeContext,
  claim: PersistentVolumeClaim,
  volume: PersistentVolume,
  sc: StorageClass,
): Promise<void> {
  if (sc.allowVolumeExpansion !== true) return;
  const request = claimRequest(claim);
  const statusStorage = claim.status?.capacity?.['storage'];
  if (!request || statusStorage === undefined) return;
  if (parseQuantity(String(statusStorage)).cmp(request) >= 0) return;
  const wanted = claim.spec?.resources?.requests?.['storage'] ?? '';
  const capacity = volumeCapacity(volume);
  if (!capacity || capacity.cmp(request) < 0) {
    ctx.recorder.event(claim, 'Normal', 'Resizing', `External resizer is resizing volume ${volume.metadata.name}`);
    const next = cloneJson(volume);
    next.spec = { ...next.spec, capacity: { ...next.spec?.capacity, storage: wanted } };
    await ctx.volumes.update('', next);
  }
  const grown = cloneJson(claim);
  grown.status = { ...grown.status, capacity: { ...grown.status?.capacity, storage: wanted } };
  const updated = await ctx.claims.updateStatus(claim.metadata.namespace ?? '', grown);
  ctx.recorder.event(updated, 'Normal', 'VolumeResizeSuccessful', 'Resize volume succeeded');
}
