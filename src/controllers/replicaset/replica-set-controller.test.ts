import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newForbidden } from '../../machinery/errors.js';
import { FakeCluster, FakeQueue } from '../controller-utils/testing/fake-cluster.js';
import { NS, pod, replicaSet } from '../controller-utils/testing/objects.js';
import { PODS, REPLICA_SETS, REPLICATION_CONTROLLERS, type Pod, type ReplicaSet } from '../controller-utils/types.js';
import { REPLICATION_CONTROLLER_KIND } from './kind.js';
import { slowStartBatch } from './manage-replicas.js';
import { ReplicaSetController } from './replica-set-controller.js';

function setup(kind = REPLICA_SETS) {
  const cluster = new FakeCluster();
  const queue = new FakeQueue();
  const rsc = new ReplicaSetController({
    client: cluster,
    informers: cluster,
    recorder: cluster,
    newQueue: () => queue,
    now: cluster.now,
    ...(kind === REPLICATION_CONTROLLERS ? { kind: REPLICATION_CONTROLLER_KIND } : {}),
  });
  return { cluster, queue, rsc };
}

/** Syncs queued keys until the queue is empty (informer events re-enqueue the set). */
async function drain(queue: FakeQueue, rsc: ReplicaSetController): Promise<void> {
  for (let key = queue.pop(), n = 0; key !== undefined && n < 20; key = queue.pop(), n++) await rsc.sync(key);
}

const podsOf = (c: FakeCluster, uid: string | undefined) =>
  (c.list(PODS, NS) as Pod[]).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller));

test('scale up creates pods named <rs>-xxxxx with a controllerRef, events and status', async () => {
  const { cluster, queue, rsc } = setup();
  const rs = cluster.put(REPLICA_SETS, replicaSet('nginx-bdf578756', 3));
  await drain(queue, rsc);
  const pods = podsOf(cluster, rs.metadata.uid);
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.metadata.name ?? '', /^nginx-bdf578756-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'nginx-bdf578756',
        uid: rs.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.deepEqual(p.metadata.labels, { app: 'nginx-bdf578756' });
  }
  assert.deepEqual(
    cluster.events.map((e) => `${e.reason} ${e.message}`).sort(),
    pods.map((p) => `SuccessfulCreate Created pod: ${p.metadata.name}`).sort(),
  );
  assert.deepEqual(rsc.expectations.pending(`${NS}/nginx-bdf578756`), { add: 0, del: 0 }, 'informer observed every create');
  const got = cluster.get(REPLICA_SETS, NS, 'nginx-bdf578756') as ReplicaSet;
  assert.deepEqual(got.status, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });
});

test('slowStartBatch runs batches of 1, 2, 4, … and stops at the first failing batch', async () => {
  const batches: number[] = [];
  let inFlight = 0;
  let calls = 0;
  const fn = async () => {
    if (inFlight++ === 0) batches.push(0);
    batches[batches.length - 1]!++;
    calls++;
    await Promise.resolve();
    inFlight--;
  };
  assert.deepEqual(await slowStartBatch(10, 1, fn), { successes: 10 });
  assert.deepEqual(batches, [1, 2, 4, 3]);
  calls = 0;
  const failing = async () => {
    if (++calls === 3) throw new Error('quota');
  };
  const r = await slowStartBatch(10, 1, failing);
  assert.equal(r.successes, 2);
  assert.equal(calls, 3, 'no batch after the failing one (1 + 2)');
});

test('failed creations record FailedCreate, set ReplicaFailure and lower expectations', async () => {
  const { cluster, queue, rsc } = setup();
  cluster.put(REPLICA_SETS, replicaSet('web', 2));
  cluster.failWrite = (verb, resource) =>
    verb === 'create' && resource === 'pods' ? newForbidden(PODS, 'web-abcde', 'exceeded quota: q') : undefined;
  await assert.rejects(rsc.sync(`${NS}/web`), /exceeded quota/);
  assert.equal(cluster.events[0]?.reason, 'FailedCreate');
  assert.equal(cluster.events[0]?.type, 'Warning');
  assert.match(cluster.events[0]?.message ?? '', /^Error creating: pods "web-abcde" is forbidden: exceeded quota: q$/);
  const rs = cluster.get(REPLICA_SETS, NS, 'web') as ReplicaSet;
  assert.equal(rs.status?.conditions?.[0]?.type, 'ReplicaFailure');
  assert.equal(rs.status?.conditions?.[0]?.reason, 'FailedCreate');
  assert.equal(rs.status?.conditions?.[0]?.status, 'True');
  assert.equal(rsc.expectations.satisfied(`${NS}/web`), true);

  cluster.failWrite = undefined;
  await rsc.sync(`${NS}/web`);
  await drain(queue, rsc);
  const after = cluster.get(REPLICA_SETS, NS, 'web') as ReplicaSet;
  assert.equal(after.status?.conditions, undefined, 'condition removed after success');
  assert.equal(after.status?.replicas, 2);
});

test('unsatisfied expectations hold back pod creation but status is still written', async () => {
  const { cluster, rsc } = setup();
  cluster.put(REPLICA_SETS, replicaSet('web', 2));
  rsc.expectations.expectCreations(`${NS}/web`, 2);
  await rsc.sync(`${NS}/web`);
  assert.equal(cluster.list(PODS).length, 0);
  assert.equal((cluster.get(REPLICA_SETS, NS, 'web') as ReplicaSet).status?.observedGeneration, 1);
});

test('scale down deletes the best-ranked pods and records SuccessfulDelete', async () => {
  const { cluster, rsc } = setup();
  const rs = cluster.put(REPLICA_SETS, replicaSet('web', 1));
  const now = cluster.nowMs;
  cluster.put(PODS, pod('web-ready', { app: 'web' }, { owner: rs, nodeName: 'n1', readySince: now - 60_000 }));
  cluster.put(PODS, pod('web-pending', { app: 'web' }, { owner: rs, phase: 'Pending' }));
  cluster.put(PODS, pod('web-notready', { app: 'web' }, { owner: rs, nodeName: 'n1' }));
  await rsc.sync(`${NS}/web`);
  assert.deepEqual(
    cluster.list(PODS).map((p) => p.metadata.name),
    ['web-ready'],
  );
  assert.deepEqual(cluster.events.map((e) => e.message).sort(), ['Deleted pod: web-notready', 'Deleted pod: web-pending']);
  assert.equal(rsc.expectations.satisfied(`${NS}/web`), true);
  assert.equal((cluster.get(REPLICA_SETS, NS, 'web') as ReplicaSet).status?.readyReplicas, 1);
});

test('adopts matching orphans, releases owned pods that stop matching, ignores others', async () => {
  const { cluster, rsc } = setup();
  const rs = cluster.put(REPLICA_SETS, replicaSet('web', 2));
  const other = cluster.put(REPLICA_SETS, replicaSet('other', 0, { app: 'other' }));
  cluster.put(PODS, pod('orphan', { app: 'web' }));
  cluster.put(PODS, pod('relabelled', { app: 'gone' }, { owner: rs }));
  cluster.put(PODS, pod('owned-by-other', { app: 'web' }, { owner: other }));
  cluster.put(PODS, pod('mine', { app: 'web' }, { owner: rs }));
  await rsc.sync(`${NS}/web`);
  const ref = (n: string) => cluster.get(PODS, NS, n)?.metadata.ownerReferences ?? [];
  assert.equal(ref('orphan')[0]?.uid, rs.metadata.uid, 'adopted');
  assert.equal(ref('orphan')[0]?.controller, true);
  assert.deepEqual(ref('relabelled'), [], 'released');
  assert.equal(ref('owned-by-other')[0]?.uid, other.metadata.uid, 'left alone');
  assert.equal(cluster.list(PODS).length, 4, 'two claimed pods satisfy replicas=2');
  assert.equal(cluster.events.length, 0);
});

test('pod events enqueue the owner and observe expectations', () => {
  const { cluster, queue, rsc } = setup();
  const rs = cluster.put(REPLICA_SETS, replicaSet('web', 1));
  queue.keys.clear();
  rsc.expectations.expectDeletions(`${NS}/web`, [`${NS}/p1`]);
  cluster.put(PODS, pod('p1', { app: 'web' }, { owner: rs }));
  assert.deepEqual([...queue.keys], [`${NS}/web`]);
  queue.keys.clear();
  cluster.remove(PODS, NS, 'p1');
  assert.deepEqual([...queue.keys], [`${NS}/web`]);
  assert.equal(rsc.expectations.satisfied(`${NS}/web`), true);
  queue.keys.clear();
  cluster.put(PODS, pod('orphan', { app: 'web' }));
  assert.deepEqual([...queue.keys], [`${NS}/web`], 'orphans enqueue matching sets');
});

test('minReadySeconds: ready but not yet available pods requeue the set after minReadySeconds', async () => {
  const { cluster, queue, rsc } = setup();
  const rs = cluster.put(REPLICA_SETS, replicaSet('web', 1, { app: 'web' }, { minReadySeconds: 10 }));
  cluster.put(PODS, pod('p', { app: 'web' }, { owner: rs, nodeName: 'n', readySince: cluster.nowMs - 2000 }));
  await rsc.sync(`${NS}/web`);
  const st = (cluster.get(REPLICA_SETS, NS, 'web') as ReplicaSet).status;
  assert.equal(st?.readyReplicas, 1);
  assert.equal(st?.availableReplicas, 0);
  assert.deepEqual(queue.delayed, [{ key: `${NS}/web`, delayMs: 10_000 }]);
});

test('ReplicationControllers use their map selector and v1 controllerRefs', async () => {
  const { cluster, queue, rsc } = setup(REPLICATION_CONTROLLERS);
  const rc = cluster.put(REPLICATION_CONTROLLERS, {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'nginx', namespace: NS },
    spec: { replicas: 2, selector: { app: 'nginx' }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [] } } },
  });
  await drain(queue, rsc);
  const pods = podsOf(cluster, rc.metadata.uid);
  assert.equal(pods.length, 2);
  assert.equal(pods[0]?.metadata.ownerReferences?.[0]?.kind, 'ReplicationController');
  assert.equal(pods[0]?.metadata.ownerReferences?.[0]?.apiVersion, 'v1');
  assert.equal((cluster.get(REPLICATION_CONTROLLERS, NS, 'nginx') as ReplicaSet).status?.replicas, 2);
});

test('a deleted set clears its expectations', async () => {
  const { rsc } = setup();
  rsc.expectations.expectCreations(`${NS}/gone`, 3);
  await rsc.sync(`${NS}/gone`);
  assert.equal(rsc.expectations.pending(`${NS}/gone`), undefined);
});
