import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { CLUSTER_ROLES, ClusterRoleAggregationController } from './clusterrole-aggregation-controller.js';

const AGG = 'rbac.authorization.k8s.io/aggregate-to-view';

function setup() {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const ctrl = new ClusterRoleAggregationController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
  });
  const settle = () => drain(queue, (k) => ctrl.sync(k));
  return { cluster, settle };
}

describe('ClusterRoleAggregationController', () => {
  it('fills an aggregated role with the union of the selected roles, and follows their changes', async () => {
    const { cluster, settle } = setup();
    const pods = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    const cms = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] };
    cluster.tracker.put(CLUSTER_ROLES, {
      metadata: { name: 'view' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGG]: 'true' } }] },
    });
    cluster.tracker.put(CLUSTER_ROLES, { metadata: { name: 'b', labels: { [AGG]: 'true' } }, rules: [cms, pods] });
    cluster.tracker.put(CLUSTER_ROLES, { metadata: { name: 'a', labels: { [AGG]: 'true' } }, rules: [pods] });
    cluster.tracker.put(CLUSTER_ROLES, { metadata: { name: 'other' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] });
    await settle();
    assert.deepEqual(cluster.tracker.get(CLUSTER_ROLES, '', 'view')?.['rules'], [pods, cms]);
    assert.deepEqual(cluster.writes(), ['update clusterroles.rbac.authorization.k8s.io view']);
    await cluster.resource(CLUSTER_ROLES).delete('', 'b');
    await settle();
    assert.deepEqual(cluster.tracker.get(CLUSTER_ROLES, '', 'view')?.['rules'], [pods]);
  });
});
