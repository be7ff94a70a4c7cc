/**
 * The PersistentVolumeClaim quota evaluator (pkg/quota/v1/evaluator/core/persistent_volume_claims.go):
 * `persistentvolumeclaims`, `count/persistentvolumeclaims`, `requests.storage` (the larger of the
 * request and the allocated size) and the same per storage class as
 * `<class>.storageclass.storage.k8s.io/requests.storage` and `…/persistentvolumeclaims`.
 */
import { asObj } from '../api/core/access.js';
import { claimClass, type PersistentVolumeClaim } from '../api/storage/volume-helpers.js';
import { newQuantity } from '../machinery/quantity.js';
import type { Evaluator } from './interface.js';
import { parseResourceList, type ResourceList } from './resources.js';

export const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const CLAIM_RESOURCES = new Set(['persistentvolumeclaims', 'count/persistentvolumeclaims', 'requests.storage']);

export const persistentVolumeClaimEvaluator: Evaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  handles: (operation) => operation === 'CREATE' || operation === 'UPDATE',
  matchingResources: (names) =>
    names.filter(
      (n) =>
        CLAIM_RESOURCES.has(n) ||
        n.endsWith(`${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`) ||
        n.endsWith(`${STORAGE_CLASS_SUFFIX}requests.storage`),
    ),
  usage(pvc) {
    const result: ResourceList = new Map([
      ['persistentvolumeclaims', newQuantity(1)],
      ['count/persistentvolumeclaims', newQuantity(1)],
    ]);
    const storageClass = claimClass(pvc as PersistentVolumeClaim);
    if (storageClass) result.set(`${storageClass}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, newQuantity(1));
    const requested = parseResourceList(asObj(asObj(pvc['spec'])?.['resources'])?.['requests']).get('storage');
    const allocated = parseResourceList(asObj(pvc['status'])?.['allocatedResources']).get('storage');
    const storage = requested && allocated ? (allocated.cmp(requested) > 0 ? allocated : requested) : (requested ?? allocated);
    if (storage) {
      result.set('requests.storage', storage);
      if (storageClass) result.set(`${storageClass}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
    }
    return result;
  },
  constraints: () => undefined,
  matchesScope: () => false,
};
