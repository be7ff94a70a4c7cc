import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rfc3339 } from '../../machinery/time.js';
import type { Pod } from '../controller-utils/types.js';
import type { PodMetricsInfo } from './metrics-client.js';
import { DEFAULT_HPA_TIMINGS } from './options.js';
import { groupPods, rawResourceReplicas, resourceReplicas } from './replica-calculator.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');

function pod(name: string, o: { phase?: string; ready?: boolean; startedAgo?: number; readyAgo?: number; deleting?: boolean } = {}): Pod {
  const started = rfc3339(NOW - (o.startedAgo ?? 3_600_000));
  return {
    metadata: { name, ...(o.deleting ? { deletionTimestamp: rfc3339(NOW) } : {}) },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '100m', memory: '100Mi' } } }] },
    status: {
      phase: o.phase ?? 'Running',
      startTime: started,
      conditions: [
        {
          type: 'Ready',
          status: o.ready === false ? 'False' : 'True',
          lastTransitionTime: rfc3339(NOW - (o.readyAgo ?? o.startedAgo ?? 3_600_000)),
        },
      ],
    },
  };
}

function metrics(values: Record<string, number>, at = NOW): PodMetricsInfo {
  return new Map(Object.entries(values).map(([k, value]) => [k, { timestamp: at, windowMs: 15_000, value }]));
}

const input = (pods: Pod[], m: PodMetricsInfo, currentReplicas = pods.length, resource = 'cpu') => ({
  currentReplicas,
  pods,
  metrics: m,
  resource,
  timings: DEFAULT_HPA_TIMINGS,
  now: NOW,
});

test('groups pods as upstream: ignored, unready, missing, ready', () => {
  const pods = [
    pod('deleting', { deleting: true }),
    pod('failed', { phase: 'Failed' }),
    pod('pending', { phase: 'Pending' }),
    pod('missing'),
    pod('young-fresh-sample', { startedAgo: 60_000, readyAgo: 10_000 }),
    pod('young-ready', { startedAgo: 60_000, readyAgo: 50_000 }),
    pod('never-ready', { ready: false, startedAgo: 600_000, readyAgo: 590_000 }),
    pod('ready-again-later', { ready: false, startedAgo: 600_000, readyAgo: 60_000 }),
  ];
  const g = groupPods(
    pods,
    metrics({ 'young-fresh-sample': 1, 'young-ready': 1, 'never-ready': 1, 'ready-again-later': 1 }),
    'cpu',
    DEFAULT_HPA_TIMINGS,
    NOW,
  );
  assert.deepEqual([...g.ignored], ['deleting', 'failed']);
  assert.deepEqual([...g.unready], ['pending', 'young-fresh-sample', 'never-ready']);
  assert.deepEqual([...g.missing], ['missing']);
  assert.equal(g.readyPodCount, 2);
});

test('utilization targets: ratio, tolerance, missing and unready pods', () => {
  const cases: [string, Pod[], Record<string, number>, number, number][] = [
    ['scale up by the ratio', [pod('a'), pod('b')], { a: 150, b: 150 }, 50, 6],
    ['within the tolerance', [pod('a'), pod('b')], { a: 54, b: 54 }, 50, 2],
    ['scale down', [pod('a'), pod('b'), pod('c')], { a: 10, b: 10, c: 10 }, 50, 1],
    // a missing pod counts at 100 % on a scale-down: (10 + 100) / 200 = 55 % → no change (over the target)
    ['missing pod on a scale-down', [pod('a'), pod('b')], { a: 10 }, 50, 2],
    // a missing pod counts at 0 on a scale-up: (200 + 0) / 200 = 100 % → ceil(2 × 2) = 4
    ['missing pod on a scale-up', [pod('a'), pod('b')], { a: 200 }, 50, 4],
    // a pending pod counts at 0 on a scale-up: same as missing
    ['pending pod on a scale-up', [pod('a'), pod('p', { phase: 'Pending' })], { a: 200 }, 50, 4],
  ];
  for (const [name, pods, m, target, want] of cases) {
    assert.equal(resourceReplicas(input(pods, metrics(m)), target, '').replicas, want, name);
  }
  const r = resourceReplicas(input([pod('a'), pod('b')], metrics({ a: 150, b: 151 })), 50, '');
  assert.deepEqual([r.utilization, r.rawAverage], [150, 150]);
});

test('errors as upstream words them', () => {
  assert.throws(
    () => resourceReplicas(input([], metrics({})), 50, ''),
    /^Error: no pods returned by selector while calculating replica count$/,
  );
  assert.throws(
    () => resourceReplicas(input([pod('p', { phase: 'Pending' })], metrics({})), 50, ''),
    /did not receive metrics for targeted pods \(pods might be unready\)/,
  );
  assert.throws(() => resourceReplicas(input([pod('a')], metrics({ a: 1 })), 50, 'other'), /no metrics returned matched known pods/);
  const noRequest: Pod = { ...pod('a'), spec: { containers: [{ name: 'app' }] } };
  assert.throws(() => resourceReplicas(input([noRequest], metrics({ a: 1 })), 50, ''), /missing request for cpu in container app of Pod a/);
});

test('average value targets', () => {
  const mi = 1024 * 1024 * 1000;
  assert.deepEqual(rawResourceReplicas(input([pod('a'), pod('b')], metrics({ a: 200 * mi, b: 200 * mi }), 2, 'memory'), 100 * mi), {
    replicas: 4,
    usage: 200 * mi,
  });
  assert.equal(rawResourceReplicas(input([pod('a'), pod('b')], metrics({ a: 10 * mi }), 2, 'memory'), 100 * mi).replicas, 2);
});
