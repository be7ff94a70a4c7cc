/**
 * The PV controller's writes (pv_controller.go bind/unbind and the phase updates): a volume's
 * claimRef and phase, a claim's volumeName, annotations and status, each through the API with
 * the object it was read as (a Conflict sends the key back to the queue).
 */
import type { EventRecorder, ResourceClient } from '../../../client/interface.js';
import { cloneJson } from '../../../machinery/clone.js';
import { rfc3339 } from '../../../machinery/time.js';
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  type PersistentVolume,
  type PersistentVolumeClaim,
} from '../../../api/storage/volume-helpers.js';

export interface BinderContext {
  volumes: ResourceClient;
  claims: ResourceClient;
  recorder: EventRecorder;
  now: () => number;
}

function setAnnotation(obj: PersistentVolume | PersistentVolumeClaim, key: string, value: string): void {
  obj.metadata.annotations = { ...obj.metadata.annotations, [key]: value };
}

/** updateVolumePhase(WithEvent): writes status.phase (and message) when it changed. */
export async function updateVolumePhase(
  ctx: BinderContext,
  volume: PersistentVolume,
  phase: string,
  event?: { type: 'Normal' | 'Warning'; reason: string; message: string },
): Promise<PersistentVolume> {
  if (volume.status?.phase === phase) return volume;
  const next = cloneJson(volume);
  next.status = { ...next.status, phase, lastPhaseTransitionTime: rfc3339(ctx.now()) };
  if (event) next.status.message = event.message;
  else delete next.status.message;
  const updated = (await ctx.volumes.updateStatus('', next)) as PersistentVolume;
  if (event) ctx.recorder.event(updated, event.type, event.reason, event.message);
  return updated;
}

/** updateClaimStatus: phase, and with a volume its access modes (and capacity, when becoming Bound). */
export async function updateClaimStatus(
  ctx: BinderContext,
  claim: PersistentVolumeClaim,
  phase: string,
  volume?: PersistentVolume,
): Promise<PersistentVolumeClaim> {
  const next = cloneJson(claim);
  const status = { ...next.status, phase };
  if (volume) {
    status.accessModes = volume.spec?.accessModes ?? [];
    // capacity only as the claim becomes Bound: afterwards a resize owns it (a difference can be intended)
    if (claim.status?.phase !== phase || !status.capacity) status.capacity = { ...volume.spec?.capacity };
  } else if (phase === 'Pending') {
    delete status.accessModes;
    delete status.capacity;
  }
  if (JSON.stringify(status) === JSON.stringify(claim.status ?? {})) return claim;
  next.status = status;
  return (await ctx.claims.updateStatus(claim.metadata.namespace ?? '', next)) as PersistentVolumeClaim;
}

/** bindVolumeToClaim: the volume's claimRef names the claim (with its UID), bound-by-controller when we chose it. */
export async function bindVolumeToClaim(
  ctx: BinderContext,
  volume: PersistentVolume,
  claim: PersistentVolumeClaim,
): Promise<PersistentVolume> {
  const ref = volume.spec?.claimRef;
  const bound = ref?.uid === claim.metadata.uid && ref?.name === claim.metadata.name && ref?.namespace === claim.metadata.namespace;
  if (bound) return volume;
  const next = cloneJson(volume);
  next.spec = {
    ...next.spec,
    claimRef: {
      kind: 'PersistentVolumeClaim',
      namespace: claim.metadata.namespace ?? '',
      name: claim.metadata.name ?? '',
      uid: claim.metadata.uid ?? '',
      apiVersion: 'v1',
      resourceVersion: claim.metadata.resourceVersion ?? '',
    },
  };
  if (!ref) setAnnotation(next, ANN_BOUND_BY_CONTROLLER, 'yes');
  return (await ctx.volumes.update('', next)) as PersistentVolume;
}

/** bindClaimToVolume: the claim's volumeName, bind-completed and (when we chose) bound-by-controller. */
export async function bindClaimToVolume(
  ctx: BinderContext,
  claim: PersistentVolumeClaim,
  volume: PersistentVolume,
): Promise<PersistentVolumeClaim> {
  const name = volume.metadata.name ?? '';
  const annotations = claim.metadata.annotations ?? {};
  const byController = !claim.spec?.volumeName;
  if (claim.spec?.volumeName === name && annotations[ANN_BIND_COMPLETED] === 'yes') return claim;
  const next = cloneJson(claim);
  next.spec = { ...next.spec, volumeName: name };
  setAnnotation(next, ANN_BIND_COMPLETED, 'yes');
  if (byController) setAnnotation(next, ANN_BOUND_BY_CONTROLLER, 'yes');
  return (await ctx.claims.update(claim.metadata.namespace ?? '', next)) as PersistentVolumeClaim;
}

/** bind: volume first (claimRef, phase Bound), then the claim (volumeName, then phase Bound). */
export async function bind(ctx: BinderContext, volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
  let v = await bindVolumeToClaim(ctx, volume, claim);
  v = await updateVolumePhase(ctx, v, 'Bound');
  const c = await bindClaimToVolume(ctx, claim, v);
  await updateClaimStatus(ctx, c, 'Bound', v);
}

/**
 * unbindVolume: a volume we bound loses its claimRef; one the user pre-bound keeps the claim's
 * name but loses the UID (so a new claim of that name can take it). Phase Available.
 */
export async function unbindVolume(ctx: BinderContext, volume: PersistentVolume): Promise<PersistentVolume> {
  const next = cloneJson(volume);
  const annotations = { ...next.metadata.annotations };
  if (annotations[ANN_BOUND_BY_CONTROLLER] === 'yes') {
    next.spec = { ...next.spec, claimRef: null };
    delete annotations[ANN_BOUND_BY_CONTROLLER];
    next.metadata.annotations = annotations;
  } else if (next.spec?.claimRef) {
    next.spec = { ...next.spec, claimRef: { ...next.spec.claimRef, uid: '' } };
  }
  const updated = (await ctx.volumes.update('', next)) as PersistentVolume;
  return updateVolumePhase(ctx, updated, 'Available');
}
