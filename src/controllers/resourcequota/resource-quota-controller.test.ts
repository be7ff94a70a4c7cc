import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupVersionResource } from '../../client/interface.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeQueue } from '../../client/testing/fake-queue.js';
import type { KubeObject } from '../../machinery/object.js';
import { RESOURCE_QUOTAS, ResourceQuotaController } from './resource-quota-controller.js';

const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
const CONFIGMAPS: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps' };
const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };

function world() {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const controller = new ResourceQuotaController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
    resources: [
      { gvr: CONFIGMAPS, kind: 'ConfigMap', namespaced: true },
      { gvr: DEPLOYMENTS, kind: 'Deployment', namespaced: true },
    ],
    now: () => new Date(cluster.clock.now()),
  });
  const drain = async () => {
    for (let key = queue.pop(); key !== undefined; key = queue.pop()) await controller.sync(key);
  };
  const status = (name: string) => cluster.tracker.get(RESOURCE_QUOTAS, 'ns', name)?.['status'];
  return { cluster, queue, drain, status };
}

const quota = (name: string, hard: Record<string, string>, spec = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace: 'ns' },
  spec: { hard, ...spec },
});

const pod = (name: string, cpu?: string, phase = 'Running'): KubeObject => ({
  metadata: { name, namespace: 'ns' },
  spec: { containers: [{ name: 'c', ...(cpu ? { resources: { requests: { cpu } } } : {}) }] },
  status: { phase },
});

describe('resource quota controller', () => {
  it('fills status.hard and status.used from the namespace’s objects, scopes applied', async () => {
    const { cluster, drain, status } = world();
    cluster.tracker.put(PODS, pod('a', '100m'));
    cluster.tracker.put(PODS, pod('b'));
    cluster.tracker.put(PODS, pod('done', '1', 'Succeeded'));
    cluster.tracker.put(PODS, { ...pod('other', '1'), metadata: { name: 'other', namespace: 'elsewhere' } });
    cluster.tracker.put(CONFIGMAPS, { metadata: { name: 'cm', namespace: 'ns' } });
    cluster.tracker.put(DEPLOYMENTS, { metadata: { name: 'd', namespace: 'ns' } });
    cluster.tracker.put(SERVICES, { metadata: { name: 's', namespace: 'ns' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    const hard = {
      pods: '10',
      'count/pods': '10',
      'requests.cpu': '2',
      configmaps: '5',
      'count/deployments.apps': '2',
      'services.nodeports': '3',
      'count/widgets.example.com': '1',
    };
    cluster.tracker.put(RESOURCE_QUOTAS, quota('all', hard));
    cluster.tracker.put(RESOURCE_QUOTAS, quota('best-effort', { pods: '10' }, { scopes: ['BestEffort'] }));
    await drain();
    assert.deepEqual(status('all'), {
      hard,
      used: {
        configmaps: '1',
        'count/deployments.apps': '1',
        'count/pods': '3',
        pods: '2',
        'requests.cpu': '100m',
        'services.nodeports': '1',
      },
    });
    assert.deepEqual(status('best-effort'), { hard: { pods: '10' }, used: { pods: '1' } });
  });

  it('recomputes when a pod turns terminal or is deleted and when spec.hard changes, not on its own status writes', async () => {
    const { cluster, queue, drain, status } = world();
    cluster.tracker.put(PODS, pod('a', '100m'));
    cluster.tracker.put(RESOURCE_QUOTAS, quota('q', { pods: '5' }));
    await drain();
    assert.deepEqual(status('q'), { hard: { pods: '5' }, used: { pods: '1' } });
    assert.equal(queue.keys.length, 0, 'its own status update enqueues nothing');
    cluster.tracker.put(PODS, pod('b', '100m'));
    assert.equal(queue.keys.length, 0, 'a new pod is charged by admission');
    cluster.tracker.put(PODS, pod('b', '100m', 'Failed'));
    assert.deepEqual(queue.keys, ['ns/q']);
    await drain();
    assert.deepEqual(status('q'), { hard: { pods: '5' }, used: { pods: '1' } });
    cluster.tracker.remove(PODS, 'ns', 'a');
    await drain();
    assert.deepEqual(status('q'), { hard: { pods: '5' }, used: { pods: '0' } });
    const current = cluster.tracker.get(RESOURCE_QUOTAS, 'ns', 'q') as KubeObject;
    cluster.tracker.put(RESOURCE_QUOTAS, { ...current, spec: { hard: { pods: '5', 'requests.cpu': '1' } } });
    await drain();
    assert.deepEqual(status('q'), { hard: { pods: '5', 'requests.cpu': '1' }, used: { pods: '0', 'requests.cpu': '0' } });
    const writes = cluster.writes('updateStatus').length;
    await drain();
    queue.add('ns/q');
    await drain();
    assert.equal(cluster.writes('updateStatus').length, writes, 'nothing changed, nothing written');
  });

  it('watches what a quota counts once it is synced: deleting one replenishes', async () => {
    const { cluster, queue, drain, status } = world();
    cluster.tracker.put(CONFIGMAPS, { metadata: { name: 'a', namespace: 'ns' } });
    cluster.tracker.put(CONFIGMAPS, { metadata: { name: 'b', namespace: 'ns' } });
    cluster.tracker.put(RESOURCE_QUOTAS, quota('q', { 'count/configmaps': '5' }));
    await drain();
    assert.deepEqual(status('q'), { hard: { 'count/configmaps': '5' }, used: { 'count/configmaps': '2' } });
    cluster.tracker.remove(CONFIGMAPS, 'ns', 'a');
    assert.deepEqual(queue.keys, ['ns/q']);
    await drain();
    assert.deepEqual(status('q'), { hard: { 'count/configmaps': '5' }, used: { 'count/configmaps': '1' } });
  });
});
