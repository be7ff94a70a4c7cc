import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deployment, replicaSet } from '../controller-utils/testing/objects.js';
import type { ReplicaSet } from '../controller-utils/types.js';
import {
  getProportion,
  MAX_REPLICAS_ANNOTATION,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  setNewReplicaSetAnnotations,
} from './util.js';

test('maxSurge rounds up, maxUnavailable down, as ResolveFenceposts', () => {
  const cases: { replicas: number; surge: number | string; unavailable: number | string; want: [number, number] }[] = [
    { replicas: 10, surge: '25%', unavailable: '25%', want: [3, 2] },
    { replicas: 3, surge: '25%', unavailable: '25%', want: [1, 0] },
    { replicas: 1, surge: 0, unavailable: '10%', want: [0, 1] },
    { replicas: 4, surge: 1, unavailable: 1, want: [1, 1] },
    { replicas: 2, surge: 0, unavailable: 5, want: [0, 2] },
    { replicas: 0, surge: '50%', unavailable: '50%', want: [0, 0] },
  ];
  for (const c of cases) {
    const d = deployment('d', c.replicas, {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: c.surge, maxUnavailable: c.unavailable } },
    });
    assert.deepEqual([maxSurge(d), maxUnavailable(d)], c.want, JSON.stringify(c));
  }
  const recreate = deployment('d', 5, { strategy: { type: 'Recreate' } });
  assert.deepEqual([maxSurge(recreate), maxUnavailable(recreate)], [0, 0]);
});

test('newRSNewReplicas never exceeds desired + maxSurge', () => {
  const d = deployment('d', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
  const cases: { newReplicas: number; old: number; want: number }[] = [
    { newReplicas: 0, old: 10, want: 3 },
    { newReplicas: 3, old: 10, want: 3 },
    { newReplicas: 3, old: 8, want: 5 },
    { newReplicas: 9, old: 0, want: 10 },
  ];
  for (const c of cases) {
    const fresh = replicaSet('new', c.newReplicas);
    assert.equal(newRSNewReplicas(d, [fresh, replicaSet('old', c.old)], fresh), c.want, JSON.stringify(c));
  }
});

test('getProportion scales each set by its share of max-replicas', () => {
  const withMax = (name: string, replicas: number, max: number): ReplicaSet => {
    const rs = replicaSet(name, replicas);
    rs.metadata.annotations = { [MAX_REPLICAS_ANNOTATION]: String(max) };
    return rs;
  };
  const d = deployment('d', 20, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
  // Was 10 (+3 surge = 13): a set of 8 grows to round(8*23/13)=14.
  assert.equal(getProportion(withMax('a', 8, 13), d, 10, 0), 6);
  assert.equal(getProportion(withMax('a', 8, 13), d, 10, 7), 3, 'bounded by what is left');
  assert.equal(getProportion(withMax('a', 8, 13), deployment('d', 0), -8, 0), -8, 'scaling to zero removes the whole set');
});

test('setNewReplicaSetAnnotations renumbers a rolled-back set and keeps its revision history', () => {
  const d = deployment('d', 3);
  d.metadata.annotations = { 'kubernetes.io/change-cause': 'kubectl set image', 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
  const rs = replicaSet('d-1', 3);
  rs.metadata.annotations = { [REVISION_ANNOTATION]: '1' };
  assert.equal(setNewReplicaSetAnnotations(d, rs, 3, true), true);
  assert.deepEqual(rs.metadata.annotations, {
    [REVISION_ANNOTATION]: '3',
    [REVISION_HISTORY_ANNOTATION]: '1',
    'kubernetes.io/change-cause': 'kubectl set image',
  });
  assert.equal(setNewReplicaSetAnnotations(d, rs, 3, true), false, 'idempotent');
  setNewReplicaSetAnnotations(d, rs, 5, true);
  assert.equal(rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION], '1,3');
});
