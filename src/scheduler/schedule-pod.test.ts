import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CycleState } from './framework/cycle-state.js';
import { FitError } from './framework/fit-error.js';
import { PodInfo } from './framework/pod-info.js';
import { numFeasibleNodesToFind, PodScheduler } from './schedule-pod.js';
import { makeNode, makePod, newCluster } from './testing/fixtures.js';

test('numFeasibleNodesToFind: adaptive percentage as upstream', () => {
  const cases: [number, number, number][] = [
    [50, 0, 50],
    [99, 0, 99],
    [100, 0, 100],
    [500, 0, 230],
    [1000, 0, 420],
    [5000, 0, 500],
    [6000, 0, 300],
    [10000, 0, 500],
    [1000, 30, 300],
    [150, 10, 100],
  ];
  for (const [n, p, want] of cases) assert.equal(numFeasibleNodesToFind(n, p), want, `${n} nodes at ${p}%`);
});

test('schedulePod stops after enough feasible nodes and resumes from there next time', () => {
  const nodes = Array.from({ length: 500 }, (_, i) => makeNode(`n${i}`));
  const c = newCluster(nodes);
  const ps = new PodScheduler({ random: () => 0 });
  const r1 = ps.schedulePod(c.fwk, new CycleState(), new PodInfo(makePod('a', { cpu: '100m' })), c.cache);
  assert.equal(r1.feasibleNodes, 230);
  assert.equal(r1.evaluatedNodes, 230);
  const { feasible } = ps.findNodesThatFitPod(c.fwk, new CycleState(), new PodInfo(makePod('b')), c.cache);
  assert.equal(feasible[0]!.name, 'n230', 'next cycle starts after the last processed node');
});

test('schedulePod picks the best score and throws FitError with per-node statuses', () => {
  const c = newCluster(
    [makeNode('busy'), makeNode('idle'), makeNode('tiny', { cpu: '100m' })],
    [makePod('e', { nodeName: 'busy', cpu: '3' })],
  );
  const ps = new PodScheduler();
  assert.equal(ps.schedulePod(c.fwk, new CycleState(), new PodInfo(makePod('p', { cpu: '500m' })), c.cache).suggestedHost, 'idle');
  try {
    ps.schedulePod(c.fwk, new CycleState(), new PodInfo(makePod('huge', { cpu: '5' })), c.cache);
    assert.fail('expected FitError');
  } catch (err) {
    assert.ok(err instanceof FitError);
    assert.equal(err.message, '0/3 nodes are available: 3 Insufficient cpu.');
    assert.deepEqual([...err.diagnosis.unschedulablePlugins], ['NodeResourcesFit']);
  }
  const empty = newCluster([]);
  assert.throws(
    () => ps.schedulePod(empty.fwk, new CycleState(), new PodInfo(makePod('p')), empty.cache),
    /no nodes available to schedule pods/,
  );
});
