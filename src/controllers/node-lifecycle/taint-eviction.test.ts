import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { NODES, PODS } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction.js';
import type { Toleration } from './taints.js';

/** Added when the fake clock starts. */
const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' };

function setup(tolerations: Toleration[], taints: unknown[] = [unreachable]) {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const ctrl = new TaintEvictionController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
    recorder,
    now: cluster.clock.now,
  });
  cluster.tracker.put(NODES, { metadata: { name: 'n1' }, spec: { taints } });
  cluster.tracker.put(PODS, {
    kind: 'Pod',
    metadata: { name: 'x', namespace: 'default' },
    spec: { nodeName: 'n1', tolerations },
    status: {},
  });
  return { cluster, queue, recorder, ctrl };
}

describe('TaintEvictionController', () => {
  const cases: Array<{ name: string; tolerations: Toleration[]; at: number; deleted: boolean; delay?: number }> = [
    { name: 'no toleration: deleted at once', tolerations: [], at: 0, deleted: true },
    {
      name: 'another taint tolerated: deleted at once',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      at: 0,
      deleted: true,
    },
    {
      name: 'tolerated for 300 s: kept before',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      at: 10_000,
      deleted: false,
      delay: 290_000,
    },
    {
      name: 'tolerated for 300 s: deleted after',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      at: 300_000,
      deleted: true,
    },
    { name: 'tolerated forever', tolerations: [{ operator: 'Exists' }], at: 3_600_000, deleted: false },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { cluster, queue, recorder, ctrl } = setup(c.tolerations);
      assert.deepEqual(queue.keys, ['default/x']);
      await cluster.clock.step(c.at);
      await ctrl.sync('default/x');
      assert.equal(cluster.tracker.get(PODS, 'default', 'x') === undefined, c.deleted);
      assert.equal(queue.delayOf('default/x'), c.delay);
      if (c.deleted) {
        assert.deepEqual(recorder.lines(), ['Normal TaintManagerEviction Marking for deletion Pod default/x']);
        const status = cluster.actions.find((a) => a.verb === 'updateStatus')?.body as {
          status: { conditions: Array<Record<string, string>> };
        };
        assert.equal(status.status.conditions[0]?.['reason'], 'DeletionByTaintManager');
      }
    });
  }

  it('cancels a scheduled eviction when the taint goes, and requeues pods when taints change', async () => {
    const { cluster, queue, recorder, ctrl } = setup([
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
    ]);
    await cluster.clock.step(1_000);
    await ctrl.sync(queue.pop()!);
    cluster.tracker.put(NODES, { metadata: { name: 'n1' }, spec: {} });
    assert.deepEqual(queue.keys, ['default/x']);
    await ctrl.sync('default/x');
    assert.ok(cluster.tracker.get(PODS, 'default', 'x'));
    assert.deepEqual(recorder.lines(), ['Normal TaintManagerEviction Cancelling deletion of Pod default/x']);
  });
});
