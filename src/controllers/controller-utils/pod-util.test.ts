import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareForDeletion, isPodAvailable, podsToDelete } from './pod-util.js';
import { pod } from './testing/objects.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const H = 3600_000;
const L = { app: 'x' };

test('compareForDeletion ranks as ActivePodsWithRanks', () => {
  const cases: { name: string; first: ReturnType<typeof pod>; second: ReturnType<typeof pod>; ranks?: [number, number] }[] = [
    {
      name: 'unassigned before assigned',
      first: pod('a', L, { phase: 'Pending' }),
      second: pod('b', L, { phase: 'Pending', nodeName: 'n1' }),
    },
    { name: 'pending before running', first: pod('a', L, { phase: 'Pending', nodeName: 'n1' }), second: pod('b', L, { nodeName: 'n1' }) },
    { name: 'unknown before running', first: pod('a', L, { phase: 'Unknown', nodeName: 'n1' }), second: pod('b', L, { nodeName: 'n1' }) },
    {
      name: 'not ready before ready',
      first: pod('a', L, { nodeName: 'n1' }),
      second: pod('b', L, { nodeName: 'n1', readySince: NOW - H }),
    },
    {
      name: 'lower deletion cost first',
      first: pod('a', L, { nodeName: 'n1', readySince: NOW - 10 * H, deletionCost: -5 }),
      second: pod('b', L, { nodeName: 'n1', readySince: NOW - H }),
    },
    {
      name: 'doubled up first',
      first: pod('a', L, { nodeName: 'n1', readySince: NOW - H }),
      second: pod('b', L, { nodeName: 'n2', readySince: NOW - H }),
      ranks: [2, 1],
    },
    {
      name: 'ready more recently first',
      first: pod('a', L, { nodeName: 'n1', readySince: NOW - 60_000 }),
      second: pod('b', L, { nodeName: 'n1', readySince: NOW - 10 * H }),
    },
    {
      name: 'more restarts first',
      first: pod('a', L, { nodeName: 'n1', restarts: 3 }),
      second: pod('b', L, { nodeName: 'n1', restarts: 1 }),
    },
    {
      name: 'newer first',
      first: pod('a', L, { nodeName: 'n1', created: NOW - 60_000 }),
      second: pod('b', L, { nodeName: 'n1', created: NOW - 10 * H }),
    },
  ];
  for (const c of cases) {
    const [ra, rb] = c.ranks ?? [0, 0];
    assert.ok(compareForDeletion({ pod: c.first, rank: ra }, { pod: c.second, rank: rb }, NOW) < 0, `${c.name}: want first < second`);
    assert.ok(compareForDeletion({ pod: c.second, rank: rb }, { pod: c.first, rank: ra }, NOW) > 0, `${c.name}: want second > first`);
  }
});

test('podsToDelete takes the best-ranked pods and counts co-located related pods', () => {
  const pods = [
    pod('ready-n1', L, { nodeName: 'n1', readySince: NOW - H }),
    pod('ready-n2', L, { nodeName: 'n2', readySince: NOW - H }),
    pod('pending', L, { phase: 'Pending' }),
  ];
  const related = [...pods, pod('other-n2', L, { nodeName: 'n2', readySince: NOW - H })];
  assert.deepEqual(
    podsToDelete(pods, related, 2, NOW).map((p) => p.metadata.name),
    ['pending', 'ready-n2'],
  );
  assert.equal(podsToDelete(pods, related, 5, NOW).length, 3);
});

test('isPodAvailable honours minReadySeconds', () => {
  const p = pod('a', L, { readySince: NOW - 5000 });
  assert.equal(isPodAvailable(p, 0, NOW), true);
  assert.equal(isPodAvailable(p, 5, NOW), true);
  assert.equal(isPodAvailable(p, 6, NOW), false);
  assert.equal(isPodAvailable(pod('b', L), 0, NOW), false);
});
