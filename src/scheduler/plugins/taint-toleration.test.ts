import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterReasons, makeNode, makePod, newCluster, scores } from '../testing/fixtures.js';
import type { Taint, Toleration } from '../types.js';
import { toleratesTaint } from './helper/taints.js';

test('toleratesTaint as upstream', () => {
  const taint: Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
  const cases: [Toleration, boolean][] = [
    [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, true],
    [{ key: 'k', value: 'v' }, true],
    [{ key: 'k', value: 'other' }, false],
    [{ key: 'k', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'k', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'other', operator: 'Exists' }, false],
    [{ key: 'k', operator: 'Bogus' }, false],
  ];
  for (const [t, want] of cases) assert.equal(toleratesTaint(t, taint), want, JSON.stringify(t));
});

test('TaintToleration Filter', () => {
  const plugins = [{ name: 'TaintToleration', weight: 3 }];
  const cp: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
  const cases = [
    { taints: [cp], tolerations: undefined, want: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
    { taints: [{ key: 'a', value: 'b', effect: 'NoExecute' }], tolerations: undefined, want: 'node(s) had untolerated taint {a: b}' },
    { taints: [{ key: 'a', value: 'b', effect: 'PreferNoSchedule' }], tolerations: undefined, want: '' },
    { taints: [cp], tolerations: [{ key: cp.key, operator: 'Exists', effect: 'NoSchedule' }], want: '' },
  ];
  for (const tc of cases) {
    const c = newCluster([makeNode('n1', { taints: tc.taints })], [], { plugins });
    assert.equal(filterReasons(c, makePod('p', { tolerations: tc.tolerations }), 'n1'), tc.want, JSON.stringify(tc.taints));
  }
});

test('TaintToleration Score prefers fewer untolerated PreferNoSchedule taints', () => {
  const plugins = [{ name: 'TaintToleration', weight: 1 }];
  const pref = (key: string): Taint => ({ key, value: 'x', effect: 'PreferNoSchedule' });
  const c = newCluster([makeNode('n0'), makeNode('n1', { taints: [pref('a')] }), makeNode('n2', { taints: [pref('a'), pref('b')] })], [], {
    plugins,
  });
  assert.deepEqual(scores(c, makePod('p')), { n0: 100, n1: 50, n2: 0 });
  assert.deepEqual(scores(c, makePod('p', { tolerations: [{ key: 'a', operator: 'Exists' }] })), { n0: 100, n1: 100, n2: 0 });
});
