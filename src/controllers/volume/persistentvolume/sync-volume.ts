/**
 * syncVolume (pv_controller.go): a volume without a claim is Available; one whose claim is gone
 * is Released and reclaimed by its policy — Retain keeps it, Delete leaves it to the external
 * provisioner that made it (or fails: no in-tree deleters here), Recycle fails (no recycler);
 * one whose claim is bound to it is Bound; one whose claim went elsewhere is unbound.
 */
import {
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  type PersistentVolume,
  type PersistentVolumeClaim,
  volumeModeMismatch,
} from '../../../api/storage/volume-helpers.js';
import { type BinderContext, unbindVolume, updateVolumePhase } from './binder.js';

export interface VolumeSyncContext extends BinderContext {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  enqueueClaim(claim: PersistentVolumeClaim): void;
}

export async function syncVolume(ctx: VolumeSyncContext, volume: PersistentVolume): Promise<void> {
  const ref = volume.spec?.claimRef;
  if (!ref) {
    await updateVolumePhase(ctx, volume, 'Available');
    return;
  }
  if (!ref.uid) {
    // pre-bound by the user to a claim name: the claim's sync finishes the binding
    const claim = ctx.claim(ref.namespace ?? '', ref.name ?? '');
    if (claim) ctx.enqueueClaim(claim);
    await updateVolumePhase(ctx, volume, 'Available');
    return;
  }
  let claim = ctx.claim(ref.namespace ?? '', ref.name ?? '');
  if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
  if (!claim) {
    const phase = volume.status?.phase;
    const released = phase === 'Released' || phase === 'Failed' ? volume : await updateVolumePhase(ctx, volume, 'Released');
    return reclaimVolume(ctx, released);
  }
  const boundTo = claim.spec?.volumeName ?? '';
  if (!boundTo) {
    if (volumeModeMismatch(volume, claim)) {
      ctx.recorder.event(
        volume,
        'Warning',
        'VolumeMismatch',
        `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`,
      );
      return;
    }
    // binding in progress (ours or the scheduler's) or pre-bound by the user: the claim decides
    ctx.enqueueClaim(claim);
    return;
  }
  if (boundTo === volume.metadata.name) {
    await updateVolumePhase(ctx, volume, 'Bound');
    return;
  }
  // the claim is bound to another volume
  const annotations = volume.metadata.annotations ?? {};
  if (annotations[ANN_DYNAMICALLY_PROVISIONED] && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    const released = await updateVolumePhase(ctx, volume, 'Released');
    return reclaimVolume(ctx, released);
  }
  if (annotations[ANN_BOUND_BY_CONTROLLER] === 'yes' || ref.uid) await unbindVolume(ctx, volume);
}

/** reclaimVolume: what the volume's reclaim policy does once its claim is gone. */
async function reclaimVolume(ctx: VolumeSyncContext, volume: PersistentVolume): Promise<void> {
  if (volume.status?.phase === 'Failed') return;
  switch (volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain') {
    case 'Retain':
      return;
    case 'Recycle':
      await updateVolumePhase(ctx, volume, 'Failed', {
        type: 'Warning',
        reason: 'VolumeFailedRecycle',
        message: 'No recycler plugin found for the volume!',
      });
      return;
    case 'Delete':
      // an external provisioner's volume waits for that provisioner to delete it
      if (volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]) return;
      await updateVolumePhase(ctx, volume, 'Failed', {
        type: 'Warning',
        reason: 'VolumeFailedDelete',
        message: `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`,
      });
      return;
  }
}
