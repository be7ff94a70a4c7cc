import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerFlags } from './server-flags.js';

test('autoscaling flags: upstream defaults, durations, and refusals', () => {
  assert.deepEqual(parseServerFlags([]).autoscaling, {
    metricResolutionMs: 15_000,
    horizontalPodAutoscaler: {
      syncPeriodMs: 15_000,
      tolerance: 0.1,
      downscaleStabilizationMs: 300_000,
      cpuInitializationPeriodMs: 300_000,
      initialReadinessDelayMs: 30_000,
    },
  });
  const f = parseServerFlags([
    '--metric-resolution=2s',
    '--horizontal-pod-autoscaler-sync-period=500ms',
    '--horizontal-pod-autoscaler-tolerance=0.05',
    '--horizontal-pod-autoscaler-downscale-stabilization=0s',
  ]).autoscaling;
  assert.deepEqual(
    [
      f.metricResolutionMs,
      f.horizontalPodAutoscaler.syncPeriodMs,
      f.horizontalPodAutoscaler.tolerance,
      f.horizontalPodAutoscaler.downscaleStabilizationMs,
    ],
    [2000, 500, 0.05, 0],
  );
  assert.throws(() => parseServerFlags(['--metric-resolution=0s']), /--metric-resolution: must be positive/);
  assert.throws(() => parseServerFlags(['--horizontal-pod-autoscaler-sync-period=soon']), /--horizontal-pod-autoscaler-sync-period: /);
  assert.throws(
    () => parseServerFlags(['--horizontal-pod-autoscaler-tolerance=-1']),
    /--horizontal-pod-autoscaler-tolerance: want a number/,
  );
});
