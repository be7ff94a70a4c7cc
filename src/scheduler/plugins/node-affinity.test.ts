import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterReasons, makeNode, makePod, newCluster, scores } from '../testing/fixtures.js';
import type { NodeSelectorTerm } from '../types.js';
import { ERR_REASON_POD } from './node-affinity.js';

const plugins = [{ name: 'NodeAffinity', weight: 2 }];
const required = (...nodeSelectorTerms: NodeSelectorTerm[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } },
});

test('NodeAffinity Filter: nodeSelector and required terms', () => {
  const node = makeNode('n1', { labels: { disk: 'ssd', gen: '5' } });
  const cases = [
    { name: 'nodeSelector match', pod: { nodeSelector: { disk: 'ssd' } }, fits: true },
    { name: 'nodeSelector mismatch', pod: { nodeSelector: { disk: 'hdd' } }, fits: false },
    {
      name: 'In',
      pod: { affinity: required({ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }] }) },
      fits: true,
    },
    {
      name: 'NotIn',
      pod: { affinity: required({ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] }) },
      fits: false,
    },
    { name: 'Exists', pod: { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Exists' }] }) }, fits: true },
    { name: 'DoesNotExist', pod: { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'DoesNotExist' }] }) }, fits: false },
    { name: 'Gt', pod: { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }) }, fits: true },
    { name: 'Lt', pod: { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }) }, fits: false },
    {
      name: 'terms are ORed',
      pod: {
        affinity: required(
          { matchExpressions: [{ key: 'x', operator: 'Exists' }] },
          { matchExpressions: [{ key: 'disk', operator: 'Exists' }] },
        ),
      },
      fits: true,
    },
    { name: 'empty term matches nothing', pod: { affinity: required({}) }, fits: false },
    {
      name: 'matchFields metadata.name',
      pod: { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }) },
      fits: true,
    },
    {
      name: 'nodeSelector and affinity both apply',
      pod: { nodeSelector: { disk: 'hdd' }, affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Exists' }] }) },
      fits: false,
    },
  ];
  for (const tc of cases) {
    const c = newCluster([node], [], { plugins });
    assert.equal(filterReasons(c, makePod('p', tc.pod), 'n1'), tc.fits ? '' : ERR_REASON_POD, tc.name);
  }
});

test('NodeAffinity Score: weights of matching preferred terms, normalized', () => {
  const c = newCluster(
    [makeNode('a', { labels: { zone: 'z1', disk: 'ssd' } }), makeNode('b', { labels: { zone: 'z1' } }), makeNode('c')],
    [],
    { plugins },
  );
  const pod = makePod('p', {
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 20, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] } },
          { weight: 60, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
        ],
      },
    },
  });
  // raw a=80, b=20, c=0 → normalized 100, 25, 0 → weight 2
  assert.deepEqual(scores(c, pod), { a: 200, b: 50, c: 0 });
});
