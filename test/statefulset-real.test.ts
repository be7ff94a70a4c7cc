/**
 * A StatefulSet on a real node (`k8ts server --runtime containerd` in a network namespace) with a
 * volumeClaimTemplate of the default class (local-path): the claim binds when web-0 is
 * scheduled, the pod writes into it, and after web-0 is deleted the new web-0 mounts the same
 * claim and finds the file. Skipped with the reason when root or the packages are missing (under
 * CI=true that fails instead).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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
const STATEFUL_SETS = { group: 'apps', version: 'v1', resource: 'statefulsets' };

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let client: HttpsClientset;

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: 'k8ts-sts-node', clusterCIDR: '10.231.0.0/16', netns: { subnet: '10.231.255.0/30' } });
  client = node.client;
});

after(async () => {
  if (!node) return;
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

/** Each start of a pod appends its UID (from the downward API) and its hostname to /data/starts. */
const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    serviceName: 'web',
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'main',
            image: BUSYBOX_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', 'echo "$POD_UID $(hostname)" >> /data/starts; exec sleep 3600'],
            env: [{ name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } }],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
      },
    },
    volumeClaimTemplates: [
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } } },
    ],
  },
};

const gone = (get: () => Promise<unknown>) =>
  get().then(
    () => false,
    () => true,
  );

describe('a StatefulSet on a real node', { skip, timeout: 240_000 }, () => {
  it('gives a recreated pod the claim, and the file, of the pod before it', async () => {
    const pods = client.resource(PODS);
    const claims = client.resource(PVCS);
    await client.resource(STATEFUL_SETS).create('default', web);
    await eventually(
      'claim data-web-0 Bound',
      async () => status(await claims.get('default', 'data-web-0').catch(() => undefined))['phase'] === 'Bound',
      90_000,
    );
    const claim = await claims.get('default', 'data-web-0');
    assert.equal((claim['spec'] as { storageClassName?: string }).storageClassName, 'local-path');
    const dir = join((node as RealNodeServer).dataDir, 'storage', `pvc-${claim.metadata.uid}_default_data-web-0`);
    const starts = () =>
      readFile(join(dir, 'starts'), 'utf8').then(
        (s) => s.trim().split('\n'),
        () => [],
      );
    const first = await pods.get('default', 'web-0');
    await eventually('web-0 wrote its start', async () => (await starts()).length === 1, 90_000);
    assert.deepEqual(await starts(), [`${first.metadata.uid} web-0`]);

    await pods.delete('default', 'web-0', { gracePeriodSeconds: 0 });
    let second: KubeObject | undefined;
    await eventually(
      'a new web-0 Running',
      async () => {
        second = await pods.get('default', 'web-0').catch(() => undefined);
        return second !== undefined && second.metadata.uid !== first.metadata.uid && status(second)['phase'] === 'Running';
      },
      90_000,
    );
    await eventually('the new web-0 wrote beside the old one', async () => (await starts()).length === 2, 90_000);
    assert.deepEqual(await starts(), [`${first.metadata.uid} web-0`, `${second?.metadata.uid} web-0`]);
    assert.equal((await claims.get('default', 'data-web-0')).metadata.uid, claim.metadata.uid, 'the same claim');

    await client.resource(STATEFUL_SETS).delete('default', 'web');
    await eventually('web-0 gone', () => gone(() => pods.get('default', 'web-0')), 60_000);
    await claims.delete('default', 'data-web-0');
    await eventually('the claim gone', () => gone(() => claims.get('default', 'data-web-0')), 60_000);
  });
});
