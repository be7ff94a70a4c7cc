/**
 * The default StorageClass on a real node (`k8ts server --runtime containerd` in a network
 * namespace): a claim of local-path binds once its busybox pod is scheduled, the pod's file is
 * in DATA/storage/pvc-<uid>_<ns>_<name> on the node, a second pod with the same claim finds it,
 * and deleting the claim deletes the PV and the directory (reclaim Delete).
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../src/machinery/object.js';
import { status } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const PVS = { group: '', version: 'v1', resource: 'persistentvolumes' };
const NODE = 'k8ts-storage-node';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let client: HttpsClientset;

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: NODE, clusterCIDR: '10.233.0.0/16', netns: { subnet: '10.233.255.0/30' } });
  client = node.client;
});

after(async () => {
  if (!node) return;
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

/** A pod that writes /data/hello the first time and copies it to /data/seen when it finds it. */
function writer(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'main',
          image: BUSYBOX_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: [
            'sh',
            '-c',
            `if [ -f /data/hello ]; then cp /data/hello /data/seen-by-${name}; else echo "from ${name}" > /data/hello; fi; exec sleep 3600`,
          ],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
    },
  };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function deletePod(name: string): Promise<void> {
  await client.resource(PODS).delete('default', name, { gracePeriodSeconds: 0 });
  await eventually(
    `pod ${name} gone`,
    () =>
      client
        .resource(PODS)
        .get('default', name)
        .then(
          () => false,
          () => true,
        ),
    60_000,
  );
}

describe('local-path volumes on a real node', { skip, timeout: 240_000 }, () => {
  it('keeps a pod’s file in its claim’s directory across pods, and deletes it with the claim', async () => {
    const claims = client.resource(PVCS);
    const claim = await claims.create('default', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } },
    });
    assert.equal((claim['spec'] as { storageClassName?: string }).storageClassName, 'local-path');
    const uid = claim.metadata.uid ?? '';
    const dir = join((node as RealNodeServer).dataDir, 'storage', `pvc-${uid}_default_data`);

    await client.resource(PODS).create('default', writer('first'));
    await eventually('claim data Bound', async () => status(await claims.get('default', 'data'))['phase'] === 'Bound', 90_000);
    const pv = await client.resource(PVS).get('', `pvc-${uid}`);
    assert.deepEqual((pv['spec'] as { hostPath?: unknown }).hostPath, { path: dir, type: 'DirectoryOrCreate' });
    await eventually('/data/hello on the node', () => exists(join(dir, 'hello')), 90_000);
    assert.equal(await readFile(join(dir, 'hello'), 'utf8'), 'from first\n');

    await deletePod('first');
    await client.resource(PODS).create('default', writer('second'));
    await eventually('the second pod found the first one’s file', () => exists(join(dir, 'seen-by-second')), 90_000);
    assert.equal(await readFile(join(dir, 'seen-by-second'), 'utf8'), 'from first\n');

    await deletePod('second');
    await claims.delete('default', 'data');
    await eventually(
      'the PV deleted',
      () =>
        client
          .resource(PVS)
          .get('', `pvc-${uid}`)
          .then(
            () => false,
            () => true,
          ),
      60_000,
    );
    assert.equal(await exists(dir), false, `${dir} removed`);
  });
});
