import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { LEASES, NODES, nodeConditions, NodeLifecycleController, PODS } from './node-lifecycle-controller.js';
import type { Taint } from './taints.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function setup(ready?: 'True' | 'False') {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const ctrl = new NodeLifecycleController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
    recorder,
    now: cluster.clock.now,
  });
  const conditions = ready
    ? [
        { type: 'Ready', status: ready, lastHeartbeatTime: iso(T0), reason: 'KubeletReady' },
        { type: 'MemoryPressure', status: 'False' },
      ]
    : [];
  cluster.tracker.put(NODES, { kind: 'Node', metadata: { name: 'n1', creationTimestamp: iso(T0) }, spec: {}, status: { conditions } });
  renew(cluster);
  cluster.tracker.put(PODS, {
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'n1' },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  return { cluster, queue, recorder, ctrl };
}

function renew(cluster: FakeClientset): void {
  cluster.tracker.put(LEASES, {
    metadata: { name: 'n1', namespace: 'kube-node-lease' },
    spec: { holderIdentity: 'n1', renewTime: iso(cluster.clock.now()) },
  });
}

const node = (c: FakeClientset): KubeObject => c.tracker.get(NODES, '', 'n1')!;
const taints = (c: FakeClientset): string[] => ((node(c)['spec'] as { taints?: Taint[] }).taints ?? []).map((t) => `${t.key}:${t.effect}`);
const ready = (c: FakeClientset) => nodeConditions(node(c)).find((x) => x.type === 'Ready');
const podReady = (c: FakeClientset) =>
  (
    c.tracker.get(PODS, 'default', 'web')?.['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined
  )?.conditions?.find((x) => x.type === 'Ready')?.status;

describe('NodeLifecycleController', () => {
  it('a node whose lease is renewed stays Ready and is looked at again before the grace period ends', async () => {
    const { cluster, queue, ctrl } = setup('True');
    await ctrl.sync('n1');
    assert.equal(queue.delayOf('n1'), 40_000);
    for (let i = 0; i < 3; i++) {
      await cluster.clock.step(30_000);
      renew(cluster);
      await ctrl.sync('n1');
    }
    assert.equal(ready(cluster)?.status, 'True');
    assert.deepEqual(cluster.writes(), []);
  });

  it('a stale lease makes Ready Unknown, taints the node unreachable and marks its pods not ready', async () => {
    const { cluster, ctrl, recorder } = setup('True');
    await ctrl.sync('n1');
    await cluster.clock.step(40_000);
    await ctrl.sync('n1');
    const r = ready(cluster);
    assert.deepEqual([r?.status, r?.reason, r?.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    assert.equal(r?.lastHeartbeatTime, iso(T0), 'the last heartbeat is kept');
    assert.deepEqual(
      nodeConditions(node(cluster)).map((c) => `${c.type}=${c.status} ${c.reason}`),
      [
        'Ready=Unknown NodeStatusUnknown',
        'MemoryPressure=Unknown NodeStatusUnknown',
        'DiskPressure=Unknown NodeStatusNeverUpdated',
        'PIDPressure=Unknown NodeStatusNeverUpdated',
      ],
    );
    assert.deepEqual(taints(cluster), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const noExecute = (node(cluster)['spec'] as { taints: Taint[] }).taints[1];
    assert.equal(noExecute?.timeAdded, '2024-01-01T00:00:40Z');
    assert.equal(podReady(cluster), 'False');
    assert.deepEqual(recorder.lines(), [
      'Normal NodeNotReady Node n1 status is now: NodeNotReady',
      'Warning NodeNotReady Node is not ready',
    ]);
    // the kubelet comes back: Ready True again, the taints go
    await cluster.clock.step(5_000);
    renew(cluster);
    const back = structuredClone(node(cluster));
    nodeConditions(back)[0]!.status = 'True';
    nodeConditions(back)[0]!.lastHeartbeatTime = iso(cluster.clock.now());
    cluster.tracker.put(NODES, back);
    await ctrl.sync('n1');
    assert.deepEqual(taints(cluster), []);
  });

  const cases: Array<{ name: string; ready: 'True' | 'False'; spec: Record<string, unknown>; want: string[] }> = [
    {
      name: 'Ready=False',
      ready: 'False',
      spec: {},
      want: ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute'],
    },
    { name: 'unschedulable', ready: 'True', spec: { unschedulable: true }, want: ['node.kubernetes.io/unschedulable:NoSchedule'] },
    {
      name: 'user taints are kept, a stale controller taint goes',
      ready: 'True',
      spec: {
        taints: [
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
        ],
      },
      want: ['dedicated:NoSchedule'],
    },
  ];
  for (const c of cases) {
    it(`taints from the node's state: ${c.name}`, async () => {
      const { cluster, ctrl } = setup(c.ready);
      cluster.tracker.put(NODES, { ...node(cluster), spec: c.spec });
      await ctrl.sync('n1');
      assert.deepEqual(taints(cluster), c.want);
    });
  }

  it('a node that never posted status gets the startup grace period, then NodeStatusNeverUpdated', async () => {
    const { cluster, ctrl } = setup();
    cluster.tracker.remove(LEASES, 'kube-node-lease', 'n1');
    await cluster.clock.step(59_000);
    await ctrl.sync('n1');
    assert.equal(ready(cluster), undefined);
    await cluster.clock.step(1_000);
    await ctrl.sync('n1');
    assert.deepEqual([ready(cluster)?.status, ready(cluster)?.message], ['Unknown', 'Kubelet never posted node status.']);
  });
});
