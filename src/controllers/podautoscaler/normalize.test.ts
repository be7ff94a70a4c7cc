import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Behavior, ScalingHistory, scaleDownLimit, scaleUpLimit } from './normalize.js';

const UP = { periodSeconds: 60, timestamp: 0 };

test('scale-up and scale-down limits by policy and selectPolicy', () => {
  const policies = [
    { type: 'Pods' as const, value: 4, periodSeconds: 60 },
    { type: 'Percent' as const, value: 100, periodSeconds: 60 },
  ];
  const cases: [string, number, number][] = [
    ['Max', 3, 7],
    ['Min', 3, 6],
    ['Max', 10, 20],
    ['Min', 10, 14],
    ['Disabled', 10, 10],
  ];
  for (const [selectPolicy, current, want] of cases) {
    assert.equal(scaleUpLimit(current, [], [], { selectPolicy: selectPolicy as 'Max', policies }, 0), want, `${selectPolicy} ${current}`);
  }
  const down = [
    { type: 'Pods' as const, value: 1, periodSeconds: 60 },
    { type: 'Percent' as const, value: 50, periodSeconds: 60 },
  ];
  assert.equal(scaleDownLimit(10, [], [], { selectPolicy: 'Max', policies: down }, 0), 5);
  assert.equal(scaleDownLimit(10, [], [], { selectPolicy: 'Min', policies: down }, 0), 9);
  // 3 pods were removed within the period: the period started at 13, 50 % of which is 6.5 → 6
  assert.equal(scaleDownLimit(10, [], [{ change: 3, ...UP, outdated: false }], { selectPolicy: 'Max', policies: down }, 1000), 6);
});

test('with behavior: stabilization windows both ways, then the rate', () => {
  let now = 0;
  const h = new ScalingHistory({ downscaleStabilizationMs: 300_000, now: () => now });
  const behavior: Behavior = {
    scaleUp: { stabilizationWindowSeconds: 30, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
    scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  };
  const n = (current: number, desired: number) =>
    h.normalize({ key: 'k', currentReplicas: current, desiredReplicas: desired, minReplicas: 1, maxReplicas: 20, behavior });
  assert.equal(n(3, 3).replicas, 3);
  now = 10_000;
  const up = n(3, 8);
  assert.deepEqual([up.replicas, up.ableToScale.reason], [3, 'ScaleUpStabilized'], 'the 3 of 10 s ago is the lowest of the window');
  now = 41_000;
  const limited = n(3, 8);
  assert.deepEqual([limited.replicas, limited.limited.status, limited.limited.reason], [5, 'True', 'ScaleUpLimit']);
  h.recordScale('k', behavior, 3, 5);
  now = 50_000;
  const down = n(5, 2);
  // the default 5 min scale-down window holds the 8s recommended before: no lower than the current 5
  assert.deepEqual([down.replicas, down.ableToScale.reason], [5, 'ScaleDownStabilized']);
});

test('without behavior: the highest recommendation of the downscale window, and max(2 × current, 4)', () => {
  let now = 0;
  const h = new ScalingHistory({ downscaleStabilizationMs: 60_000, now: () => now });
  const n = (current: number, desired: number, min = 1) =>
    h.normalize({ key: 'k', currentReplicas: current, desiredReplicas: desired, minReplicas: min, maxReplicas: 10, behavior: undefined });
  const up = n(1, 9);
  assert.deepEqual(
    [up.replicas, up.limited.reason, up.limited.message],
    [4, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'],
  );
  now = 30_000;
  const held = n(4, 2);
  assert.deepEqual([held.replicas, held.ableToScale.reason], [8, 'ScaleDownStabilized'], 'the 9 of 30 s ago holds, at most 2 × 4');
  now = 100_000;
  const down = n(4, 2);
  assert.deepEqual([down.replicas, down.ableToScale.reason, down.limited.status], [2, 'ReadyForNewScale', 'False']);
  now = 200_000;
  assert.deepEqual(n(2, 0, 0).limited, { status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is zero' });
});
