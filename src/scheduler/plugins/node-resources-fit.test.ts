import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterReasons, makeNode, makePod, newCluster, scores } from '../testing/fixtures.js';
import { leastRequestedScore } from './node-resources-fit.js';

const FIT = [{ name: 'NodeResourcesFit', weight: 1 }];

test('NodeResourcesFit Filter reasons', () => {
  const existing = makePod('existing', { nodeName: 'n1', cpu: '3', memory: '6Gi' });
  const cases = [
    { name: 'fits', pod: makePod('p', { cpu: '1', memory: '1Gi' }), want: '' },
    { name: 'cpu', pod: makePod('p', { cpu: '1500m' }), want: 'Insufficient cpu' },
    { name: 'cpu and memory', pod: makePod('p', { cpu: '2', memory: '3Gi' }), want: 'Insufficient cpu, Insufficient memory' },
    {
      name: 'init container counts',
      pod: makePod('p', { initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] }),
      want: 'Insufficient cpu',
    },
    { name: 'overhead counts', pod: makePod('p', { cpu: '900m', overhead: { cpu: '200m' } }), want: 'Insufficient cpu' },
    {
      name: 'extended resource',
      pod: makePod('p', { containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': '1' } } }] }),
      want: 'Insufficient nvidia.com/gpu',
    },
    { name: 'best effort fits', pod: makePod('p'), want: '' },
  ];
  for (const tc of cases) {
    const c = newCluster([makeNode('n1')], [existing], { plugins: FIT });
    assert.equal(filterReasons(c, tc.pod, 'n1'), tc.want, tc.name);
  }
  const full = newCluster([makeNode('n1', { pods: 1 })], [existing], { plugins: FIT });
  assert.equal(filterReasons(full, makePod('p'), 'n1'), 'Too many pods');
});

test('NodeResourcesFit LeastAllocated score', () => {
  assert.equal(leastRequestedScore(0, 4000), 100);
  assert.equal(leastRequestedScore(1000, 4000), 75);
  assert.equal(leastRequestedScore(5000, 4000), 0);
  assert.equal(leastRequestedScore(1, 0), 0);
  // n1: 4 cpu / 8Gi with 2 cpu + 4Gi requested; n2 empty. Pod requests 1 cpu, 2Gi.
  const c = newCluster([makeNode('n1'), makeNode('n2')], [makePod('e', { nodeName: 'n1', cpu: '2', memory: '4Gi' })], { plugins: FIT });
  const got = scores(c, makePod('p', { cpu: '1', memory: '2Gi' }));
  // n1: cpu (4000-3000)*100/4000 = 25, memory 25 → 25; n2: 75, 75 → 75
  assert.deepEqual(got, { n1: 25, n2: 75 });
  // missing requests count as 100m / 200Mi for scoring
  const best = scores(newCluster([makeNode('n1', { cpu: '1', memory: '1000Mi' })], [], { plugins: FIT }), makePod('p'));
  assert.deepEqual(best, { n1: Math.trunc((90 + 80) / 2) });
});
