import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deployment, NS, replicaSet } from '../controller-utils/testing/objects.js';
import { DEPLOYMENTS, PODS, REPLICA_SETS, type ReplicaSet } from '../controller-utils/types.js';
import { World } from './testing-world.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  maxSurge,
  maxUnavailable,
  REVISION_ANNOTATION,
  sumAvailable,
  sumSpec,
} from './util.js';

const sizes = (w: World) => w.replicaSets().map((rs) => `${rs.metadata.annotations?.[REVISION_ANNOTATION]}:${rs.spec?.replicas}`);
const conditions = (w: World) =>
  (w.deployment().status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`).sort();

async function created(replicas = 3, extra: Parameters<typeof deployment>[2] = {}): Promise<World> {
  const w = new World();
  w.cluster.tracker.put(DEPLOYMENTS, {
    ...deployment('nginx', replicas, extra),
    metadata: { name: 'nginx', namespace: NS, generation: 1, annotations: { 'kubernetes.io/change-cause': 'create' } },
  });
  await w.converge();
  return w;
}

test('a new deployment gets one ReplicaSet <name>-<hash> with hash label, annotations, events and conditions', async () => {
  const w = await created(3);
  const [rs] = w.replicaSets();
  assert.ok(rs);
  const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(rs.metadata.name, `nginx-${hash}`);
  assert.deepEqual(rs.spec?.selector, { matchLabels: { app: 'nginx', 'pod-template-hash': hash } });
  assert.equal(rs.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
  assert.equal(rs.metadata.ownerReferences?.[0]?.kind, 'Deployment');
  assert.deepEqual(rs.metadata.annotations, {
    'kubernetes.io/change-cause': 'create',
    [REVISION_ANNOTATION]: '1',
    [DESIRED_REPLICAS_ANNOTATION]: '3',
    [MAX_REPLICAS_ANNOTATION]: '4',
  });
  assert.deepEqual(w.messages('ScalingReplicaSet'), [`Scaled up replica set nginx-${hash} from 0 to 3`]);
  assert.equal(w.messages('SuccessfulCreate').length, 3);
  const d = w.deployment();
  assert.equal(d.metadata.annotations?.[REVISION_ANNOTATION], '1');
  assert.deepEqual(
    { ...d.status, conditions: undefined },
    {
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 0,
      conditions: undefined,
    },
  );
  assert.deepEqual(conditions(w), [
    'Available=True MinimumReplicasAvailable: Deployment has minimum availability.',
    `Progressing=True NewReplicaSetAvailable: ReplicaSet "nginx-${hash}" has successfully progressed.`,
  ]);
});

test('scaling up and down resizes the only ReplicaSet with from/to events', async () => {
  const w = await created(1);
  const name = w.replicaSets()[0]?.metadata.name;
  w.edit('nginx', (d) => (d.spec!.replicas = 3));
  await w.converge();
  w.edit('nginx', (d) => (d.spec!.replicas = 0));
  await w.converge();
  assert.deepEqual(w.messages('ScalingReplicaSet'), [
    `Scaled up replica set ${name} from 0 to 1`,
    `Scaled up replica set ${name} from 1 to 3`,
    `Scaled down replica set ${name} from 3 to 0`,
  ]);
  assert.equal(w.cluster.tracker.list(PODS).length, 0);
  assert.equal(w.deployment().status?.replicas ?? 0, 0);
});

test('a rolling update respects maxSurge and maxUnavailable at every step', async () => {
  const w = await created(4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } });
  const d0 = w.deployment();
  let steps = 0;
  w.onStep = () => {
    const rss = w.replicaSets();
    steps++;
    assert.ok(sumSpec(rss) <= 4 + maxSurge(d0), `surge exceeded: ${sizes(w)}`);
    const availablePods = sumAvailable(rss);
    assert.ok(availablePods >= 4 - maxUnavailable(d0) || sumSpec(rss) < 4, `too few available: ${availablePods} ${sizes(w)}`);
  };
  w.edit('nginx', (d) => (d.spec!.template!.spec = { containers: [{ name: 'nginx', image: 'nginx:1.16.1' }] }));
  await w.settle();
  assert.deepEqual(sizes(w), ['1:3', '2:2'], 'first step: one surge pod, one old pod down, then the freed surge slot');
  await w.converge();
  assert.ok(steps > 0);
  assert.deepEqual(sizes(w), ['1:0', '2:4']);
  const events = w.messages('ScalingReplicaSet');
  const [oldRS, newRS] = w.replicaSets().map((rs) => rs.metadata.name);
  assert.equal(events[1], `Scaled up replica set ${newRS} from 0 to 1`);
  assert.equal(events[2], `Scaled down replica set ${oldRS} from 4 to 3`);
  assert.equal(events[3], `Scaled up replica set ${newRS} from 1 to 2`);
  assert.equal(events.at(-1), `Scaled down replica set ${oldRS} from 1 to 0`);
  assert.equal(w.deployment().metadata.annotations?.[REVISION_ANNOTATION], '2');
  assert.deepEqual(w.deployment().status?.updatedReplicas, 4);
});

test('Recreate scales the old set to zero before creating the new one', async () => {
  const w = await created(2, { strategy: { type: 'Recreate' } });
  w.edit('nginx', (d) => (d.spec!.template!.spec = { containers: [{ name: 'nginx', image: 'nginx:2' }] }));
  await w.settle();
  assert.deepEqual(sizes(w), ['1:0', '2:2']);
  const events = w.messages('ScalingReplicaSet');
  assert.match(events[1] ?? '', /^Scaled down replica set nginx-\w+ from 2 to 0$/);
  assert.match(events[2] ?? '', /^Scaled up replica set nginx-\w+ from 0 to 2$/);
});

test('rollback: a template equal to an old set re-uses it and renumbers its revision', async () => {
  const w = await created(2);
  const image = (tag: string) => (d: Parameters<Parameters<World['edit']>[1]>[0]) =>
    (d.spec!.template!.spec = { containers: [{ name: 'nginx', image: `nginx:${tag}` }] });
  w.edit('nginx', image('2'));
  await w.converge();
  const first = w.replicaSets()[0]!;
  w.edit('nginx', (d) => (d.spec!.template = structuredClone(deployment('nginx', 2).spec!.template)));
  await w.converge();
  assert.equal(w.replicaSets().length, 2, 'no new set');
  const again = w.cluster.tracker.get(REPLICA_SETS, NS, first.metadata.name ?? '') as ReplicaSet;
  assert.equal(again.metadata.annotations?.[REVISION_ANNOTATION], '3');
  assert.equal(again.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(again.spec?.replicas, 2);
  assert.equal(w.deployment().metadata.annotations?.[REVISION_ANNOTATION], '3');
});

test('rollout restart (a template annotation) makes a new set; pause holds the rollout with DeploymentPaused', async () => {
  const w = await created(2);
  w.edit('nginx', (d) => (d.spec!.paused = true));
  await w.converge();
  assert.ok(conditions(w).includes('Progressing=Unknown DeploymentPaused: Deployment is paused'));
  w.edit('nginx', (d) => (d.spec!.template!.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' }));
  await w.converge();
  assert.equal(w.replicaSets().length, 1, 'paused: no new set');
  w.edit('nginx', (d) => (d.spec!.paused = false));
  await w.settle();
  assert.equal(w.replicaSets().length, 2);
  const progressing = w.deployment().status?.conditions?.find((c) => c.type === 'Progressing');
  assert.notEqual(progressing?.reason, 'DeploymentPaused');
  await w.converge();
  assert.deepEqual(sizes(w), ['1:0', '2:2']);
});

test('revisionHistoryLimit deletes the oldest zero-sized sets once the rollout completes', async () => {
  const w = await created(1, { revisionHistoryLimit: 1 });
  for (const tag of ['2', '3', '4']) {
    w.edit('nginx', (d) => (d.spec!.template!.spec = { containers: [{ name: 'nginx', image: `nginx:${tag}` }] }));
    await w.converge();
  }
  assert.deepEqual(sizes(w), ['3:0', '4:1']);
});

test('a rollout without progress past progressDeadlineSeconds reports ProgressDeadlineExceeded', async () => {
  const w = await created(2, { progressDeadlineSeconds: 60 });
  w.edit('nginx', (d) => (d.spec!.template!.spec = { containers: [{ name: 'nginx', image: 'nginx:broken' }] }));
  await w.settle();
  const newRS = w.replicaSets()[1]!.metadata.name;
  assert.ok(conditions(w).includes(`Progressing=True ReplicaSetUpdated: ReplicaSet "${newRS}" is progressing.`), conditions(w).join('\n'));
  assert.ok(
    w.dq.delayed.some((x) => x.key === `${NS}/nginx` && x.delayMs > 0),
    'requeued for the deadline',
  );
  await w.cluster.clock.step(61_000);
  w.dq.add(`${NS}/nginx`);
  await w.settle();
  assert.ok(
    conditions(w).includes(`Progressing=False ProgressDeadlineExceeded: ReplicaSet "${newRS}" has timed out progressing.`),
    conditions(w).join('\n'),
  );
  assert.ok(conditions(w).includes('Available=True MinimumReplicasAvailable: Deployment has minimum availability.'));
});

test('too few available pods gives Available=False MinimumReplicasUnavailable', async () => {
  const w = new World();
  w.cluster.tracker.put(DEPLOYMENTS, deployment('nginx', 4));
  await w.dc.sync(`${NS}/nginx`);
  const name = w.replicaSets()[0]?.metadata.name;
  assert.deepEqual(conditions(w), [
    'Available=False MinimumReplicasUnavailable: Deployment does not have minimum availability.',
    `Progressing=True NewReplicaSetCreated: Created new replica set "${name}"`,
  ]);
  await w.settle();
  assert.ok(conditions(w).includes(`Progressing=True ReplicaSetUpdated: ReplicaSet "${name}" is progressing.`), 'pods appeared: progress');
  assert.equal(w.deployment().status?.unavailableReplicas, 4);
});

test('adopts a matching orphan ReplicaSet and releases one that stops matching', async () => {
  const w = await created(1);
  const uid = w.deployment().metadata.uid ?? '';
  const stray = replicaSet('stray', 0, { app: 'other' });
  stray.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid, controller: true, blockOwnerDeletion: true },
  ];
  w.cluster.tracker.put(REPLICA_SETS, stray);
  const orphan = replicaSet('orphan', 0, { app: 'nginx' });
  orphan.spec!.template!.spec = { containers: [{ name: 'nginx', image: 'nginx:0.1' }] };
  w.cluster.tracker.put(REPLICA_SETS, orphan);
  w.dq.add(`${NS}/nginx`);
  await w.converge();
  assert.deepEqual(w.cluster.tracker.get(REPLICA_SETS, NS, 'stray')?.metadata.ownerReferences, [], 'released');
  assert.equal(w.cluster.tracker.get(REPLICA_SETS, NS, 'orphan')?.metadata.ownerReferences?.[0]?.uid, uid, 'adopted');
  assert.equal(w.cluster.tracker.list(PODS).length, 1);
});

test('a selector that selects everything is refused with a SelectingAll warning', async () => {
  const w = new World();
  w.cluster.tracker.put(DEPLOYMENTS, deployment('nginx', 1, { selector: {} }));
  await w.settle();
  assert.deepEqual([...new Set(w.messages('SelectingAll'))], ['This deployment is selecting all pods. A non-empty selector is required.']);
  assert.equal(w.replicaSets().length, 0);
  assert.equal(w.deployment().status?.observedGeneration, 1);
});
