import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../client/testing/fake-informers.js';
import { FakeRecorder } from '../client/testing/fake-recorder.js';
import { newTimeout } from '../machinery/errors.js';
import { SCHEDULER_RESOURCES, Scheduler } from './scheduler.js';
import { makeNode, makePod } from './testing/fixtures.js';
import type { Node, Pod, PriorityClass } from './types.js';

function setup() {
  const clientset = new FakeClientset();
  const recorder = new FakeRecorder();
  const ac = new AbortController();
  const s = new Scheduler({
    clientset,
    informers: new FakeInformerFactory(clientset),
    recorder,
    schedulerName: 'default-scheduler',
    signal: ac.signal,
  });
  const { tracker } = clientset;
  const { pods, nodes, priorityClasses } = SCHEDULER_RESOURCES;
  /** Schedules everything in activeQ and waits for the binding cycles. */
  const drain = async () => {
    for (let q = s.queue.tryPop(); q; q = s.queue.tryPop()) await s.loop.scheduleQueued(q);
    await s.loop.waitForBindings();
  };
  return {
    s,
    clientset,
    recorder,
    /** Stores an object as the apiserver would; the informers tell the scheduler at once. */
    putPod: (pod: Pod) => tracker.put(pods, pod),
    putNode: (node: Node) => tracker.put(nodes, node),
    putPriorityClass: (pc: PriorityClass) => tracker.put(priorityClasses, pc),
    drain,
    ac,
  };
}

test('binds through pods/binding and records Scheduled with the upstream message', async () => {
  const t = setup();
  t.putNode(makeNode('node1'));
  t.putPod(makePod('nginx-bdf578756-gkx5s', { cpu: '100m' }));
  await t.drain();
  const bind = t.clientset.actions.find((a) => a.subresource === 'binding');
  assert.deepEqual(bind?.body, {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { namespace: 'default', name: 'nginx-bdf578756-gkx5s', uid: 'uid-default-nginx-bdf578756-gkx5s' },
    target: { kind: 'Node', name: 'node1' },
  });
  assert.deepEqual(t.recorder.events, [
    {
      object: 'Pod/default/nginx-bdf578756-gkx5s',
      type: 'Normal',
      reason: 'Scheduled',
      action: 'Binding',
      message: 'Successfully assigned default/nginx-bdf578756-gkx5s to node1',
    },
  ]);
  assert.ok(t.s.cache.isAssumedPod(makePod('nginx-bdf578756-gkx5s')));
  // the informer reports the bound pod: assumption confirmed
  t.putPod(makePod('nginx-bdf578756-gkx5s', { cpu: '100m', nodeName: 'node1' }));
  assert.ok(!t.s.cache.isAssumedPod(makePod('nginx-bdf578756-gkx5s')));
  assert.equal(t.s.cache.get('node1')!.requested.milliCPU, 100);
});

test('FailedScheduling message, PodScheduled condition, and retry when a node is added', async () => {
  const t = setup();
  const cp = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
  t.putNode(makeNode('cp', { taints: [cp] }));
  t.putNode(makeNode('n1', { cpu: '1' }));
  t.putNode(makeNode('n2', { cpu: '1' }));
  t.putPod(makePod('big', { cpu: '2' }));
  await t.drain();
  const msg =
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
    'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  assert.deepEqual(t.recorder.events, [
    { object: 'Pod/default/big', type: 'Warning', reason: 'FailedScheduling', action: 'Scheduling', message: msg },
  ]);
  const patch = t.clientset.actions.find((a) => a.verb === 'patch' && a.subresource === 'status');
  assert.ok(patch);
  const cond = (patch.body as { status: { conditions: Record<string, unknown>[] } }).status.conditions[0]!;
  assert.equal(cond['type'], 'PodScheduled');
  assert.equal(cond['status'], 'False');
  assert.equal(cond['reason'], 'Unschedulable');
  assert.equal(cond['message'], msg);
  assert.equal(t.s.queue.unschedulablePods.size, 1);
  // an unrelated pod deletion on no node does not help; a new big node does
  t.putNode(makeNode('n3', { cpu: '4' }));
  assert.equal(t.s.queue.unschedulablePods.size, 0);
  assert.equal(t.s.queue.backoffQ.length, 1);
});

test('respects schedulerName and resolves priority from PriorityClass', async () => {
  const t = setup();
  t.putPriorityClass({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  t.putNode(makeNode('n1'));
  t.putPod(makePod('other', { schedulerName: 'my-scheduler' }));
  const p = makePod('prio');
  delete (p.spec as Partial<Pod['spec']>).priority;
  p.spec.priorityClassName = 'high';
  t.putPod(p);
  assert.equal(t.s.queue.activeQ.length, 1);
  assert.equal(t.s.queue.activeQ.peek()?.podInfo.priority, 1000);
});

test('preemption deletes the lower-priority victim and nominates the node', async () => {
  const t = setup();
  t.putNode(makeNode('n1', { cpu: '1' }));
  t.putPod(makePod('victim', { nodeName: 'n1', cpu: '1', priority: 1 }));
  t.putPod(makePod('vip', { cpu: '1', priority: 100 }));
  await t.drain();
  assert.deepEqual(t.clientset.writes('delete'), ['delete pods default/victim']);
  const preempted = t.recorder.events.find((e) => e.reason === 'Preempted');
  assert.deepEqual(
    [preempted?.object, preempted?.action, preempted?.related, preempted?.message],
    ['Pod/default/victim', 'Preempting', 'Pod/default/vip', 'Preempted by pod uid-default-vip on node n1'],
  );
  const failed = t.recorder.events.find((e) => e.reason === 'FailedScheduling');
  assert.equal(failed?.message, '0/1 nodes are available: 1 Insufficient cpu.');
  const nominate = t.clientset.actions.find((a) => a.name === 'vip' && a.verb === 'patch');
  assert.ok(nominate);
  assert.equal((nominate.body as { status: { nominatedNodeName?: string } }).status.nominatedNodeName, 'n1');
  assert.deepEqual(
    t.s.queue.nominatedPodsForNode('n1').map((p) => p.pod.metadata.name),
    ['vip'],
  );
  // the informers saw the victim deleted; the preemptor is retried and lands on n1
  t.s.queue.flushUnschedulablePodsLeftover();
  const q = t.s.queue.backoffQ.pop() ?? t.s.queue.activeQ.pop();
  assert.ok(q, 'preemptor requeued');
  t.s.queue.activeQ.addOrUpdate(q);
  await t.drain();
  assert.ok(t.recorder.events.some((e) => e.reason === 'Scheduled' && e.message === 'Successfully assigned default/vip to n1'));
});

test('a failed binding forgets the assumed pod and backs off', async () => {
  const t = setup();
  t.putNode(makeNode('n1'));
  t.clientset.reactor = (a) => {
    if (a.subresource === 'binding') throw newTimeout('etcdserver: request timed out');
  };
  t.putPod(makePod('p', { cpu: '1' }));
  await t.drain();
  assert.equal(t.s.cache.get('n1')!.pods.length, 0);
  assert.equal(t.s.queue.backoffQ.length, 1);
  const ev = t.recorder.events.find((e) => e.reason === 'FailedScheduling');
  assert.equal(ev?.message, 'running Bind plugin "DefaultBinder": etcdserver: request timed out');
});

test('run schedules until the signal aborts', async () => {
  const t = setup();
  t.putNode(makeNode('n1'));
  const running = t.s.run();
  t.putPod(makePod('p'));
  for (let i = 0; i < 50 && !t.recorder.events.length; i++) await new Promise((r) => setTimeout(r, 2));
  assert.equal(t.recorder.events[0]?.reason, 'Scheduled');
  t.ac.abort();
  await running;
});
