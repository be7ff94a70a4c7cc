import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectorFromSet } from '../../machinery/labels.js';
import { filterReasons, makeNode, makePod, newCluster, scores } from '../testing/fixtures.js';
import type { TopologySpreadConstraint } from '../types.js';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './pod-topology-spread.js';

const plugins = [{ name: 'PodTopologySpread', weight: 2 }];
const ZONE = 'topology.kubernetes.io/zone';
const spread = (
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable = 'DoNotSchedule',
  extra: Partial<TopologySpreadConstraint> = {},
) => ({
  maxSkew,
  topologyKey,
  whenUnsatisfiable,
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});
const web = (name: string, nodeName: string) => makePod(name, { nodeName, labels: { app: 'web' } });

test('PodTopologySpread Filter: skew against the least loaded domain', () => {
  const nodes = [makeNode('a1', { labels: { [ZONE]: 'a' } }), makeNode('b1', { labels: { [ZONE]: 'b' } }), makeNode('nolabel')];
  const existing = [web('w1', 'a1'), web('w2', 'a1'), web('w3', 'b1')];
  const cases = [
    { name: 'zone a would be 3 vs 1', node: 'a1', c: spread(1, ZONE), want: ERR_REASON_CONSTRAINTS_NOT_MATCH },
    { name: 'zone b would be 2 vs 2', node: 'b1', c: spread(1, ZONE), want: '' },
    { name: 'maxSkew 2 allows zone a', node: 'a1', c: spread(2, ZONE), want: '' },
    { name: 'node without the key', node: 'nolabel', c: spread(1, ZONE), want: ERR_REASON_NODE_LABEL_NOT_MATCH },
    {
      name: 'minDomains above the domain count makes the minimum 0',
      node: 'b1',
      c: spread(1, ZONE, 'DoNotSchedule', { minDomains: 3 }),
      want: ERR_REASON_CONSTRAINTS_NOT_MATCH,
    },
    { name: 'ScheduleAnyway does not filter', node: 'a1', c: spread(1, ZONE, 'ScheduleAnyway'), want: '' },
  ];
  for (const tc of cases) {
    const c = newCluster(nodes, existing, { plugins });
    const pod = makePod('p', { labels: { app: 'web' }, topologySpreadConstraints: [tc.c] });
    assert.equal(filterReasons(c, pod, tc.node), tc.want, tc.name);
  }
});

test('PodTopologySpread Score: soft constraints favour emptier domains', () => {
  const nodes = [makeNode('a1', { labels: { [ZONE]: 'a' } }), makeNode('b1', { labels: { [ZONE]: 'b' } })];
  const c = newCluster(nodes, [web('w1', 'a1'), web('w2', 'a1')], { plugins });
  const got = scores(c, makePod('p', { labels: { app: 'web' }, topologySpreadConstraints: [spread(1, ZONE, 'ScheduleAnyway')] }));
  // raw: a1 = round(2*ln(4)) = 3, b1 = 0 → normalized 100*(3+0-s)/3 → a1 0, b1 100; weight 2
  assert.deepEqual(got, { a1: 0, b1: 200 });
});

test('PodTopologySpread system default constraints use the Service/controller selector', () => {
  const nodes = [makeNode('n1', { labels: { [ZONE]: 'a' } }), makeNode('n2', { labels: { [ZONE]: 'a' } })];
  const existing = [web('w1', 'n1'), web('w2', 'n1'), web('w3', 'n1')];
  const pod = makePod('p', { labels: { app: 'web' } });
  const none = newCluster(nodes, existing, { plugins });
  assert.deepEqual(scores(none, pod), { n1: 0, n2: 0 }, 'no selector → skipped');
  const c = newCluster(nodes, existing, { plugins, defaultSelector: () => selectorFromSet({ app: 'web' }) });
  const got = scores(c, pod);
  assert.ok(got['n2']! > got['n1']!, `want n2 preferred, got ${JSON.stringify(got)}`);
});
