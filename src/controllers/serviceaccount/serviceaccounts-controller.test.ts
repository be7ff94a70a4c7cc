import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { NAMESPACES, SERVICE_ACCOUNTS, ServiceAccountsController } from './serviceaccounts-controller.js';

function setup() {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const ctrl = new ServiceAccountsController({ client: cluster, informers: new FakeInformerFactory(cluster), newQueue: () => queue });
  const settle = () => drain(queue, (k) => ctrl.sync(k));
  return { cluster, queue, ctrl, settle };
}

describe('ServiceAccountsController', () => {
  const cases = [
    { name: 'active namespace gets a default account', ns: { name: 'a' }, phase: 'Active', want: ['create serviceaccounts a/default'] },
    {
      name: 'terminating namespace gets none',
      ns: { name: 't', deletionTimestamp: '2024-01-01T00:00:00Z' },
      phase: 'Terminating',
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { cluster, settle } = setup();
      cluster.tracker.put(NAMESPACES, { metadata: c.ns, status: { phase: c.phase } });
      await settle();
      assert.deepEqual(cluster.writes(), c.want);
    });
  }

  it('leaves an existing account alone and recreates a deleted one', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(SERVICE_ACCOUNTS, { metadata: { name: 'default', namespace: 'x' } });
    cluster.tracker.put(NAMESPACES, { metadata: { name: 'x' }, status: { phase: 'Active' } });
    await settle();
    assert.deepEqual(cluster.writes(), []);
    await cluster.resource(SERVICE_ACCOUNTS).delete('x', 'default');
    await settle();
    assert.deepEqual(cluster.writes(), ['delete serviceaccounts x/default', 'create serviceaccounts x/default']);
    assert.ok(cluster.tracker.get(SERVICE_ACCOUNTS, 'x', 'default'));
  });
});
