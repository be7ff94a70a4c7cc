import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterReasons, makeNode, makePod, newCluster, scores } from '../testing/fixtures.js';
import type { PodAffinityTerm } from '../types.js';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
} from './inter-pod-affinity.js';

const plugins = [{ name: 'InterPodAffinity', weight: 2 }];
const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const term = (app: string, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({
  labelSelector: { matchLabels: { app } },
  topologyKey,
  ...extra,
});
const nodes = () => [
  makeNode('a1', { labels: { [ZONE]: 'a' } }),
  makeNode('a2', { labels: { [ZONE]: 'a' } }),
  makeNode('b1', { labels: { [ZONE]: 'b' } }),
];

test('InterPodAffinity Filter', () => {
  const db = makePod('db', { nodeName: 'a1', labels: { app: 'db' } });
  const cases = [
    {
      name: 'affinity satisfied in the zone',
      pod: makePod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] } } }),
      node: 'a2',
      want: '',
    },
    {
      name: 'affinity not satisfied',
      pod: makePod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] } } }),
      node: 'b1',
      want: ERR_REASON_AFFINITY_RULES_NOT_MATCH,
    },
    {
      name: 'affinity to other namespace by default does not match',
      pod: makePod('p', {
        namespace: 'other',
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] } },
      }),
      node: 'a2',
      want: ERR_REASON_AFFINITY_RULES_NOT_MATCH,
    },
    {
      name: 'namespaces lists the namespace',
      pod: makePod('p', {
        namespace: 'other',
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE, { namespaces: ['default'] })] } },
      }),
      node: 'a2',
      want: '',
    },
    {
      name: 'empty namespaceSelector selects all namespaces',
      pod: makePod('p', {
        namespace: 'other',
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE, { namespaceSelector: {} })] } },
      }),
      node: 'a2',
      want: '',
    },
    {
      name: 'anti-affinity by hostname',
      pod: makePod('p', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', HOST)] } } }),
      node: 'a1',
      want: ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
    },
    {
      name: 'anti-affinity elsewhere is fine',
      pod: makePod('p', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', HOST)] } } }),
      node: 'a2',
      want: '',
    },
    {
      name: 'first pod of a self-affine group',
      pod: makePod('p', {
        labels: { app: 'web' },
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } },
      }),
      node: 'b1',
      want: '',
    },
  ];
  for (const tc of cases) {
    const c = newCluster(nodes(), [db], { plugins });
    assert.equal(filterReasons(c, tc.pod, tc.node), tc.want, tc.name);
  }
});

test('InterPodAffinity Filter: existing pods anti-affinity and namespaceSelector', () => {
  const guard = makePod('guard', {
    nodeName: 'a1',
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } },
  });
  const c = newCluster(nodes(), [guard], { plugins });
  assert.equal(filterReasons(c, makePod('w', { labels: { app: 'web' } }), 'a2'), ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
  assert.equal(filterReasons(c, makePod('w', { labels: { app: 'web' } }), 'b1'), '');
  assert.equal(filterReasons(c, makePod('x', { labels: { app: 'other' } }), 'a2'), '');

  const db = makePod('db', { namespace: 'prod', nodeName: 'a1', labels: { app: 'db' } });
  const nsLabels = (ns: string): Record<string, string> | undefined => (ns === 'prod' ? { env: 'prod' } : {});
  const c2 = newCluster(nodes(), [db], { plugins, namespaceLabels: nsLabels });
  const affine = (env: string) =>
    makePod('p', {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE, { namespaceSelector: { matchLabels: { env } } })],
        },
      },
    });
  assert.equal(filterReasons(c2, affine('prod'), 'a2'), '');
  assert.equal(filterReasons(c2, affine('dev'), 'a2'), ERR_REASON_AFFINITY_RULES_NOT_MATCH);
});

test('InterPodAffinity Score: preferred terms on both sides, min-max normalized', () => {
  const db = makePod('db', { nodeName: 'a1', labels: { app: 'db' } });
  const c = newCluster(nodes(), [db], { plugins });
  const prefer = makePod('p', {
    affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('db', ZONE) }] } },
  });
  assert.deepEqual(scores(c, prefer), { a1: 200, b1: 0, a2: 200 });
  const avoid = makePod('p', {
    affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('db', HOST) }] } },
  });
  assert.deepEqual(scores(c, avoid), { a1: 0, b1: 200, a2: 200 });
  // an existing pod's required affinity attracts matching incoming pods (hard weight 1)
  const follower = makePod('f', {
    nodeName: 'b1',
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } },
  });
  const c2 = newCluster(nodes(), [follower], { plugins });
  assert.deepEqual(scores(c2, makePod('w', { labels: { app: 'web' } })), { a1: 0, b1: 200, a2: 0 });
  assert.deepEqual(scores(c2, makePod('x', { labels: { app: 'x' } })), { a1: 0, b1: 0, a2: 0 });
});
