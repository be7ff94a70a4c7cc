/**
 * PersistentVolumeClaimResize admission (upstream plugin/pkg/admission/storage/
 * persistentvolume/resize): a bound claim may ask for more storage only when its StorageClass
 * allows volume expansion.
 */
import { newForbidden } from '../../machinery/errors.js';
import { parseQuantity } from '../../machinery/quantity.js';
import { claimClass, type PersistentVolumeClaim, type StorageClass } from '../../api/storage/volume-helpers.js';
import type { WatchCache } from '../watch/cache.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const NOT_EXPANDABLE = 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';

function requested(claim: PersistentVolumeClaim | undefined): ReturnType<typeof parseQuantity> | undefined {
  const v = claim?.spec?.resources?.requests?.['storage'];
  try {
    return v === undefined ? undefined : parseQuantity(String(v));
  } catch {
    return undefined;
  }
}

export class PersistentVolumeClaimResize implements AdmissionPlugin {
  readonly name = 'PersistentVolumeClaimResize';
  readonly #classes: () => WatchCache | undefined;

  /** `classes` gives the storageclasses' watch cache. */
  constructor(classes: () => WatchCache | undefined) {
    this.#classes = classes;
  }

  validate(attrs: AdmissionAttributes): void {
    const { type } = attrs;
    if (attrs.operation !== 'UPDATE' || type.group !== '' || type.plural !== 'persistentvolumeclaims' || attrs.subresource) return;
    const claim = attrs.object as PersistentVolumeClaim | undefined;
    const old = attrs.oldObject as PersistentVolumeClaim | undefined;
    const want = requested(claim);
    const had = requested(old);
    if (!claim || !want || !had || want.cmp(had) <= 0 || old?.status?.phase !== 'Bound') return;
    const cache = this.#classes();
    const name = claimClass(claim);
    const sc = name && cache ? (cache.get(`${cache.prefix}${name}`) as StorageClass | undefined) : undefined;
    if (sc?.allowVolumeExpansion !== true)
      throw newForbidden({ group: '', resource: 'persistentvolumeclaims' }, attrs.name, NOT_EXPANDABLE);
  }
}
