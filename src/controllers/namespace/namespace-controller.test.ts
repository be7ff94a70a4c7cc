import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newForbidden } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { RequeueAfter } from '../../client/workqueue-workers.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeQueue } from '../../client/testing/fake-queue.js';
import type { NamespaceCondition } from './conditions.js';
import { NAMESPACES, NamespaceController } from './namespace-controller.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const CM = { group: '', version: 'v1', resource: 'configmaps' };
const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' };

function setup(terminating = true) {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const ctrl = new NamespaceController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    resources: [PODS, CM, DEPLOY],
    newQueue: () => queue,
    now: cluster.clock.now,
  });
  cluster.tracker.put(NAMESPACES, {
    metadata: { name: 'demo', ...(terminating ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  return { cluster, queue, ctrl };
}

const conditions = (ns: KubeObject | undefined): Record<string, string> =>
  Object.fromEntries(
    ((ns?.['status'] as { conditions?: NamespaceCondition[] })?.conditions ?? []).map((c) => [
      c.type,
      `${c.status} ${c.reason}: ${c.message}`,
    ]),
  );

describe('NamespaceController', () => {
  it('ignores a namespace that is not being deleted', async () => {
    const { cluster, ctrl, queue } = setup(false);
    assert.equal(queue.length, 0, 'only terminating namespaces are queued');
    await ctrl.sync('demo');
    assert.deepEqual(cluster.writes(), []);
  });

  it('deletes the content, reports what remains, then finalizes', async () => {
    const { cluster, ctrl, queue } = setup();
    assert.deepEqual(queue.keys, ['demo']);
    cluster.tracker.put(PODS, { metadata: { name: 'a', namespace: 'demo' }, spec: { terminationGracePeriodSeconds: 30 } });
    cluster.tracker.put(PODS, { metadata: { name: 'b', namespace: 'demo', finalizers: ['example.com/hold'] }, spec: {} });
    cluster.tracker.put(CM, { metadata: { name: 'c', namespace: 'demo' } });
    cluster.tracker.put(CM, { metadata: { name: 'elsewhere', namespace: 'default' } });
    await assert.rejects(ctrl.sync('demo'), (err: unknown) => {
      assert.ok(err instanceof RequeueAfter);
      assert.equal(err.delayMs, 16_000, 'estimate 30 s (pod grace) / 2 + 1');
      return true;
    });
    const ns = cluster.tracker.get(NAMESPACES, '', 'demo');
    assert.equal((ns?.['status'] as { phase?: string } | undefined)?.phase, 'Terminating');
    assert.deepEqual(conditions(ns), {
      NamespaceDeletionDiscoveryFailure: 'False ResourcesDiscovered: All resources successfully discovered',
      NamespaceDeletionGroupVersionParsingFailure: 'False ParsedGroupVersions: All legacy kube types successfully parsed',
      NamespaceDeletionContentFailure: 'False ContentDeleted: All content successfully deleted, may be waiting on finalization',
      NamespaceContentRemaining: 'True SomeResourcesRemain: Some resources are remaining: pods. has 1 resource instances',
      NamespaceFinalizersRemaining: 'True SomeFinalizerRemain: Some finalizers are remaining: example.com/hold in 1 resource instances',
    });
    assert.deepEqual(cluster.writes('delete').sort(), ['delete configmaps demo/c', 'delete pods demo/a', 'delete pods demo/b']);
    assert.equal(cluster.actions.find((a) => a.verb === 'delete')?.options?.propagationPolicy, 'Background');
    assert.ok(cluster.tracker.get(CM, 'default', 'elsewhere'), 'other namespaces are untouched');
    assert.deepEqual(cluster.writes('updateSubresource'), [], 'not finalized while content remains');

    await cluster.resource(PODS).patch('demo', 'b', 'merge', { metadata: { finalizers: null } });
    await ctrl.sync('demo');
    assert.deepEqual(cluster.writes('updateSubresource'), ['updateSubresource namespaces/finalize demo']);
    const body = cluster.actions.find((a) => a.verb === 'updateSubresource')?.body as KubeObject;
    assert.deepEqual(body['spec'], { finalizers: [] });
    assert.equal(cluster.tracker.get(NAMESPACES, '', 'demo'), undefined, 'the server removes a finalized namespace');
  });

  it('reports content that cannot be deleted and retries with backoff', async () => {
    const { cluster, ctrl } = setup();
    cluster.tracker.put(CM, { metadata: { name: 'c', namespace: 'demo' } });
    cluster.reactor = (a) => {
      if (a.verb === 'delete' && a.resource === 'configmaps') throw newForbidden({ group: '', resource: 'configmaps' }, 'c', 'no');
    };
    await assert.rejects(ctrl.sync('demo'), /failed to delete some content/);
    const got = conditions(cluster.tracker.get(NAMESPACES, '', 'demo'));
    assert.match(
      got['NamespaceDeletionContentFailure'] ?? '',
      /^True ContentDeletionFailed: Failed to delete all resource types, 1 remaining: configmaps\.: /,
    );
    assert.match(got['NamespaceContentRemaining'] ?? '', /configmaps\. has 1 resource instances/);
  });

  it('finalizes an empty namespace at once', async () => {
    const { cluster, ctrl } = setup();
    await ctrl.sync('demo');
    assert.deepEqual(cluster.writes(), [
      'updateStatus namespaces demo',
      'updateStatus namespaces demo',
      'updateSubresource namespaces/finalize demo',
    ]);
  });
});
