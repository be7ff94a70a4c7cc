import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import type { GroupVersionResource } from '../../client/interface.js';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import type { PodDisruptionBudget } from '../../api/policy/disruption-budget.js';
import { deployment, NS, pod, replicaSet } from '../controller-utils/testing/objects.js';
import { DEPLOYMENTS, PODS, type Pod, REPLICA_SETS } from '../controller-utils/types.js';
import { DisruptionController, PDBS } from './disruption-controller.js';

const STATEFUL_SETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'statefulsets' };
const CRDS: GroupVersionResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const CRONTABS: GroupVersionResource = { group: 'stable.example.com', version: 'v1', resource: 'crontabs' };
const MINUTE = 60_000;

function setup() {
  const cluster = new FakeClientset();
  const [queue, staleQueue] = [new FakeQueue(), new FakeQueue()];
  const queues = [queue, staleQueue];
  const recorder = new FakeRecorder();
  const dc = new DisruptionController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    recorder,
    newQueue: () => queues.shift() ?? new FakeQueue(),
    resources: [{ gvr: { group: 'apps', version: 'v1', resource: 'daemonsets' }, kind: 'DaemonSet', namespaced: true }],
    now: cluster.clock.now,
    log: () => {},
  });
  const settle = () => drain(queue, (k) => dc.sync(k));
  const status = (name = 'pdb') => (cluster.tracker.get(PDBS, NS, name) as PodDisruptionBudget).status;
  return { cluster, queue, staleQueue, recorder, dc, settle, status };
}

function pdb(spec: PodDisruptionBudget['spec'], name = 'pdb'): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: NS }, spec };
}

/** `n` ready pods app=web owned by `owner`. */
function readyPods(c: FakeClientset, n: number, owner?: KubeObject, extra: Partial<Pod['metadata']> = {}): Pod[] {
  return Array.from(
    { length: n },
    (_, i) => c.tracker.put(PODS, { ...pod(`web-${i}`, { app: 'web' }, { readySince: 0, ...(owner ? { owner } : {}) }), ...extra }) as Pod,
  );
}

const withMeta = (p: Pod, meta: Partial<Pod['metadata']>): Pod => ({ ...p, metadata: { ...p.metadata, ...meta } });

test('an integer minAvailable counts the selected pods: status, condition SufficientPods', async () => {
  const { cluster, settle, status } = setup();
  const rs = cluster.tracker.put(REPLICA_SETS, replicaSet('web', 3, { app: 'web' }));
  readyPods(cluster, 3, rs);
  cluster.tracker.put(PDBS, pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } }));
  await settle();
  const st = status();
  assert.deepEqual(
    { ...st, conditions: undefined },
    { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, conditions: undefined },
  );
  assert.deepEqual(st?.conditions, [
    {
      type: 'DisruptionAllowed',
      status: 'True',
      observedGeneration: 1,
      lastTransitionTime: rfc3339(cluster.clock.now()),
      reason: 'SufficientPods',
      message: '',
    },
  ]);
});

test('maxUnavailable and percentages use the scale of the pods’ controllers', async () => {
  const cases: { name: string; spec: PodDisruptionBudget['spec']; want: [number, number, number] }[] = [
    { name: 'maxUnavailable 1 of a Deployment of 4', spec: { maxUnavailable: 1 }, want: [4, 3, 0] },
    { name: 'maxUnavailable 50% rounds up', spec: { maxUnavailable: '50%' }, want: [4, 2, 1] },
    { name: 'minAvailable 60% rounds up', spec: { minAvailable: '60%' }, want: [4, 3, 0] },
  ];
  for (const c of cases) {
    const { cluster, settle, status } = setup();
    const d = cluster.tracker.put(DEPLOYMENTS, deployment('web', 4));
    const rs = cluster.tracker.put(REPLICA_SETS, {
      ...replicaSet('web-abc', 4, { app: 'web' }),
      metadata: { name: 'web-abc', namespace: NS },
    });
    cluster.tracker.put(REPLICA_SETS, {
      ...rs,
      metadata: {
        ...rs.metadata,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid ?? '', controller: true }],
      },
    });
    readyPods(cluster, 3, cluster.tracker.get(REPLICA_SETS, NS, 'web-abc'));
    cluster.tracker.put(PDBS, pdb({ ...c.spec, selector: { matchLabels: { app: 'web' } } }));
    await settle();
    const st = status();
    assert.deepEqual([st?.expectedPods, st?.desiredHealthy, st?.disruptionsAllowed], c.want, c.name);
    assert.equal(st?.conditions?.[0]?.reason, c.want[2] > 0 ? 'SufficientPods' : 'InsufficientPods', c.name);
  }
});

test('a StatefulSet and a custom resource with the scale subresource count by their replicas', async () => {
  const { cluster, settle, status } = setup();
  const ss = cluster.tracker.put(STATEFUL_SETS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: NS },
    spec: { replicas: 5 },
  });
  readyPods(cluster, 2, ss);
  cluster.tracker.put(CRDS, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      names: { kind: 'CronTab', plural: 'crontabs' },
      versions: [{ name: 'v1', subresources: { scale: { specReplicasPath: '.spec.size' } } }],
    },
  });
  const ct = cluster.tracker.put(CRONTABS, {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'ct', namespace: NS },
    spec: { size: 3 },
  });
  cluster.tracker.put(PODS, pod('ct-0', { app: 'web' }, { readySince: 0, owner: ct }));
  cluster.tracker.put(PDBS, pdb({ maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } } }));
  await settle();
  assert.deepEqual([status()?.expectedPods, status()?.desiredHealthy, status()?.currentHealthy], [8, 6, 3]);
});

test('a controller without the scale subresource fails safe: SyncFailed, no disruptions, an event', async () => {
  const { cluster, settle, status, recorder } = setup();
  const ds = cluster.tracker.put(
    { group: 'apps', version: 'v1', resource: 'daemonsets' },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: NS }, spec: {} },
  );
  readyPods(cluster, 2, ds);
  cluster.tracker.put(PDBS, pdb({ maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }));
  await settle();
  assert.equal(status()?.disruptionsAllowed, 0);
  assert.deepEqual(
    status()?.conditions?.map((c) => [c.status, c.reason, c.message]),
    [['False', 'SyncFailed', 'daemonsets.apps does not implement the scale subresource']],
  );
  assert.ok(
    recorder
      .lines()
      .includes(
        'Warning CalculateExpectedPodCountFailed Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource',
      ),
    recorder.lines().join('\n'),
  );
});

test('no pods, unmanaged pods and unready pods', async () => {
  const { cluster, settle, status, recorder } = setup();
  cluster.tracker.put(PDBS, pdb({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }));
  await settle();
  assert.deepEqual([status()?.expectedPods, status()?.disruptionsAllowed], [0, 0]);
  assert.ok(recorder.lines().includes('Normal NoPods No matching pods found'));
  cluster.tracker.put(PODS, pod('bare', { app: 'web' }, { readySince: 0 }));
  cluster.tracker.put(PODS, pod('unready', { app: 'web' }));
  cluster.tracker.put(PODS, pod('second', { app: 'web' }, { readySince: 0 }));
  await settle();
  assert.deepEqual([status()?.expectedPods, status()?.currentHealthy, status()?.disruptionsAllowed], [3, 2, 1]);
  const changed = pdb({ maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } });
  cluster.tracker.put(PDBS, { ...changed, metadata: { ...changed.metadata, generation: 2 } });
  await settle();
  assert.ok(recorder.lines().some((l) => l.startsWith('Warning UnmanagedPods Pods selected by this PodDisruptionBudget')));
  assert.deepEqual([status()?.observedGeneration, status()?.expectedPods, status()?.disruptionsAllowed], [2, 0, 0]);
});

test('disruptedPods: an approved eviction is not healthy for 2 minutes, then forgotten with NotDeleted', async () => {
  const { cluster, settle, status, recorder, queue } = setup();
  const rs = cluster.tracker.put(REPLICA_SETS, replicaSet('web', 3, { app: 'web' }));
  readyPods(cluster, 3, rs);
  const created = cluster.tracker.put(PDBS, pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } }));
  await settle();
  const evictedAt = rfc3339(cluster.clock.now());
  cluster.tracker.put(PDBS, { ...created, status: { ...status()!, disruptionsAllowed: 0, disruptedPods: { 'web-0': evictedAt } } });
  await settle();
  assert.deepEqual([status()?.currentHealthy, status()?.disruptionsAllowed, status()?.disruptedPods], [2, 0, { 'web-0': evictedAt }]);
  assert.equal(queue.delayOf(`${NS}/pdb`), 2 * MINUTE);
  // the deletion is seen: the entry goes
  cluster.tracker.put(PODS, withMeta(cluster.tracker.get(PODS, NS, 'web-0') as Pod, { deletionTimestamp: evictedAt }));
  await settle();
  assert.deepEqual([status()?.currentHealthy, status()?.disruptedPods], [2, undefined]);
  // an eviction never followed by a deletion expires
  cluster.tracker.put(PDBS, {
    ...(cluster.tracker.get(PDBS, NS, 'pdb') as PodDisruptionBudget),
    status: { ...status()!, disruptedPods: { 'web-1': evictedAt } },
  });
  await cluster.clock.step(2 * MINUTE + 1000);
  queue.add(`${NS}/pdb`);
  await settle();
  assert.deepEqual([status()?.currentHealthy, status()?.disruptedPods], [2, undefined]);
  assert.ok(recorder.lines().includes("Warning NotDeleted Pod was expected by PDB default/pdb to be deleted but it wasn't"));
});

test('a pod selected by two budgets gets a MultiplePodDisruptionBudgets warning', async () => {
  const { cluster, recorder } = setup();
  cluster.tracker.put(PDBS, pdb({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, 'a'));
  cluster.tracker.put(PDBS, pdb({ minAvailable: 1, selector: {} }, 'b'));
  cluster.tracker.put(PODS, pod('web-0', { app: 'web' }));
  assert.ok(
    recorder
      .lines()
      .includes(
        'Warning MultiplePodDisruptionBudgets Pod "default"/"web-0" matches multiple PodDisruptionBudgets.  Chose "a" arbitrarily.',
      ),
    recorder.lines().join('\n'),
  );
});

test('a stale DisruptionTarget condition is set back to False after 2 minutes', async () => {
  const { cluster, dc, staleQueue } = setup();
  const marked = (reason: string, since: number, phase: 'Running' | 'Failed' = 'Running') => {
    const p = pod(`p-${reason}-${phase}`, {}, { phase });
    p.status!.conditions = [{ type: 'DisruptionTarget', status: 'True', reason, lastTransitionTime: rfc3339(since) }];
    return cluster.tracker.put(PODS, p) as Pod;
  };
  const now = cluster.clock.now();
  marked('EvictionByEvictionAPI', now - 30_000);
  marked('TerminationByKubelet', now - 10 * MINUTE);
  marked('PreemptionByScheduler', now - 10 * MINUTE, 'Failed');
  assert.deepEqual(staleQueue.delayed, [{ key: `${NS}/p-EvictionByEvictionAPI-Running`, delayMs: 90_000 }]);
  await dc.syncStalePodDisruption(`${NS}/p-EvictionByEvictionAPI-Running`);
  assert.equal(staleQueue.delayed.length, 2, 'not stale yet: waits again');
  await cluster.clock.step(90_000);
  await dc.syncStalePodDisruption(`${NS}/p-EvictionByEvictionAPI-Running`);
  const cleared = cluster.tracker.get(PODS, NS, 'p-EvictionByEvictionAPI-Running') as Pod;
  assert.deepEqual(cleared.status?.conditions, [
    { type: 'DisruptionTarget', status: 'False', lastTransitionTime: rfc3339(cluster.clock.now()) },
  ]);
  assert.deepEqual(cluster.writes(), [`updateStatus pods ${NS}/p-EvictionByEvictionAPI-Running`]);
});
