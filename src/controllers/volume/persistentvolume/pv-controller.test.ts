import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../../client/testing/fake-informers.js';
import { FakeQueue } from '../../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../../client/testing/fake-recorder.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/storage/volume-helpers.js';
import { PersistentVolumeController } from './pv-controller.js';
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, STORAGE_CLASSES } from './resources.js';

function setup() {
  const cluster = new FakeClientset();
  const queues: FakeQueue[] = [];
  const recorder = new FakeRecorder();
  const ctrl = new PersistentVolumeController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    recorder,
    newQueue: () => {
      const q = new FakeQueue();
      queues.push(q);
      return q;
    },
    now: cluster.clock.now,
  });
  const [volumeQueue, claimQueue] = queues as [FakeQueue, FakeQueue];
  /** Syncs both queues until both are empty. */
  const settle = async () => {
    for (let i = 0; i < 200 && (volumeQueue.length > 0 || claimQueue.length > 0); i++) {
      if (volumeQueue.length > 0) await ctrl.syncVolumeKey(volumeQueue.pop()!);
      if (claimQueue.length > 0) await ctrl.syncClaimKey(claimQueue.pop()!);
    }
  };
  const pv = (name: string) => cluster.tracker.get(PERSISTENT_VOLUMES, '', name) as PersistentVolume;
  const pvc = (name: string) => cluster.tracker.get(PERSISTENT_VOLUME_CLAIMS, 'default', name) as PersistentVolumeClaim;
  const events = () => recorder.events.map((e) => `${e.type} ${e.reason} ${e.message}`);
  return { cluster, ctrl, settle, pv, pvc, events };
}

function volume(
  name: string,
  size: string,
  extra: Partial<NonNullable<PersistentVolume['spec']>> = {},
  labels?: Record<string, string>,
): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
      hostPath: { path: `/tmp/${name}` },
      ...extra,
    },
    status: { phase: 'Pending' },
  };
}

function claim(name: string, size: string, extra: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
      volumeMode: 'Filesystem',
      storageClassName: '',
      ...extra,
    },
    status: { phase: 'Pending' },
  };
}

test('a claim binds the smallest volume that fits its size, access modes, class and selector', async () => {
  const { cluster, settle, pv, pvc } = setup();
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('big', '10Gi'));
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('small', '1Gi'));
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('fit', '2Gi'));
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('rox', '2Gi', { accessModes: ['ReadOnlyMany'] }));
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('fast', '2Gi', { storageClassName: 'fast' }));
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('labelled', '5Gi', {}, { tier: 'gold' }));
  const c = cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('data', '1500Mi'));
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('gold', '1Gi', { selector: { matchLabels: { tier: 'gold' } } }));
  await settle();
  assert.equal(pvc('data').spec?.volumeName, 'fit');
  assert.equal(pvc('data').status?.phase, 'Bound');
  assert.deepEqual(pvc('data').status?.capacity, { storage: '2Gi' });
  assert.equal(pvc('data').metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  assert.equal(pvc('data').metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.equal(pv('fit').status?.phase, 'Bound');
  assert.equal(pv('fit').spec?.claimRef?.uid, c.metadata.uid);
  assert.equal(pv('fit').metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.equal(pvc('gold').spec?.volumeName, 'labelled');
  for (const name of ['big', 'small', 'rox', 'fast']) assert.equal(pv(name).status?.phase, 'Available', name);
});

test('unbindable claims stay Pending with upstream events', async () => {
  const { cluster, settle, pvc, events } = setup();
  cluster.tracker.put(STORAGE_CLASSES, {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'wait' },
    provisioner: 'k8ts.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  cluster.tracker.put(STORAGE_CLASSES, {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'ext' },
    provisioner: 'example.com/nas',
    volumeBindingMode: 'Immediate',
  });
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('none', '1Gi'));
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('wffc', '1Gi', { storageClassName: 'wait' }));
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('ext', '1Gi', { storageClassName: 'ext' }));
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('missing', '1Gi', { storageClassName: 'nope' }));
  await settle();
  for (const n of ['none', 'wffc', 'ext', 'missing']) assert.equal(pvc(n).status?.phase, 'Pending', n);
  assert.equal(pvc('ext').metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'example.com/nas');
  assert.equal(pvc('wffc').metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], undefined);
  const got = events();
  assert.ok(
    got.includes('Normal FailedBinding no persistent volumes available for this claim and no storage class is set'),
    got.join('\n'),
  );
  assert.ok(got.includes('Normal WaitForFirstConsumer waiting for first consumer to be created before binding'));
  assert.ok(
    got.some((e) =>
      e.startsWith("Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'example.com/nas'"),
    ),
  );
  assert.ok(got.includes('Warning ProvisioningFailed storageclass.storage.k8s.io "nope" not found'));
});

test('a claim naming its volume binds it, or says why not', async () => {
  const { cluster, settle, pv, pvc, events } = setup();
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('mysql-pv', '2Gi', { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }));
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('tiny', '100Mi'));
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('mysql-pvc', '1Gi', { volumeName: 'mysql-pv' }));
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('too-big', '1Gi', { volumeName: 'tiny' }));
  await settle();
  assert.equal(pvc('mysql-pvc').status?.phase, 'Bound');
  assert.equal(pvc('mysql-pvc').metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);
  assert.equal(pv('mysql-pv').spec?.claimRef?.name, 'mysql-pvc');
  assert.equal(pvc('too-big').status?.phase, 'Pending');
  assert.ok(events().includes('Warning VolumeMismatch Cannot bind to requested volume "tiny": requested PV is too small'));
});

test('a volume pre-bound to a claim name waits for that claim only', async () => {
  const { cluster, settle, pv, pvc } = setup();
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('reserved', '1Gi', { claimRef: { namespace: 'default', name: 'mine' } }));
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('other', '1Gi'));
  await settle();
  assert.equal(pv('reserved').status?.phase, 'Available');
  assert.equal(pvc('other').status?.phase, 'Pending');
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('mine', '1Gi'));
  await settle();
  assert.equal(pvc('mine').spec?.volumeName, 'reserved');
  assert.equal(pv('reserved').status?.phase, 'Bound');
});

test('reclaim: Retain keeps a Released volume, Delete without a provisioner and Recycle fail', async () => {
  const { cluster, settle, pv, pvc, events } = setup();
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('keep', '1Gi', { storageClassName: 'a' }));
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('del', '1Gi', { storageClassName: 'b', persistentVolumeReclaimPolicy: 'Delete' }));
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('rec', '1Gi', { storageClassName: 'c', persistentVolumeReclaimPolicy: 'Recycle' }));
  for (const [n, cls] of [
    ['ca', 'a'],
    ['cb', 'b'],
    ['cc', 'c'],
  ] as const)
    cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim(n, '1Gi', { storageClassName: cls }));
  await settle();
  assert.equal(pvc('ca').status?.phase, 'Bound');
  for (const n of ['ca', 'cb', 'cc']) cluster.tracker.remove(PERSISTENT_VOLUME_CLAIMS, 'default', n);
  await settle();
  assert.equal(pv('keep').status?.phase, 'Released');
  assert.equal(pv('del').status?.phase, 'Failed');
  assert.equal(pv('rec').status?.phase, 'Failed');
  assert.ok(
    events().includes(
      'Warning VolumeFailedDelete error getting deleter volume plugin for volume "del": no deletable volume plugin matched',
    ),
  );
  assert.ok(events().includes('Warning VolumeFailedRecycle No recycler plugin found for the volume!'));
  // a Released volume is not bound again to a new claim of the same name
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('ca', '1Gi', { storageClassName: 'a' }));
  await settle();
  assert.equal(pvc('ca').status?.phase, 'Pending');
  assert.equal(pv('keep').status?.phase, 'Released');
});

test('a bound claim whose volume is deleted is Lost', async () => {
  const { cluster, settle, pvc, events } = setup();
  cluster.tracker.put(PERSISTENT_VOLUMES, volume('v', '1Gi'));
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, claim('c', '1Gi'));
  await settle();
  assert.equal(pvc('c').status?.phase, 'Bound');
  cluster.tracker.remove(PERSISTENT_VOLUMES, '', 'v');
  await settle();
  assert.equal(pvc('c').status?.phase, 'Lost');
  assert.ok(events().includes('Warning ClaimLost Bound claim has lost its PersistentVolume. Data on the volume is lost!'));
});
