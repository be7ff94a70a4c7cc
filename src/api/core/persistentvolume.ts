/** PersistentVolumes and claims (pkg/registry/core/persistentvolume, persistentvolumeclaim). */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { forbidden, invalid, newPath, notSupported, required, type FieldPath } from '../../machinery/validation/field.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';
import { parseQuantity } from '../../machinery/quantity.js';
import { arr, asObj, child, part, setDefault, str, type Obj } from './access.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { validateDNS1123Subdomain } from './pod-validation.js';
import { readQuantity, validateQuantityValue } from './resource-validation.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, describe } from './printer-columns.js';
import { cloneJson } from '../../machinery/clone.js';
import { rfc3339 } from '../../machinery/time.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_SOURCES = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'hostPath',
  'glusterfs',
  'nfs',
  'rbd',
  'iscsi',
  'cinder',
  'cephfs',
  'fc',
  'flocker',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'local',
  'storageos',
  'csi',
];
const NOT_POSITIVE = 'must be greater than zero';
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

function validateAccessModes(spec: Obj, path: FieldPath, detail: string): FieldError[] {
  const modes = arr(spec['accessModes']).map(str);
  if (modes.length === 0) return [required(path, detail)];
  const errs = modes.filter((m) => !ACCESS_MODES.includes(m)).map((m) => notSupported(path, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validatePositiveStorage(v: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const q = readQuantity(v, path, errs);
  if (!q) return errs;
  if (q.sign() <= 0) return [invalid(path, q.toString(), NOT_POSITIVE)];
  return validateQuantityValue('storage', q, path);
}

function validateCommon(spec: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mode = str(spec['volumeMode']);
  if (mode && !VOLUME_MODES.includes(mode)) errs.push(notSupported(path.child('volumeMode'), mode, VOLUME_MODES));
  const cls = str(spec['storageClassName']);
  if (cls) errs.push(...validateDNS1123Subdomain(cls, path.child('storageClassName')));
  return errs;
}

function validatePV(pv: KubeObject): FieldError[] {
  const spec = part(pv, 'spec');
  const path = newPath('spec');
  const errs = validateAccessModes(spec, path.child('accessModes'), '');
  const capacity = asObj(spec['capacity']) ?? {};
  if (Object.keys(capacity).length === 0) errs.push(required(path.child('capacity')));
  for (const k of Object.keys(capacity)) if (k !== 'storage') errs.push(notSupported(path.child('capacity'), k, ['storage']));
  if (capacity['storage'] !== undefined) errs.push(...validatePositiveStorage(capacity['storage'], path.child('capacity').key('storage')));
  const policy = str(spec['persistentVolumeReclaimPolicy']);
  if (policy && !RECLAIM_POLICIES.includes(policy))
    errs.push(notSupported(path.child('persistentVolumeReclaimPolicy'), policy, RECLAIM_POLICIES));
  const sources = PV_SOURCES.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (sources.length === 0) errs.push(required(path, 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(forbidden(path.child(extra), 'may not specify more than 1 volume type'));
  const hostPath = asObj(spec['hostPath']);
  if (hostPath && !str(hostPath['path'])) errs.push(required(path.child('hostPath', 'path')));
  errs.push(...validateCommon(spec, path));
  return errs;
}

function validatePVUpdate(pv: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePV(pv);
  const spec = part(pv, 'spec');
  const oldSpec = part(old, 'spec');
  const changed = PV_SOURCES.filter((s) => !jsonEqual(spec[s], oldSpec[s]));
  if (changed.length > 0)
    errs.push(forbidden(newPath('spec', 'persistentvolumesource'), 'spec.persistentvolumesource is immutable after creation'));
  errs.push(...validateImmutableField(spec['volumeMode'], oldSpec['volumeMode'], newPath('spec', 'volumeMode')));
  return errs;
}

function pendingStatus(obj: KubeObject): void {
  obj['status'] = { phase: 'Pending' };
}

export const persistentVolumeStrategy: ResourceStrategy = {
  defaults(pv) {
    const spec = child(pv, 'spec');
    setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefault(spec, 'volumeMode', 'Filesystem');
    if (asObj(pv['status'])) setDefault(child(pv, 'status'), 'phase', 'Pending');
  },
  prepareForCreate(pv) {
    pv['status'] = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(Date.now()) };
  },
  validate: validatePV,
  validateUpdate: validatePVUpdate,
  selectableFields: (pv) => ({ name: pv.metadata.name ?? '' }),
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
export function accessModesString(modes: unknown): string {
  const list = arr(modes).map(str);
  const out: string[] = [];
  for (const [mode, short] of [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ] as const) {
    if (list.includes(mode)) out.push(short);
  }
  return out.join(',');
}

function storageClass(obj: KubeObject): string {
  return obj.metadata.annotations?.[BETA_CLASS_ANNOTATION] ?? str(part(obj, 'spec')['storageClassName']);
}

function quantityString(v: unknown): string {
  try {
    return parseQuantity(typeof v === 'number' ? String(v) : str(v) || '0').toString();
  } catch {
    return str(v);
  }
}

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Capacity', 'string', describe('PersistentVolumeSpec', 'capacity')),
    column('Access Modes', 'string', describe('PersistentVolumeSpec', 'accessModes')),
    column('Reclaim Policy', 'string', describe('PersistentVolumeSpec', 'persistentVolumeReclaimPolicy')),
    column('Status', 'string', describe('PersistentVolumeStatus', 'phase')),
    column('Claim', 'string', describe('PersistentVolumeSpec', 'claimRef')),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', describe('PersistentVolumeStatus', 'reason')),
    AGE_COLUMN,
    column('VolumeMode', 'string', describe('PersistentVolumeSpec', 'volumeMode'), 1),
  ],
  row(pv, now) {
    const spec = part(pv, 'spec');
    const status = part(pv, 'status');
    const ref = asObj(spec['claimRef']);
    return [
      pv.metadata.name ?? '',
      quantityString(asObj(spec['capacity'])?.['storage']),
      accessModesString(spec['accessModes']),
      str(spec['persistentVolumeReclaimPolicy']),
      pv.metadata.deletionTimestamp ? 'Terminating' : str(status['phase']),
      ref ? `${str(ref['namespace'])}/${str(ref['name'])}` : '',
      storageClass(pv),
      str(spec['volumeAttributesClassName']) || '<unset>',
      str(status['reason']),
      age(pv.metadata.creationTimestamp, now),
      str(spec['volumeMode']) || '<unset>',
    ];
  },
};

export const PVC_UPDATE_FORBIDDEN_MESSAGE =
  'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

function validatePVC(pvc: KubeObject): FieldError[] {
  const spec = part(pvc, 'spec');
  const path = newPath('spec');
  const errs = validateAccessModes(spec, path.child('accessModes'), 'at least 1 access mode is required');
  const requests = asObj(asObj(spec['resources'])?.['requests']) ?? {};
  if (requests['storage'] === undefined) errs.push(required(path.child('resources').key('storage')));
  else errs.push(...validatePositiveStorage(requests['storage'], path.child('resources', 'requests').key('storage')));
  errs.push(...validateCommon(spec, path));
  return errs;
}

function validatePVCUpdate(pvc: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePVC(pvc);
  const spec: Obj = cloneJson(part(pvc, 'spec'));
  const oldSpec = part(old, 'spec');
  if (!str(oldSpec['volumeName'])) spec['volumeName'] = oldSpec['volumeName'];
  if (part(old, 'status')['phase'] === 'Bound') {
    spec['resources'] = oldSpec['resources'];
    spec['volumeAttributesClassName'] = oldSpec['volumeAttributesClassName'];
  }
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  if (!jsonEqual(spec, oldSpec)) errs.push(forbidden(newPath('spec'), PVC_UPDATE_FORBIDDEN_MESSAGE));
  return errs;
}

export const persistentVolumeClaimStrategy: ResourceStrategy = {
  defaults(pvc) {
    setDefault(child(pvc, 'spec'), 'volumeMode', 'Filesystem');
    if (asObj(pvc['status'])) setDefault(child(pvc, 'status'), 'phase', 'Pending');
  },
  prepareForCreate: pendingStatus,
  validate: validatePVC,
  validateUpdate: validatePVCUpdate,
  selectableFields: (pvc) => ({ name: pvc.metadata.name ?? '' }),
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', describe('PersistentVolumeClaimStatus', 'phase')),
    column('Volume', 'string', describe('PersistentVolumeClaimSpec', 'volumeName')),
    column('Capacity', 'string', describe('PersistentVolumeClaimStatus', 'capacity')),
    column('Access Modes', 'string', describe('PersistentVolumeClaimStatus', 'accessModes')),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE_COLUMN,
    column('VolumeMode', 'string', describe('PersistentVolumeClaimSpec', 'volumeMode'), 1),
  ],
  row(pvc, now) {
    const spec = part(pvc, 'spec');
    const status = part(pvc, 'status');
    const bound = str(spec['volumeName']) !== '';
    return [
      pvc.metadata.name ?? '',
      pvc.metadata.deletionTimestamp ? 'Terminating' : str(status['phase']),
      str(spec['volumeName']),
      bound ? quantityString(asObj(status['capacity'])?.['storage']) : '',
      bound ? accessModesString(status['accessModes']) : '',
      storageClass(pvc),
      str(spec['volumeAttributesClassName']) || '<unset>',
      age(pvc.metadata.creationTimestamp, now),
      str(spec['volumeMode']) || '<unset>',
    ];
  },
};
