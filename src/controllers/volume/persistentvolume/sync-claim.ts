/**
 * syncClaim (pv_controller.go syncUnboundClaim / syncBoundClaim): a claim without
 * bind-completed looks for its volume — the one it names, or the smallest that fits — and binds
 * it, or waits for its first consumer (WaitForFirstConsumer), or hands it to its class's
 * provisioner; a bound claim follows its volume, and becomes Lost when that is gone.
 */
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  findMatchingVolume,
  isDelayBindingMode,
  isVolumeBoundToClaim,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
  volumeSatisfyClaimError,
} from '../../../api/storage/volume-helpers.js';
import { cloneJson } from '../../../machinery/clone.js';
import { type BinderContext, bind, updateClaimStatus } from './binder.js';

export interface ClaimSyncContext extends BinderContext {
  volume(name: string): PersistentVolume | undefined;
  allVolumes(): PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
  /** Names of the pods of the claim's namespace that use it and are not scheduled yet. */
  unscheduledPodsUsing(claim: PersistentVolumeClaim): string[];
}

const LOST_REFERENCE = 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!';
const LOST_VOLUME = 'Bound claim has lost its PersistentVolume. Data on the volume is lost!';
const MISBOUND = 'Two claims are bound to the same volume, this one is bound incorrectly';
const NO_CLASS = 'no persistent volumes available for this claim and no storage class is set';

export function externalProvisioningMessage(provisioner: string): string {
  return `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;
}

export async function syncClaim(ctx: ClaimSyncContext, claim: PersistentVolumeClaim): Promise<void> {
  if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== 'yes') return syncUnboundClaim(ctx, claim);
  return syncBoundClaim(ctx, claim);
}

async function lost(ctx: ClaimSyncContext, claim: PersistentVolumeClaim, reason: string, message: string): Promise<void> {
  if (claim.status?.phase === 'Lost') return;
  const updated = await updateClaimStatus(ctx, claim, 'Lost');
  ctx.recorder.event(updated, 'Warning', reason, message);
}

async function syncBoundClaim(ctx: ClaimSyncContext, claim: PersistentVolumeClaim): Promise<void> {
  const name = claim.spec?.volumeName ?? '';
  if (!name) return lost(ctx, claim, 'ClaimLost', LOST_REFERENCE);
  const volume = ctx.volume(name);
  if (!volume) return lost(ctx, claim, 'ClaimLost', LOST_VOLUME);
  if (!volume.spec?.claimRef || isVolumeBoundToClaim(volume, claim)) return bind(ctx, volume, claim);
  return lost(ctx, claim, 'ClaimMisbound', MISBOUND);
}

async function pending(
  ctx: ClaimSyncContext,
  claim: PersistentVolumeClaim,
  event?: [type: 'Normal' | 'Warning', reason: string, message: string],
) {
  const updated = await updateClaimStatus(ctx, claim, 'Pending');
  if (event) ctx.recorder.event(updated, ...event);
}

async function syncUnboundClaim(ctx: ClaimSyncContext, claim: PersistentVolumeClaim): Promise<void> {
  const wanted = claim.spec?.volumeName ?? '';
  if (wanted) return syncPreBoundClaim(ctx, claim, wanted);
  const delayBinding = isDelayBindingMode(claim, (n) => ctx.storageClass(n));
  const volume = findMatchingVolume(claim, ctx.allVolumes(), { delayBinding });
  if (volume) return bind(ctx, volume, claim);
  const className = claimClass(claim);
  if (delayBinding && !claim.metadata.annotations?.[ANN_SELECTED_NODE]) {
    const pods = ctx.unscheduledPodsUsing(claim);
    if (pods.length === 0)
      return pending(ctx, claim, ['Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding']);
    const which = pods.length > 1 ? `pods ${pods.join(',')}` : `pod ${pods[0]}`;
    return pending(ctx, claim, ['Normal', 'WaitForPodScheduled', `waiting for ${which} to be scheduled`]);
  }
  if (className) return provisionClaim(ctx, claim, className);
  return pending(ctx, claim, ['Normal', 'FailedBinding', NO_CLASS]);
}

/** The claim names its volume (spec.volumeName): bind to it if it is free or already ours. */
async function syncPreBoundClaim(ctx: ClaimSyncContext, claim: PersistentVolumeClaim, wanted: string): Promise<void> {
  const volume = ctx.volume(wanted);
  if (!volume) return pending(ctx, claim);
  if (!volume.spec?.claimRef) {
    const why = volumeSatisfyClaimError(volume, claim);
    if (why) return pending(ctx, claim, ['Warning', 'VolumeMismatch', `Cannot bind to requested volume "${wanted}": ${why}`]);
    return bind(ctx, volume, claim);
  }
  if (isVolumeBoundToClaim(volume, claim)) return bind(ctx, volume, claim);
  if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== 'yes') {
    return pending(ctx, claim, ['Warning', 'FailedBinding', `volume "${wanted}" already bound to a different claim.`]);
  }
  throw new Error(
    `invalid binding of claim "${claim.metadata.namespace}/${claim.metadata.name}" to volume "${wanted}": volume already claimed by "${volume.spec.claimRef.namespace}/${volume.spec.claimRef.name}"`,
  );
}

/**
 * provisionClaim: no in-tree provisioners here, so every class's provisioner is external — the
 * claim gets the storage-provisioner annotations the provisioner watches for, and an event;
 * names under kubernetes.io/ (e.g. kubernetes.io/no-provisioner) are in-tree plugins we lack.
 */
async function provisionClaim(ctx: ClaimSyncContext, claim: PersistentVolumeClaim, className: string): Promise<void> {
  const sc = ctx.storageClass(className);
  if (!sc) return pending(ctx, claim, ['Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`]);
  const provisioner = sc.provisioner ?? '';
  if (provisioner.startsWith('kubernetes.io/')) {
    return pending(ctx, claim, ['Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`]);
  }
  let current = claim;
  const annotations = claim.metadata.annotations ?? {};
  if (annotations[ANN_STORAGE_PROVISIONER] !== provisioner || annotations[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
    const next = cloneJson(claim);
    next.metadata.annotations = { ...annotations, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner };
    current = (await ctx.claims.update(claim.metadata.namespace ?? '', next)) as PersistentVolumeClaim;
  }
  return pending(ctx, current, ['Normal', 'ExternalProvisioning', externalProvisioningMessage(provisioner)]);
}
