/**
 * DefaultStorageClass admission (upstream plugin/pkg/admission/storage/storageclass/setdefault):
 * a new claim that names no class (neither spec.storageClassName nor the beta annotation; ""
 * is a choice: no class) gets the default StorageClass — of several defaults, the newest.
 */
import { ANN_BETA_STORAGE_CLASS, defaultClass, type StorageClass } from '../../api/storage/volume-helpers.js';
import type { WatchCache } from '../watch/cache.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

export class DefaultStorageClassAdmission implements AdmissionPlugin {
  readonly name = 'DefaultStorageClass';
  readonly #classes: () => WatchCache | undefined;

  /** `classes` gives the storageclasses' watch cache. */
  constructor(classes: () => WatchCache | undefined) {
    this.#classes = classes;
  }

  admit(attrs: AdmissionAttributes): void {
    const { type, object } = attrs;
    if (attrs.operation !== 'CREATE' || type.group !== '' || type.plural !== 'persistentvolumeclaims' || attrs.subresource || !object)
      return;
    const spec = (object['spec'] ??= {}) as { storageClassName?: string | null };
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
    if (object.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined) return;
    const cache = this.#classes();
    if (!cache) return;
    const def = defaultClass(cache.list(cache.prefix) as StorageClass[]);
    if (def) spec.storageClassName = def.metadata.name ?? '';
  }
}
