import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceType } from '../../api/resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { WatchCache } from '../watch/cache.js';
import { DefaultStorageClassAdmission } from './default-storage-class.js';
import { PersistentVolumeClaimResize } from './persistent-volume-claim-resize.js';
import { StorageObjectInUseProtection } from './storage-object-in-use-protection.js';

const PVCS = { group: '', version: 'v1', plural: 'persistentvolumeclaims' } as unknown as ResourceType;
const PVS = { group: '', version: 'v1', plural: 'persistentvolumes' } as unknown as ResourceType;

/** The slice of a watch cache the storage admissions read. */
function classes(...items: KubeObject[]): () => WatchCache {
  const cache = {
    prefix: '/registry/storageclasses/',
    list: () => items,
    get: (key: string) => items.find((c) => `/registry/storageclasses/${c.metadata.name}` === key),
  };
  return () => cache as unknown as WatchCache;
}

const sc = (name: string, created: string, isDefault: boolean, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, creationTimestamp: created, annotations: { 'storageclass.kubernetes.io/is-default-class': String(isDefault) } },
  provisioner: 'x',
  ...extra,
});

test('DefaultStorageClass fills the class of new claims that name none, the newest default winning', () => {
  const plugin = new DefaultStorageClassAdmission(
    classes(sc('old', '2024-01-01T00:00:00Z', true), sc('new', '2025-01-01T00:00:00Z', true), sc('plain', '2026-01-01T00:00:00Z', false)),
  );
  const admit = (spec: Record<string, unknown>, annotations?: Record<string, string>) => {
    const object: KubeObject = { metadata: { name: 'c', ...(annotations ? { annotations } : {}) }, spec };
    plugin.admit({ operation: 'CREATE', type: PVCS, namespace: 'ns', name: 'c', subresource: '', object, dryRun: false });
    return (object['spec'] as Record<string, unknown>)['storageClassName'];
  };
  assert.equal(admit({}), 'new');
  assert.equal(admit({ storageClassName: '' }), '', '"" means no class');
  assert.equal(admit({ storageClassName: 'plain' }), 'plain');
  assert.equal(admit({}, { 'volume.beta.kubernetes.io/storage-class': 'plain' }), undefined);
});

test('StorageObjectInUseProtection adds the protection finalizers to new claims and volumes', () => {
  const plugin = new StorageObjectInUseProtection();
  for (const [type, finalizer] of [
    [PVCS, 'kubernetes.io/pvc-protection'],
    [PVS, 'kubernetes.io/pv-protection'],
  ] as const) {
    const object: KubeObject = { metadata: { name: 'x', finalizers: ['mine'] } };
    plugin.admit({ operation: 'CREATE', type, namespace: '', name: 'x', subresource: '', object, dryRun: false });
    assert.deepEqual(object.metadata.finalizers, ['mine', finalizer]);
  }
});

test('PersistentVolumeClaimResize lets a bound claim grow only with allowVolumeExpansion', () => {
  const plugin = new PersistentVolumeClaimResize(classes(sc('grows', '', false, { allowVolumeExpansion: true }), sc('fixed', '', false)));
  const claim = (cls: string, size: string, phase = 'Bound'): KubeObject => ({
    metadata: { name: 'c' },
    spec: { storageClassName: cls, resources: { requests: { storage: size } } },
    status: { phase },
  });
  const update = (cls: string, from: string, to: string, phase?: string) =>
    plugin.validate({
      operation: 'UPDATE',
      type: PVCS,
      namespace: 'ns',
      name: 'c',
      subresource: '',
      object: claim(cls, to),
      oldObject: claim(cls, from, phase),
      dryRun: false,
    });
  update('grows', '1Gi', '2Gi');
  update('fixed', '1Gi', '1Gi');
  update('fixed', '1Gi', '2Gi', 'Pending');
  assert.throws(
    () => update('fixed', '1Gi', '2Gi'),
    /only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize/,
  );
});
