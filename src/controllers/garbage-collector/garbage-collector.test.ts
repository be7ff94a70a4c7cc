import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';
import { newInternalError } from '../../machinery/errors.js';
import { GarbageCollector } from './garbage-collector.js';
import type { GCResource } from './graph.js';
import { processNextWorkItem } from '../../client/workqueue-workers.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' };
const CM = { group: '', version: 'v1', resource: 'configmaps' };
const RESOURCES: GCResource[] = [
  { gvr: PODS, kind: 'Pod', namespaced: true },
  { gvr: RS, kind: 'ReplicaSet', namespaced: true },
  { gvr: DEPLOY, kind: 'Deployment', namespaced: true },
  { gvr: CM, kind: 'ConfigMap', namespaced: true },
];

function setup() {
  const cluster = new FakeClientset();
  const queues: FakeQueue[] = [];
  const gc = new GarbageCollector({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    resources: RESOURCES,
    newQueue: () => {
      const q = new FakeQueue();
      queues.push(q);
      return q;
    },
  });
  const [del, orphan] = queues as [FakeQueue, FakeQueue];
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20 && del.length + orphan.length > 0; i++) {
      await drain(del, (k) => gc.syncAttemptToDelete(k));
      await drain(orphan, (k) => gc.syncAttemptToOrphan(k));
    }
  };
  return { cluster, gc, del, orphan, settle };
}

function ref(owner: KubeObject, kind: string, apiVersion: string, block?: boolean): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    ...(block ? { blockOwnerDeletion: true } : {}),
  };
}

function obj(name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { metadata: { name, namespace: 'default', ...extra } };
}

describe('GarbageCollector', () => {
  it('deletes a dependent whose owner is gone, verifying the owner with a GET (informer lag)', async () => {
    const { cluster, del, settle } = setup();
    const rs = cluster.tracker.put(RS, obj('web'));
    const pod = cluster.tracker.put(PODS, obj('web-1', { ownerReferences: [ref(rs, 'ReplicaSet', 'apps/v1')] }));
    await settle();
    assert.deepEqual(cluster.writes(), [], 'an owner that exists keeps its dependents');
    cluster.tracker.remove(RS, 'default', 'web', { notify: false }); // gone from the server, the informer has not seen it
    del.add(pod.metadata.uid!);
    await settle();
    assert.deepEqual(cluster.writes(), ['delete pods default/web-1']);
    const action = cluster.actions.find((a) => a.verb === 'delete')!;
    assert.deepEqual(action.options, { propagationPolicy: 'Background', preconditions: { uid: pod.metadata.uid } });
  });

  it('deletes dependents of an owner that was never observed (virtual node)', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(
      PODS,
      obj('orphaned', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'old', uid: 'nope' }] }),
    );
    await settle();
    assert.deepEqual(cluster.writes(), ['delete pods default/orphaned']);
    assert.equal(cluster.tracker.get(PODS, 'default', 'orphaned'), undefined);
  });

  it('deletes dependents when their owner is deleted (background)', async () => {
    const { cluster, settle } = setup();
    const rs = cluster.tracker.put(RS, obj('web'));
    for (const n of ['a', 'b']) cluster.tracker.put(PODS, obj(n, { ownerReferences: [ref(rs, 'ReplicaSet', 'apps/v1')] }));
    await settle();
    await cluster.resource(RS).delete('default', 'web', { propagationPolicy: 'Background' });
    await settle();
    assert.deepEqual(cluster.writes('delete').sort(), [
      'delete pods default/a',
      'delete pods default/b',
      'delete replicasets.apps default/web',
    ]);
    assert.equal(cluster.tracker.list(PODS).length, 0);
  });

  it('only removes the reference to a gone owner when another owner is alive', async () => {
    const { cluster, settle } = setup();
    const alive = cluster.tracker.put(CM, obj('alive'));
    const pod = cluster.tracker.put(
      PODS,
      obj('p', { ownerReferences: [ref(alive, 'ConfigMap', 'v1'), { apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'gone' }] }),
    );
    await settle();
    assert.deepEqual(cluster.writes(), ['patch pods default/p']);
    assert.deepEqual(
      cluster.tracker.get(PODS, 'default', 'p')?.metadata.ownerReferences?.map((r) => r.uid),
      [alive.metadata.uid],
    );
    assert.ok(pod.metadata.uid);
  });

  it('foreground: deletes blocking dependents first, then removes the finalizer of each owner', async () => {
    const { cluster, settle } = setup();
    const d = cluster.tracker.put(DEPLOY, obj('web'));
    const rs = cluster.tracker.put(RS, obj('web-1', { ownerReferences: [ref(d, 'Deployment', 'apps/v1', true)] }));
    cluster.tracker.put(PODS, obj('web-1-a', { ownerReferences: [ref(rs, 'ReplicaSet', 'apps/v1', true)] }));
    await settle();
    await cluster.resource(DEPLOY).delete('default', 'web', { propagationPolicy: 'Foreground' });
    await settle();
    const writes = cluster.writes();
    // the replicaset has dependents of its own: deleted in the foreground too
    assert.ok(writes.includes('delete replicasets.apps default/web-1'), writes.join('\n'));
    assert.equal(
      cluster.actions.find((a) => a.resource === 'replicasets.apps' && a.verb === 'delete')?.options?.propagationPolicy,
      'Foreground',
    );
    const podGone = writes.indexOf('delete pods default/web-1-a');
    const rsFinalized = writes.indexOf('patch replicasets.apps default/web-1');
    const dFinalized = writes.indexOf('patch deployments.apps default/web');
    assert.ok(podGone >= 0 && podGone < rsFinalized && rsFinalized < dFinalized, writes.join('\n'));
    for (const s of [DEPLOY, RS, PODS]) assert.equal(cluster.tracker.list(s).length, 0);
  });

  it('foreground: owners and dependents that block each other (a cycle) do not wait forever', async () => {
    const { cluster, settle } = setup();
    // a and b own each other, each reference blocking; a is deleted in the foreground
    const a = cluster.tracker.put(CM, obj('a'));
    const b = cluster.tracker.put(CM, obj('b', { ownerReferences: [ref(a, 'ConfigMap', 'v1', true)] }));
    await cluster.resource(CM).patch('default', 'a', 'merge', { metadata: { ownerReferences: [ref(b, 'ConfigMap', 'v1', true)] } });
    await settle();
    await cluster.resource(CM).delete('default', 'a', { propagationPolicy: 'Foreground' });
    await settle();
    const writes = cluster.writes();
    assert.ok(
      cluster.actions.some((x) => x.verb === 'patch' && x.name === 'b' && JSON.stringify(x.body).includes('blockOwnerDeletion')),
      `b stops blocking its owner first: ${writes.join('\n')}`,
    );
    assert.equal(cluster.tracker.list(CM).length, 0, `both are gone: ${writes.join('\n')}`);
  });

  it('foreground: a dependent without blockOwnerDeletion does not hold the owner', async () => {
    const { cluster, settle, gc } = setup();
    const owner = cluster.tracker.put(CM, obj('owner'));
    cluster.tracker.put(PODS, obj('loose', { ownerReferences: [ref(owner, 'ConfigMap', 'v1')] }));
    cluster.tracker.put(PODS, obj('held', { ownerReferences: [ref(owner, 'ConfigMap', 'v1', true)], finalizers: ['example.com/hold'] }));
    await settle();
    await cluster.resource(CM).delete('default', 'owner', { propagationPolicy: 'Foreground' });
    await settle();
    // "held" is being deleted but its own finalizer keeps it: the owner waits
    assert.ok(cluster.tracker.get(CM, 'default', 'owner')?.metadata.deletionTimestamp);
    assert.equal(cluster.tracker.get(PODS, 'default', 'loose'), undefined);
    const held = cluster.tracker.get(PODS, 'default', 'held')!;
    await cluster.resource(PODS).patch('default', 'held', 'merge', { metadata: { finalizers: null } });
    await settle();
    assert.equal(cluster.tracker.get(CM, 'default', 'owner'), undefined);
    assert.equal(gc.graph.get(held.metadata.uid!), undefined);
  });

  it('orphan: removes the owner from its dependents, then the orphan finalizer', async () => {
    const { cluster, settle } = setup();
    const rs = cluster.tracker.put(RS, obj('web'));
    for (const n of ['a', 'b']) cluster.tracker.put(PODS, obj(n, { ownerReferences: [ref(rs, 'ReplicaSet', 'apps/v1', true)] }));
    await settle();
    await cluster.resource(RS).delete('default', 'web', { propagationPolicy: 'Orphan' });
    await settle();
    assert.equal(cluster.tracker.get(RS, 'default', 'web'), undefined);
    for (const n of ['a', 'b']) assert.deepEqual(cluster.tracker.get(PODS, 'default', n)?.metadata.ownerReferences, []);
    assert.deepEqual(cluster.writes('delete'), ['delete replicasets.apps default/web']);
  });

  it('retries a failed delete rate-limited through the worker loop', async () => {
    const { cluster, gc, del } = setup();
    let failures = 1;
    cluster.reactor = (a) => {
      if (a.verb === 'delete' && a.name === 'p' && failures-- > 0) throw newInternalError(new Error('boom'));
    };
    const pod = cluster.tracker.put(PODS, obj('p', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'x' }] }));
    const errors: unknown[] = [];
    while (del.length > 0)
      await processNextWorkItem(
        del,
        (k) => gc.syncAttemptToDelete(k),
        (_k, e) => errors.push(e),
      );
    assert.equal(errors.length, 1);
    assert.deepEqual(del.rateLimited, [pod.metadata.uid]);
  });
});
