/** storage.k8s.io/v1 StorageClass: defaults, validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { setDefault, str, strMap } from '../core/access.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { forbidden, invalid, newPath, notSupported, required, tooLong, type FieldError } from '../../machinery/validation/field.js';
import { isQualifiedName } from '../../machinery/validation/formats.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from '../apps/printing.js';
import './types.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;
const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export function defaultStorageClass(obj: KubeObject): void {
  setDefault(obj, 'reclaimPolicy', 'Delete');
  setDefault(obj, 'volumeBindingMode', 'Immediate');
}

/** ValidateStorageClass. */
export function validateStorageClass(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = str(obj['provisioner']);
  if (!provisioner) errs.push(required(newPath('provisioner'), provisioner));
  else for (const m of isQualifiedName(provisioner.toLowerCase())) errs.push(invalid(newPath('provisioner'), provisioner.toLowerCase(), m));
  const params = strMap(obj['parameters']);
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMETERS) errs.push(tooLong(newPath('parameters'), '', MAX_PARAMETERS));
  let size = 0;
  for (const k of keys) {
    if (k.length < 1) errs.push(invalid(newPath('parameters'), k, 'field can not be empty.'));
    size += k.length + (params[k] ?? '').length;
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(tooLong(newPath('parameters'), '', MAX_PARAMETERS_SIZE));
  const reclaim = str(obj['reclaimPolicy']);
  if (reclaim && !RECLAIM_POLICIES.includes(reclaim)) errs.push(notSupported(newPath('reclaimPolicy'), reclaim, RECLAIM_POLICIES));
  const mode = obj['volumeBindingMode'];
  if (mode === undefined || mode === null) errs.push(required(newPath('volumeBindingMode'), ''));
  else if (!BINDING_MODES.includes(str(mode))) errs.push(notSupported(newPath('volumeBindingMode'), mode, BINDING_MODES));
  return errs;
}

/** ValidateStorageClassUpdate: parameters, provisioner, reclaimPolicy and binding mode are fixed. */
export function validateStorageClassUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateStorageClass(obj);
  if (!jsonEqual(obj['parameters'] ?? {}, old['parameters'] ?? {}))
    errs.push(forbidden(newPath('parameters'), 'updates to parameters are forbidden.'));
  if (obj['provisioner'] !== old['provisioner']) errs.push(forbidden(newPath('provisioner'), 'updates to provisioner are forbidden.'));
  if (obj['reclaimPolicy'] !== old['reclaimPolicy'])
    errs.push(forbidden(newPath('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutableField(obj['volumeBindingMode'], old['volumeBindingMode'], newPath('volumeBindingMode')));
  return errs;
}

export const storageClassStrategy: ResourceStrategy = {
  defaults: defaultStorageClass,
  validate: validateStorageClass,
  validateUpdate: validateStorageClassUpdate,
};

const SC = 'io.k8s.api.storage.v1.StorageClass';

export const storageClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Provisioner', 'string', describe(SC, 'provisioner')),
    column('ReclaimPolicy', 'string', describe(SC, 'reclaimPolicy')),
    column('VolumeBindingMode', 'string', describe(SC, 'volumeBindingMode')),
    column('AllowVolumeExpansion', 'string', describe(SC, 'allowVolumeExpansion')),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const annotations = obj.metadata.annotations ?? {};
    const isDefault = DEFAULT_ANNOTATIONS.some((a) => annotations[a] === 'true');
    const name = `${obj.metadata.name ?? ''}${isDefault ? ' (default)' : ''}`;
    return [
      name,
      str(obj['provisioner']),
      str(obj['reclaimPolicy']) || 'Delete',
      str(obj['volumeBindingMode']) || 'Immediate',
      obj['allowVolumeExpansion'] === true,
      objectAge(obj, now),
    ];
  },
};
