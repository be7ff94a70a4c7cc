import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../../client/testing/fake-recorder.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/storage/volume-helpers.js';
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, STORAGE_CLASSES } from '../persistentvolume/resources.js';
import type { ProvisionOptions, Provisioner } from './interface.js';
import { ProvisionController } from './provision-controller.js';

/** A provisioner that records what it was asked, for the nodes it serves. */
class RecordingProvisioner implements Provisioner {
  readonly name = 'example.com/dir';
  readonly made: string[] = [];
  readonly deleted: string[] = [];
  servesNode(node: string): boolean {
    return node === 'n1';
  }
  async provision(o: ProvisionOptions) {
    this.made.push(`${o.volumeName}@${o.selectedNode ?? ''}`);
    return { hostPath: { path: `/data/${o.volumeName}` } };
  }
  async delete(v: PersistentVolume): Promise<void> {
    this.deleted.push(v.metadata.name ?? '');
  }
}

function setup() {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const provisioner = new RecordingProvisioner();
  const ctrl = new ProvisionController({ client: cluster, informers: new FakeInformerFactory(cluster), recorder, queue, provisioner });
  cluster.tracker.put(STORAGE_CLASSES, {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'dir' },
    provisioner: 'example.com/dir',
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Delete',
    allowVolumeExpansion: true,
  });
  const claim = (name: string, annotations: Record<string, string>): PersistentVolumeClaim =>
    cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'volume.kubernetes.io/storage-provisioner': 'example.com/dir', ...annotations },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: 'dir',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Pending' },
    }) as PersistentVolumeClaim;
  return { cluster, ctrl, provisioner, recorder, claim, settle: () => drain(queue, (k) => ctrl.sync(k)) };
}

test('provisions a PV pre-bound to a claim once its node is chosen, for the nodes it serves only', async () => {
  const { cluster, provisioner, recorder, claim, settle } = setup();
  claim('waiting', {});
  claim('elsewhere', { 'volume.kubernetes.io/selected-node': 'n2' });
  const c = claim('here', { 'volume.kubernetes.io/selected-node': 'n1' });
  await settle();
  assert.deepEqual(provisioner.made, [`pvc-${c.metadata.uid}@n1`]);
  const pv = cluster.tracker.get(PERSISTENT_VOLUMES, '', `pvc-${c.metadata.uid}`) as PersistentVolume;
  assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'example.com/dir');
  assert.deepEqual(pv.spec?.claimRef?.uid, c.metadata.uid);
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete');
  assert.equal(pv.spec?.storageClassName, 'dir');
  assert.deepEqual(pv.spec?.capacity, { storage: '1Gi' });
  assert.deepEqual(pv.spec?.hostPath, { path: `/data/pvc-${c.metadata.uid}` });
  assert.deepEqual(
    recorder.events.map((e) => `${e.reason} ${e.message}`),
    [
      'Provisioning External provisioner is provisioning volume for claim "default/here"',
      `ProvisioningSucceeded Successfully provisioned volume pvc-${c.metadata.uid}`,
    ],
  );
});

test('deletes the storage and the PV of a Released volume it made, and grows a bound claim', async () => {
  const { cluster, provisioner, claim, settle } = setup();
  const c = claim('here', { 'volume.kubernetes.io/selected-node': 'n1' });
  await settle();
  const name = `pvc-${c.metadata.uid}`;
  // the PV controller binds them
  const pv = cluster.tracker.get(PERSISTENT_VOLUMES, '', name) as PersistentVolume;
  cluster.tracker.put(PERSISTENT_VOLUMES, { ...pv, status: { phase: 'Bound' } });
  const bound = cluster.tracker.get(PERSISTENT_VOLUME_CLAIMS, 'default', 'here') as PersistentVolumeClaim;
  cluster.tracker.put(PERSISTENT_VOLUME_CLAIMS, {
    ...bound,
    spec: { ...bound.spec, volumeName: name, resources: { requests: { storage: '3Gi' } } },
    status: { phase: 'Bound', capacity: { storage: '1Gi' } },
  });
  await settle();
  assert.deepEqual((cluster.tracker.get(PERSISTENT_VOLUMES, '', name) as PersistentVolume).spec?.capacity, { storage: '3Gi' });
  assert.deepEqual((cluster.tracker.get(PERSISTENT_VOLUME_CLAIMS, 'default', 'here') as PersistentVolumeClaim).status?.capacity, {
    storage: '3Gi',
  });
  // Released before this informer heard of the claim's deletion: the deletion brings it back
  const cur = cluster.tracker.get(PERSISTENT_VOLUMES, '', name) as PersistentVolume;
  cluster.tracker.put(PERSISTENT_VOLUMES, { ...cur, status: { phase: 'Released' } });
  await settle();
  assert.deepEqual(provisioner.deleted, []);
  cluster.tracker.remove(PERSISTENT_VOLUME_CLAIMS, 'default', 'here');
  await settle();
  assert.deepEqual(provisioner.deleted, [name]);
  assert.equal(cluster.tracker.get(PERSISTENT_VOLUMES, '', name), undefined);
});
