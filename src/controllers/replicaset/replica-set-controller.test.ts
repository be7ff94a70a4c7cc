import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newForbidden } from '../../machinery/errors.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { NS, pod, replicaSet } from '../controller-utils/testing/objects.js';
import { PODS, REPLICA_SETS, REPLICATION_CONTROLLERS, type Pod, type ReplicaSet } from '../controller-utils/types.js';
import { REPLICATION_CONTROLLER_KIND } from './kind.js';
import { slowStartBatch } from './manage-replicas.js';
import { ReplicaSetController } from './replica-set-controller.js';

function setup(kind = REPLICA_SETS) {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const rsc = new ReplicaSetController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    recorder,
    newQueue: () => queue,
    now: cluster.clock.now,
    ...(kind === REPLICATION_CONTROLLERS ? { kind: REPLICATION_CONTROLLER_KIND } : {}),
  });
  /** Syncs queued keys until the queue is empty (informer events re-enqueue the set). */
  const settle = () => drain(queue, (k) => rsc.sync(k));
  return { cluster, queue, recorder, rsc, settle };
}

const podsOf = (c: FakeClientset, uid: string | undefined) =>
  (c.tracker.list(PODS, NS) as Pod[]).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller));

test('scale up creates pods named <rs>-xxxxx with a controllerRef, events and status', async () => {
  const { cluster, rsc, recorder, settle } = setup();
  const rs = cluster.tracker.put(REPLICA_SETS, replicaSet('nginx-bdf578756', 3));
  await settle();
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
    recorder.events.map((e) => `${e.reason} ${e.message}`).sort(),
    pods.map((p) => `SuccessfulCreate Created pod: ${p.metadata.name}`).sort(),
  );
  assert.deepEqual(rsc.expectations.pending(`${NS}/nginx-bdf578756`), { add: 0, del: 0 }, 'informer observed every create');
  const got = cluster.tracker.get(REPLICA_SETS, NS, 'nginx-bdf578756') as ReplicaSet;
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
  const { cluster, rsc, recorder, settle } = setup();
  cluster.tracker.put(REPLICA_SETS, replicaSet('web', 2));
  cluster.reactor = (a) => {
    if (a.verb === 'create' && a.resource === 'pods') throw newForbidden(PODS, 'web-abcde', 'exceeded quota: q');
  };
  await assert.rejects(rsc.sync(`${NS}/web`), /exceeded quota/);
  assert.equal(recorder.events[0]?.reason, 'FailedCreate');
  assert.equal(recorder.events[0]?.type, 'Warning');
  assert.match(recorder.events[0]?.message ?? '', /^Error creating: pods "web-abcde" is forbidden: exceeded quota: q$/);
  const rs = cluster.tracker.get(REPLICA_SETS, NS, 'web') as ReplicaSet;
  assert.equal(rs.status?.conditions?.[0]?.type, 'ReplicaFailure');
  assert.equal(rs.status?.conditions?.[0]?.reason, 'FailedCreate');
  assert.equal(rs.status?.conditions?.[0]?.status, 'True');
  assert.equal(rsc.expectations.satisfied(`${NS}/web`), true);

  cluster.reactor = undefined;
  await rsc.sync(`${NS}/web`);
  await settle();
  const after = cluster.tracker.get(REPLICA_SETS, NS, 'web') as ReplicaSet;
  assert.equal(after.status?.conditions, undefined, 'condition removed after success');
  assert.equal(after.status?.replicas, 2);
});

test('unsatisfied expectations hold back pod creation but status is still written', async () => {
  const { cluster, rsc } = setup();
  cluster.tracker.put(REPLICA_SETS, replicaSet('web', 2));
  rsc.expectations.expectCreations(`${NS}/web`, 2);
  await rsc.sync(`${NS}/web`);
  assert.equal(cluster.tracker.list(PODS).length, 0);
  assert.equal((cluster.tracker.get(REPLICA_SETS, NS, 'web') as ReplicaSet).status?.observedGeneration, 1);
});

test('scale down deletes the best-ranked pods and records SuccessfulDelete', async () => {
  const { cluster, rsc, recorder } = setup();
  const rs = cluster.tracker.put(REPLICA_SETS, replicaSet('web', 1));
  const now = cluster.clock.now();
  cluster.tracker.put(PODS, pod('web-ready', { app: 'web' }, { owner: rs, nodeName: 'n1', readySince: now - 60_000 }));
  cluster.tracker.put(PODS, pod('web-pending', { app: 'web' }, { owner: rs, phase: 'Pending' }));
  cluster.tracker.put(PODS, pod('web-notready', { app: 'web' }, { owner: rs, nodeName: 'n1' }));
  await rsc.sync(`${NS}/web`);
  assert.deepEqual(
    cluster.tracker.list(PODS).map((p) => p.metadata.name),
    ['web-ready'],
  );
  assert.deepEqual(recorder.events.map((e) => e.message).sort(), ['Deleted pod: web-notready', 'Deleted pod: web-pending']);
  assert.equal(rsc.expectations.satisfied(`${NS}/web`), true);
  assert.equal((cluster.tracker.get(REPLICA_SETS, NS, 'web') as ReplicaSet).status?.readyReplicas, 1);
});

test('adopts matching orphans, releases owned pods that stop matching, ignores others', async () => {
  const { cluster, rsc, recorder } = setup();
  const rs = cluster.tracker.put(REPLICA_SETS, replicaSet('web', 2));
  const other = cluster.tracker.put(REPLICA_SETS, replicaSet('other', 0, { app: 'other' }));
  cluster.tracker.put(PODS, pod('orphan', { app: 'web' }));
  cluster.tracker.put(PODS, pod('relabelled', { app: 'gone' }, { owner: rs }));
  cluster.tracker.put(PODS, pod('owned-by-other', { app: 'web' }, { owner: other }));
  cluster.tracker.put(PODS, pod('mine', { app: 'web' }, { owner: rs }));
  await rsc.sync(`${NS}/web`);
  const ref = (n: string) => cluster.tracker.get(PODS, NS, n)?.metadata.ownerReferences ?? [];
  assert.equal(ref('orphan')[0]?.uid, rs.metadata.uid, 'adopted');
  assert.equal(ref('orphan')[0]?.controller, true);
  assert.deepEqual(ref('relabelled'), [], 'released');
  assert.equal(ref('owned-by-other')[0]?.uid, other.metadata.uid, 'left alone');
  assert.equal(cluster.tracker.list(PODS).length, 4, 'two claimed pods satisfy replicas=2');
  assert.equal(recorder.events.length, 0);
});

test('pod events enqueue the owner and observe expectations', () => {
  const { cluster, queue, rsc } = setup();
  const rs = cluster.tracker.put(REPLICA_SETS, replicaSet('web', 1));
  queue.keys.splice(0);
  rsc.expectations.expectDeletions(`${NS}/web`, [`${NS}/p1`]);
  cluster.tracker.put(PODS, pod('p1', { app: 'web' }, { owner: rs }));
  assert.deepEqual(queue.keys, [`${NS}/web`]);
  queue.keys.splice(0);
  cluster.tracker.remove(PODS, NS, 'p1');
  assert.deepEqual(queue.keys, [`${NS}/web`]);
  assert.equal(rsc.expectations.satisfied(`${NS}/web`), true);
  queue.keys.splice(0);
  cluster.tracker.put(PODS, pod('orphan', { app: 'web' }));
  assert.deepEqual(queue.keys, [`${NS}/web`], 'orphans enqueue matching sets');
});

test('minReadySeconds: ready but not yet available pods requeue the set after minReadySeconds', async () => {
  const { cluster, queue, rsc } = setup();
  const rs = cluster.tracker.put(REPLICA_SETS, replicaSet('web', 1, { app: 'web' }, { minReadySeconds: 10 }));
  cluster.tracker.put(PODS, pod('p', { app: 'web' }, { owner: rs, nodeName: 'n', readySince: cluster.clock.now() - 2000 }));
  await rsc.sync(`${NS}/web`);
  const st = (cluster.tracker.get(REPLICA_SETS, NS, 'web') as ReplicaSet).status;
  assert.equal(st?.readyReplicas, 1);
  assert.equal(st?.availableReplicas, 0);
  assert.deepEqual(queue.delayed, [{ key: `${NS}/web`, delayMs: 10_000 }]);
});

test('ReplicationControllers use their map selector and v1 controllerRefs', async () => {
  const { cluster, settle } = setup(REPLICATION_CONTROLLERS);
  const rc = cluster.tracker.put(REPLICATION_CONTROLLERS, {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'nginx', namespace: NS },
    spec: { replicas: 2, selector: { app: 'nginx' }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [] } } },
  });
  await settle();
  const pods = podsOf(cluster, rc.metadata.uid);
  assert.equal(pods.length, 2);
  assert.equal(pods[0]?.metadata.ownerReferences?.[0]?.kind, 'ReplicationController');
  assert.equal(pods[0]?.metadata.ownerReferences?.[0]?.apiVersion, 'v1');
  assert.equal((cluster.tracker.get(REPLICATION_CONTROLLERS, NS, 'nginx') as ReplicaSet).status?.replicas, 2);
});

test('a deleted set clears its expectations', async () => {
  const { rsc } = setup();
  rsc.expectations.expectCreations(`${NS}/gone`, 3);
  await rsc.sync(`${NS}/gone`);
  assert.equal(rsc.expectations.pending(`${NS}/gone`), undefined);
});
