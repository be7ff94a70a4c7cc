/**
 * StorageObjectInUseProtection admission (upstream plugin/pkg/admission/storage/
 * storageobjectinuseprotection): every new claim gets the kubernetes.io/pvc-protection finalizer
 * and every new volume kubernetes.io/pv-protection, which the protection controllers
 * (src/controllers/volume/protection/) remove once nothing uses the object.
 */
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../../api/storage/volume-helpers.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

export class StorageObjectInUseProtection implements AdmissionPlugin {
  readonly name = 'StorageObjectInUseProtection';

  admit(attrs: AdmissionAttributes): void {
    const { type, object } = attrs;
    if (attrs.operation !== 'CREATE' || type.group !== '' || attrs.subresource || !object) return;
    const finalizer =
      type.plural === 'persistentvolumeclaims'
        ? PVC_PROTECTION_FINALIZER
        : type.plural === 'persistentvolumes'
          ? PV_PROTECTION_FINALIZER
          : '';
    if (!finalizer) return;
    const finalizers = object.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) object.metadata.finalizers = [...finalizers, finalizer];
  }
}
