/**
 * What the PV controller, the scheduler's VolumeBinding plugin, the DefaultStorageClass admission
 * and the provisioners share about PersistentVolumes, claims and StorageClasses (upstream
 * k8s.io/component-helpers/storage/volume): the annotations, a claim's class, the binding mode,
 * the default class, and FindMatchingVolume — the smallest volume that satisfies a claim.
 */
import type { KubeObject } from '../../machinery/object.js';
import { labelSelectorFromMeta, type LabelSelector } from '../../machinery/labels.js';
import { parseQuantity, type Quantity } from '../../machinery/quantity.js';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
/** The provisioner name of classes whose volumes are made by hand (local PVs). */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface NodeSelectorTerm {
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
  matchFields?: { key: string; operator: string; values?: string[] }[];
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    claimRef?: ObjectReference | null;
    persistentVolumeReclaimPolicy?: 'Retain' | 'Delete' | 'Recycle';
    storageClassName?: string;
    volumeMode?: string;
    nodeAffinity?: { required?: { nodeSelectorTerms: NodeSelectorTerm[] } };
    hostPath?: { path: string; type?: string };
    local?: { path: string };
    nfs?: { server: string; path: string; readOnly?: boolean };
    mountOptions?: string[];
    [field: string]: unknown;
  };
  status?: { phase?: string; message?: string; reason?: string; lastPhaseTransitionTime?: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: {
    accessModes?: string[];
    selector?: LabelSelector | null;
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    volumeName?: string;
    storageClassName?: string | null;
    volumeMode?: string;
    [field: string]: unknown;
  };
  status?: {
    phase?: string;
    accessModes?: string[];
    capacity?: Record<string, string>;
    conditions?: unknown[];
    [field: string]: unknown;
  };
}

export interface StorageClass extends KubeObject {
  provisioner?: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: 'Retain' | 'Delete';
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
  allowedTopologies?: { matchLabelExpressions?: { key: string; values: string[] }[] }[];
}

/** GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName. */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? '';
}

/** GetPersistentVolumeClass. */
export function volumeClass(volume: PersistentVolume): string {
  return volume.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? volume.spec?.storageClassName ?? '';
}

/** IsDelayBindingMode: the claim's class binds WaitForFirstConsumer. */
export function isDelayBindingMode(claim: PersistentVolumeClaim, classOf: (name: string) => StorageClass | undefined): boolean {
  const name = claimClass(claim);
  if (!name) return false;
  return classOf(name)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** IsDefaultAnnotation. */
export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[ANN_DEFAULT_CLASS] === 'true' || a[ANN_BETA_DEFAULT_CLASS] === 'true';
}

/** GetDefaultClass: of several default classes the newest (then the first by name) wins. */
export function defaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter(isDefaultClass);
  defaults.sort((a, b) => {
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta > tb ? -1 : 1;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
  return defaults[0];
}

function storageOf(resources: Record<string, string> | undefined): Quantity | undefined {
  const v = resources?.['storage'];
  if (v === undefined) return undefined;
  try {
    return parseQuantity(String(v));
  } catch {
    return undefined;
  }
}

export function claimRequest(claim: PersistentVolumeClaim): Quantity | undefined {
  return storageOf(claim.spec?.resources?.requests);
}

export function volumeCapacity(volume: PersistentVolume): Quantity | undefined {
  return storageOf(volume.spec?.capacity);
}

/** CheckAccessModes: every mode the claim asks for is one the volume has. */
export function volumeHasAccessModes(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const have = new Set(volume.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m) => have.has(m));
}

/** CheckVolumeModeMismatches (volumeMode defaults to Filesystem on both). */
export function volumeModeMismatch(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  return (volume.spec?.volumeMode || 'Filesystem') !== (claim.spec?.volumeMode || 'Filesystem');
}

/** IsVolumeBoundToClaim: the volume's claimRef names this claim (and its UID, when set). */
export function isVolumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/**
 * checkVolumeSatisfyClaim: why a volume cannot serve a claim ("" when it can) — capacity, mode,
 * class, access modes, as upstream words it in VolumeMismatch events.
 */
export function volumeSatisfyClaimError(volume: PersistentVolume, claim: PersistentVolumeClaim): string {
  const request = claimRequest(claim);
  const capacity = volumeCapacity(volume);
  if (request && (!capacity || capacity.cmp(request) < 0)) return 'requested PV is too small';
  if (claimClass(claim) !== volumeClass(volume)) return 'storageClassName does not match';
  if (volumeModeMismatch(volume, claim)) return 'incompatible volumeMode';
  if (!volumeHasAccessModes(volume, claim)) return 'incompatible accessMode';
  return '';
}

export interface FindMatchingVolumeOptions {
  /** The claim's class binds WaitForFirstConsumer: unbound volumes are left to the scheduler. */
  delayBinding: boolean;
  /** With a node (the scheduler's case): whether the volume's node affinity admits it. */
  fitsNode?: (volume: PersistentVolume) => boolean;
  /** Volumes already chosen for other claims in this decision (the scheduler's assumed bindings). */
  excluded?: ReadonlySet<string>;
}

/**
 * FindMatchingVolume: a volume pre-bound to this claim wins; otherwise the smallest available
 * volume of the claim's class, mode, access modes and selector that is big enough.
 */
export function findMatchingVolume(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  options: FindMatchingVolumeOptions,
): PersistentVolume | undefined {
  const request = claimRequest(claim);
  let selector: ReturnType<typeof labelSelectorFromMeta> | undefined;
  try {
    selector = claim.spec?.selector ? labelSelectorFromMeta(claim.spec.selector) : undefined;
  } catch {
    return undefined;
  }
  const wantClass = claimClass(claim);
  let smallest: PersistentVolume | undefined;
  let smallestSize: Quantity | undefined;
  for (const volume of volumes) {
    if (options.excluded?.has(volume.metadata.name ?? '')) continue;
    if (volumeModeMismatch(volume, claim)) continue;
    if (volume.metadata.deletionTimestamp) continue;
    const fits = options.fitsNode ? options.fitsNode(volume) : true;
    if (isVolumeBoundToClaim(volume, claim)) {
      // pre-bound by the user or an earlier (scheduler) decision: only this one will do
      return fits ? volume : undefined;
    }
    if (options.fitsNode === undefined && options.delayBinding) continue;
    if (!fits) continue;
    if (volume.spec?.claimRef) continue;
    const phase = volume.status?.phase;
    if (phase && phase !== 'Available' && phase !== 'Pending') continue;
    if (selector && !selector.matches(volume.metadata.labels)) continue;
    if (volumeClass(volume) !== wantClass) continue;
    if (!volumeHasAccessModes(volume, claim)) continue;
    const capacity = volumeCapacity(volume);
    if (!capacity || (request && capacity.cmp(request) < 0)) continue;
    if (!smallestSize || capacity.cmp(smallestSize) < 0) {
      smallest = volume;
      smallestSize = capacity;
    }
  }
  return smallest;
}
