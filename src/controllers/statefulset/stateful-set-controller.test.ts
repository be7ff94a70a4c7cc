import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drain } from '../../client/testing/fake-queue.js';
import { newForbidden } from '../../machinery/errors.js';
import { NS } from '../controller-utils/testing/objects.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { newWorld, statefulSet } from './testing-world.js';
import { STATEFUL_SETS } from './types.js';

const www = { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

test('OrderedReady creates web-0, web-1, web-2 one at a time, each after its predecessor is Ready', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 3, { volumeClaimTemplates: [www] }));
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0'], 'only the first ordinal before it is ready');
  assert.deepEqual(w.claims(), ['www-web-0'], 'the claim is created with the pod');
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0'], 'a Pending pod blocks the next');
  w.run('web-0');
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0', 'web-1']);
  w.run('web-1');
  await w.settle();
  w.run('web-2');
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0', 'web-1', 'web-2']);
  assert.deepEqual(w.claims(), ['www-web-0', 'www-web-1', 'www-web-2']);

  const pod = w.pod('web-1') as Pod;
  const set = w.set('web');
  assert.equal(pod.spec?.['hostname'], 'web-1');
  assert.equal(pod.spec?.['subdomain'], 'web');
  assert.deepEqual(pod.spec?.['volumes'], [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
  assert.deepEqual(pod.metadata.labels, {
    app: 'web',
    'statefulset.kubernetes.io/pod-name': 'web-1',
    'apps.kubernetes.io/pod-index': '1',
    'controller-revision-hash': set.status?.updateRevision,
  });
  assert.deepEqual(
    pod.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name} ${r.controller}`),
    ['StatefulSet/web true'],
  );
  assert.deepEqual(w.claim('www-web-1')?.metadata.labels, { app: 'web' });
  assert.equal(w.claim('www-web-1')?.metadata.ownerReferences, undefined, 'Retain/Retain: no owner');
  assert.match(set.status?.updateRevision ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.deepEqual(
    { ...set.status, currentRevision: undefined, updateRevision: undefined },
    {
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      collisionCount: 0,
      currentRevision: undefined,
      updateRevision: undefined,
    },
  );
  assert.equal(set.status?.currentRevision, set.status?.updateRevision);
  assert.deepEqual(w.events().slice(0, 3), [
    'SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success',
    'SuccessfulCreate create Pod web-0 in StatefulSet web successful',
    'SuccessfulCreate create Claim www-web-1 Pod web-1 in StatefulSet web success',
  ]);
  const [rev] = w.revisions();
  assert.equal(rev?.revision, 1);
  assert.equal(
    JSON.stringify(rev?.data),
    '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"web"}},' +
      '"spec":{"containers":[{"image":"nginx:1.27.0","name":"nginx","resources":{}}]}}}}',
    'the bytes kubectl computes from the live set',
  );
  assert.deepEqual(rev?.metadata.labels?.['app'], 'web');
});

test('Parallel creates every pod at once; spec.ordinals.start numbers them', async () => {
  const w = newWorld();
  w.put(statefulSet('db', 3, { podManagementPolicy: 'Parallel', ordinals: { start: 5 } }));
  await w.settle();
  assert.deepEqual(w.pods(), ['db-5', 'db-6', 'db-7']);
  assert.equal(w.set('db').status?.replicas, 3);
});

test('a deleted pod comes back with the same name and the same claim', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 3, { volumeClaimTemplates: [www] }));
  await w.runAll();
  const claimUid = w.claim('www-web-1')?.metadata.uid;
  const podUid = w.pod('web-1')?.metadata.uid;
  w.cluster.tracker.remove(PODS, NS, 'web-1');
  await w.settle();
  const back = w.pod('web-1') as Pod;
  assert.notEqual(back.metadata.uid, podUid);
  assert.equal(w.claim('www-web-1')?.metadata.uid, claimUid, 'the claim is kept and reused');
  assert.deepEqual(back.spec?.['volumes'], [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
});

test('scale down removes the highest ordinal first, one at a time under OrderedReady', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 3));
  await w.runAll();
  w.put({ ...w.set('web'), spec: { ...w.set('web').spec, replicas: 1 } });
  await w.ssc.sync(`${NS}/web`);
  assert.deepEqual(w.pods(), ['web-0', 'web-1']);
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0']);
  const deletes = w.events().filter((e) => e.startsWith('SuccessfulDelete'));
  assert.deepEqual(deletes, [
    'SuccessfulDelete delete Pod web-2 in StatefulSet web successful',
    'SuccessfulDelete delete Pod web-1 in StatefulSet web successful',
  ]);
  assert.equal(w.set('web').status?.replicas, 1);
});

test('OrderedReady does not scale down past an unhealthy pod', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 3));
  await w.runAll();
  w.run('web-0', 'Failed');
  w.put({ ...w.set('web'), spec: { ...w.set('web').spec, replicas: 1 } });
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0', 'web-1', 'web-2'], 'web-0 recreated; nothing deleted while it is not ready');
  w.run('web-0');
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0']);
});

test('a failed pod is recreated with its identity', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 2));
  await w.runAll();
  w.run('web-0', 'Failed');
  await w.settle();
  assert.equal(w.pod('web-0')?.status?.phase, 'Pending');
  assert.ok(w.events().includes('SuccessfulDelete delete Pod web-0 in StatefulSet web successful'));
});

async function updateImage(w: ReturnType<typeof newWorld>, image: string, partition?: number): Promise<void> {
  const set = w.set('web');
  const spec = structuredClone(set.spec ?? {});
  (spec.template!.spec!['containers'] as { image: string }[])[0]!.image = image;
  if (partition !== undefined) spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition } };
  w.put({ ...set, metadata: { ...set.metadata, generation: (set.metadata.generation ?? 1) + 1 }, spec });
}

const imageOf = (p: Pod | undefined) => (p?.spec?.['containers'] as { image: string }[] | undefined)?.[0]?.image;

test('a partitioned rolling update replaces only the ordinals at or above the partition, highest first', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 3));
  await w.runAll();
  const first = w.set('web').status?.currentRevision;
  await updateImage(w, 'nginx:1.27.1', 2);
  await w.runAll();
  assert.deepEqual(
    w.pods().map((n) => imageOf(w.pod(n))),
    ['nginx:1.27.0', 'nginx:1.27.0', 'nginx:1.27.1'],
  );
  let st = w.set('web').status;
  assert.equal(st?.currentRevision, first);
  assert.notEqual(st?.updateRevision, first);
  assert.deepEqual([st?.currentReplicas, st?.updatedReplicas, st?.observedGeneration], [2, 1, 2]);
  assert.equal(w.revisions().length, 2);

  // partition 0: web-1, then web-0
  const set = w.set('web');
  w.put({ ...set, spec: { ...set.spec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } } });
  await w.ssc.sync(`${NS}/web`);
  assert.equal(w.pod('web-1'), undefined, 'web-1 goes first');
  assert.equal(imageOf(w.pod('web-0')), 'nginx:1.27.0');
  await w.runAll();
  assert.deepEqual(
    w.pods().map((n) => imageOf(w.pod(n))),
    ['nginx:1.27.1', 'nginx:1.27.1', 'nginx:1.27.1'],
  );
  st = w.set('web').status;
  assert.equal(st?.currentRevision, st?.updateRevision, 'the finished update becomes current');
  assert.equal(st?.currentReplicas, 3);
});

test('rolling back to an older template renumbers its revision instead of creating one', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 1));
  await w.runAll();
  await updateImage(w, 'nginx:1.27.1');
  await w.runAll();
  await updateImage(w, 'nginx:1.27.0');
  await w.runAll();
  const revs = w
    .revisions()
    .map((r) => r.revision)
    .sort();
  assert.deepEqual(revs, [2, 3]);
  assert.equal(imageOf(w.pod('web-0')), 'nginx:1.27.0');
});

test('maxUnavailable lets a Parallel set update several pods at once', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 4, { podManagementPolicy: 'Parallel' }));
  await w.runAll();
  const set = w.set('web');
  const spec = structuredClone(set.spec ?? {});
  (spec.template!.spec!['containers'] as { image: string }[])[0]!.image = 'nginx:2';
  spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } };
  w.put({ ...set, spec });
  await w.ssc.sync(`${NS}/web`);
  assert.deepEqual(w.pods(), ['web-0', 'web-1'], 'the two highest ordinals go together');
});

test('OnDelete leaves pods alone until they are deleted', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 2, { updateStrategy: { type: 'OnDelete' } }));
  await w.runAll();
  await updateImage(w, 'nginx:2');
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0', 'web-1']);
  assert.equal(imageOf(w.pod('web-1')), 'nginx:1.27.0');
  w.cluster.tracker.remove(PODS, NS, 'web-1');
  await w.settle();
  assert.equal(imageOf(w.pod('web-1')), 'nginx:2');
  assert.equal(w.set('web').status?.updatedReplicas, 1);
});

test('retention policy: whenDeleted=Delete makes the set the controller, whenScaled=Delete the scaled-down pod', async () => {
  const w = newWorld();
  const policy = { whenDeleted: 'Delete' as const, whenScaled: 'Delete' as const };
  w.put(statefulSet('web', 2, { volumeClaimTemplates: [www], persistentVolumeClaimRetentionPolicy: policy }));
  await w.runAll();
  const set = w.set('web');
  const owners = (claim: string) => w.claim(claim)?.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name} ${r.controller}`);
  assert.deepEqual(owners('www-web-1'), ['StatefulSet/web true']);
  w.put({ ...set, spec: { ...set.spec, replicas: 1 } });
  await w.settle();
  assert.deepEqual(w.pods(), ['web-0']);
  assert.deepEqual(owners('www-web-1'), ['Pod/web-1 true'], 'the claim follows its pod to the garbage collector');
  assert.deepEqual(owners('www-web-0'), ['StatefulSet/web true']);
});

test('revisionHistoryLimit trims unused revisions, oldest first', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 1, { revisionHistoryLimit: 1 }));
  await w.runAll();
  for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
    await updateImage(w, image);
    await w.runAll();
  }
  await w.settle();
  const images = w.revisions().map((r) => {
    const data = r.data as { spec: { template: { spec: { containers: { image: string }[] } } } };
    return data.spec.template.spec.containers[0]?.image;
  });
  assert.deepEqual(images.sort(), ['nginx:3', 'nginx:4']);
});

test('minReadySeconds: ready pods are available only after it, and the set is synced again then', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 1, { minReadySeconds: 10 }));
  await w.runAll();
  const st = w.cluster.tracker.get(STATEFUL_SETS, NS, 'web')?.['status'] as { readyReplicas?: number; availableReplicas?: number };
  assert.deepEqual([st.readyReplicas, st.availableReplicas], [1, 0]);
  assert.ok(w.queue.delayed.some((d) => d.key === `${NS}/web` && d.delayMs === 10_000));
});

test('a failed create is an event and a sync error, and the status is written all the same', async () => {
  const w = newWorld();
  w.put(statefulSet('web', 2));
  await w.runAll();
  w.cluster.reactor = (a) => {
    if (a.verb === 'create' && a.resource === 'pods') throw newForbidden({ group: '', resource: 'pods' }, a.name, 'exceeded quota');
  };
  w.cluster.tracker.remove(PODS, NS, 'web-1');
  const errors = await drain(w.queue, (k) => w.ssc.sync(k), true);
  assert.ok(errors.length > 0);
  assert.ok(w.events().some((e) => e.startsWith('FailedCreate create Pod web-1 in StatefulSet web failed error: ')));
  assert.equal(w.set('web').status?.replicas, 1, 'the status counts what is there');
});
