import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterEvent } from '../framework/interface.js';
import { PrioritySort } from '../plugins/priority-sort.js';
import { SchedulingGates } from '../plugins/scheduling-gates.js';
import { makePod } from '../testing/fixtures.js';
import { SchedulingQueue } from './scheduling-queue.js';

function newQueue(clock: { t: number }, events: Record<string, ClusterEvent[]> = {}) {
  const sort = new PrioritySort();
  const gates = new SchedulingGates();
  return new SchedulingQueue({
    less: (a, b) => sort.less(a, b),
    preEnqueue: (p) => gates.preEnqueue(p).withPlugin(gates.name),
    eventsOf: (p) => events[p] ?? [],
    now: () => clock.t,
  });
}

test('activeQ pops by priority, then by arrival', async () => {
  const clock = { t: 0 };
  const q = newQueue(clock);
  q.add(makePod('low', { priority: 1 }));
  clock.t = 1;
  q.add(makePod('high', { priority: 10 }));
  clock.t = 2;
  q.add(makePod('low2', { priority: 1 }));
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await q.pop())!.podInfo.pod.metadata.name);
  assert.deepEqual(order, ['high', 'low', 'low2']);
});

test('pop waits for a pod and resolves undefined on close', async () => {
  const q = newQueue({ t: 0 });
  const waiting = q.pop();
  q.add(makePod('p'));
  assert.equal((await waiting)?.podInfo.pod.metadata.name, 'p');
  const closed = q.pop();
  q.close();
  assert.equal(await closed, undefined);
});

test('backoff doubles from 1 s to at most 10 s per attempt', () => {
  const q = newQueue({ t: 0 });
  const want = [1000, 2000, 4000, 8000, 10000, 10000];
  want.forEach((ms, i) => {
    const qp = { attempts: i + 1 } as Parameters<typeof q.backoffDuration>[0];
    assert.equal(q.backoffDuration(qp), ms, `attempt ${i + 1}`);
  });
});

test('unschedulable pods move on registered events, after backoff, or after 5 minutes', () => {
  const clock = { t: 0 };
  const q = newQueue(clock, { NodeResourcesFit: [{ resource: 'Node', actions: ['Add'] }] });
  q.add(makePod('p'));
  const qp = q.tryPop()!;
  q.addUnschedulableIfNotPresent(qp, ['NodeResourcesFit']);
  assert.deepEqual(q.pendingPods(), { active: 0, backoff: 0, unschedulable: 1 });
  q.moveAllToActiveOrBackoffQueue('AssignedPod', 'Delete');
  assert.equal(q.unschedulablePods.size, 1, 'irrelevant event leaves it');
  q.moveAllToActiveOrBackoffQueue('Node', 'Add');
  assert.deepEqual(q.pendingPods(), { active: 0, backoff: 1, unschedulable: 0 }, 'still backing off');
  clock.t = 999;
  q.flushBackoffQCompleted();
  assert.equal(q.backoffQ.length, 1);
  clock.t = 1000;
  q.flushBackoffQCompleted();
  assert.deepEqual(q.pendingPods(), { active: 1, backoff: 0, unschedulable: 0 });

  const qp2 = q.tryPop()!;
  q.addUnschedulableIfNotPresent(qp2, ['NodeResourcesFit']);
  clock.t += 5 * 60_000;
  q.flushUnschedulablePodsLeftover();
  assert.equal(q.unschedulablePods.size, 1, 'exactly 5 minutes is not yet leftover');
  clock.t += 1;
  q.flushUnschedulablePodsLeftover();
  assert.deepEqual(q.pendingPods(), { active: 1, backoff: 0, unschedulable: 0 });
});

test('a move request during the cycle sends the failed pod to backoffQ; errors always back off', () => {
  const q = newQueue({ t: 0 });
  q.add(makePod('a'));
  q.add(makePod('b'));
  const a = q.tryPop()!;
  q.moveAllToActiveOrBackoffQueue('Node', 'Add');
  q.addUnschedulableIfNotPresent(a, ['NodeResourcesFit']);
  assert.equal(q.backoffQ.length, 1);
  const b = q.tryPop()!;
  q.addUnschedulableIfNotPresent(b, [], true);
  assert.equal(q.backoffQ.length, 2);
});

test('scheduling gates keep a pod out of activeQ until its spec changes', () => {
  const q = newQueue({ t: 0 });
  const gated = makePod('g');
  gated.spec.schedulingGates = [{ name: 'example.com/wait' }];
  q.add(gated);
  assert.deepEqual(q.pendingPods(), { active: 0, backoff: 0, unschedulable: 1 });
  q.moveAllToActiveOrBackoffQueue('Node', 'Add');
  assert.equal(q.unschedulablePods.size, 1);
  const ungated = makePod('g');
  q.update(gated, ungated);
  assert.equal(q.activeQ.length, 1);
});

test('delete during the cycle drops the pod; nominations per node', () => {
  const q = newQueue({ t: 0 });
  const p = makePod('p', { nominatedNodeName: 'n1' });
  q.add(p);
  assert.deepEqual(
    q.nominatedPodsForNode('n1').map((x) => x.pod.metadata.name),
    ['p'],
  );
  const qp = q.tryPop()!;
  q.delete(p);
  q.addUnschedulableIfNotPresent(qp, []);
  assert.deepEqual(q.pendingPods(), { active: 0, backoff: 0, unschedulable: 0 });
  assert.equal(q.nominatedPodsForNode('n1').length, 0);
});
