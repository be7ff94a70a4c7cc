import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNodes, makePods, scheduleBatch } from './benchmark.js';

test('scheduleBatch schedules every pod and spreads them', async () => {
  const r = await scheduleBatch(makeNodes(20), makePods(200, { cpu: '1', memory: '1Gi' }));
  assert.equal(r.scheduled, 200);
  assert.equal(r.unschedulable, 0);
  assert.equal(r.placement.size, 20);
  assert.ok(r.podsPerSecond > 0);
  // LeastAllocated and BalancedAllocation keep nodes even
  for (const [node, n] of r.placement) assert.ok(n >= 9 && n <= 11, `${node} has ${n} pods`);
});

test('scheduleBatch reports pods that do not fit', async () => {
  const r = await scheduleBatch(makeNodes(2, { pods: 3 }), makePods(10));
  assert.equal(r.scheduled, 6);
  assert.equal(r.unschedulable, 4);
});
