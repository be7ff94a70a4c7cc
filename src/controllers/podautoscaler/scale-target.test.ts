import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { ScaleTargets } from './scale-target.js';

const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

test('resolves the apps kinds, ReplicationController and custom resources with a served version', async () => {
  const cluster = new FakeClientset();
  cluster.tracker.put(CRDS, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: { group: 'stable.example.com', names: { kind: 'CronTab', plural: 'crontabs' }, versions: [{ name: 'v1', served: true }] },
  });
  const targets = new ScaleTargets(cluster);
  assert.deepEqual(await targets.resourceFor({ apiVersion: 'apps/v1', kind: 'StatefulSet' }), {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
  });
  assert.equal((await targets.resourceFor({ apiVersion: 'v1', kind: 'ReplicationController' })).resource, 'replicationcontrollers');
  assert.deepEqual(await targets.resourceFor({ apiVersion: 'stable.example.com/v1', kind: 'CronTab' }), {
    group: 'stable.example.com',
    version: 'v1',
    resource: 'crontabs',
  });
  await assert.rejects(
    targets.resourceFor({ apiVersion: 'stable.example.com/v2', kind: 'CronTab' }),
    /no matches for kind "CronTab" in group "stable.example.com"/,
  );
  await assert.rejects(targets.resourceFor({ apiVersion: 'apps/v1', kind: 'Nope' }), /no matches for kind "Nope" in group "apps"/);
});

test('reads and writes the scale subresource', async () => {
  const cluster = new FakeClientset();
  const gvr = { group: 'stable.example.com', version: 'v1', resource: 'crontabs' };
  cluster.tracker.put(gvr, {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'c', namespace: 'ns' },
    spec: { replicas: 2 },
    status: { replicas: 2, selector: 'app=c' },
  });
  cluster.tracker.put(CRDS, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: { group: 'stable.example.com', names: { kind: 'CronTab', plural: 'crontabs' }, versions: [{ name: 'v1', served: true }] },
  });
  const targets = new ScaleTargets(cluster);
  const { scale } = await targets.get('ns', { apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'c' });
  assert.deepEqual([scale['spec'], scale['status']], [{ replicas: 2 }, { replicas: 2, selector: 'app=c' }]);
  await targets.update('ns', gvr, { ...scale, spec: { replicas: 5 } });
  assert.deepEqual(cluster.tracker.get(gvr, 'ns', 'c')?.['spec'], { replicas: 5 });
});
