import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNode, makePod, newCluster, scores } from '../testing/fixtures.js';
import { balancedResourceScore } from './node-resources-balanced-allocation.js';

test('balancedResourceScore: (1 - std of fractions) x 100', () => {
  const cases: [number[], number[], number][] = [
    [[2000, 4 * 2 ** 30], [4000, 8 * 2 ** 30], 100],
    [[1000, 6 * 2 ** 30], [4000, 8 * 2 ** 30], 75],
    [[4000, 0], [4000, 8 * 2 ** 30], 50],
    [[8000, 0], [4000, 8 * 2 ** 30], 50],
    [[1000, 1], [0, 0], 100],
    [[1, 2, 3], [4, 4, 4], Math.trunc((1 - Math.sqrt(((0.25 - 0.5) ** 2 + 0 + (0.75 - 0.5) ** 2) / 3)) * 100)],
  ];
  for (const [req, alloc, want] of cases) assert.equal(balancedResourceScore(req, alloc), want, JSON.stringify({ req, alloc }));
});

test('NodeResourcesBalancedAllocation prefers balanced nodes and skips best-effort pods', () => {
  const plugins = [{ name: 'NodeResourcesBalancedAllocation', weight: 1 }];
  const c = newCluster([makeNode('n1'), makeNode('n2')], [makePod('e', { nodeName: 'n1', cpu: '2' })], { plugins });
  const got = scores(c, makePod('p', { cpu: '1', memory: '2Gi' }));
  // n1: cpu 3/4, mem 2/8 → std 0.25 → 75; n2: 1/4, 2/8 → 100
  assert.deepEqual(got, { n1: 75, n2: 100 });
  assert.deepEqual(scores(c, makePod('be')), { n1: 0, n2: 0 });
});
