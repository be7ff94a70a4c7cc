import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterReasons, makeNode, makePod, newCluster, scores } from '../testing/fixtures.js';
import type { NodeSelectorTerm } from '../types.js';
import { CycleState } from '../framework/cycle-state.js';
import { PodInfo } from '../framework/pod-info.js';
import { ERR_REASON_POD, NodeAffinity } from './node-affinity.js';

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

test('NodeAffinity PreFilter narrows the nodes to those metadata.name matchFields name', () => {
  const byName = (...values: string[]) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values }] });
  const preFilter = (affinity: ReturnType<typeof required>) =>
    new NodeAffinity().preFilter(new CycleState(), new PodInfo(makePod('p', { affinity })));
  const names = (affinity: ReturnType<typeof required>) => [...(preFilter(affinity).result?.nodeNames ?? [])].sort();
  assert.deepEqual(names(required(byName('n1'))), ['n1'], "a DaemonSet pod's term");
  assert.deepEqual(names(required(byName('n1', 'n2'), byName('n3'))), ['n1', 'n2', 'n3'], 'terms are ORed');
  assert.deepEqual(
    names(required({ matchFields: [...byName('n1', 'n2').matchFields, ...byName('n2', 'n3').matchFields] })),
    ['n2'],
    'requirements of a term are ANDed',
  );
  assert.equal(preFilter(required(byName('n1'), { matchExpressions: [{ key: 'a', operator: 'Exists' }] })).result, undefined);
  const conflict = preFilter(required({ matchFields: [...byName('n1').matchFields, ...byName('n2').matchFields] }));
  assert.equal(conflict.status.code, 'UnschedulableAndUnresolvable');
  assert.deepEqual(conflict.status.reasons, ['pod affinity terms conflict']);
});
