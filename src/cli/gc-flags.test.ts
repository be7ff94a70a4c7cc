import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAgentFlags } from './agent-flags.js';
import { parseServerFlags } from './server-flags.js';

test('the garbage collection flags reach the server’s and the agent’s real node', () => {
  const argv = [
    '--image-gc-high-threshold=1',
    '--image-gc-low-threshold=0',
    '--minimum-image-ttl-duration=20s',
    '--maximum-dead-containers-per-container=-1',
    '--container-gc-period=2s',
    '--image-gc-period=1m30s',
  ];
  const want = {
    imageHighThresholdPercent: 1,
    imageLowThresholdPercent: 0,
    imageMinAgeMs: 20_000,
    maxPerPodContainer: -1,
    containerPeriodMs: 2_000,
    imagePeriodMs: 90_000,
  };
  assert.deepEqual(parseServerFlags(['--runtime', 'containerd', ...argv]).garbageCollection, want);
  const agent = parseAgentFlags(['--runtime', 'containerd', '--kubeconfig', '/k', ...argv]);
  assert.deepEqual(agent.runtime === 'containerd' && agent.garbageCollection, want);
  assert.deepEqual(parseServerFlags([]).garbageCollection, {}, 'upstream’s defaults');
  assert.throws(
    () => parseAgentFlags(['--kubeconfig', '/k', '--image-gc-period=1m']),
    /--image-gc-period does not apply to --runtime fake/,
  );
});

test('the garbage collection flags are checked as upstream’s kubelet checks them', () => {
  const cases: [string[], RegExp][] = [
    [
      ['--image-gc-high-threshold=101'],
      /^Error: invalid configuration: imageGCHighThresholdPercent \(--image-gc-high-threshold\) 101 must be between 0 and 100, inclusive$/,
    ],
    [
      ['--image-gc-low-threshold=-1'],
      /^Error: invalid configuration: imageGCLowThresholdPercent \(--image-gc-low-threshold\) -1 must be between 0 and 100, inclusive$/,
    ],
    [
      ['--image-gc-low-threshold=90'],
      /imageGCLowThresholdPercent \(--image-gc-low-threshold\) 90 must be less than imageGCHighThresholdPercent \(--image-gc-high-threshold\) 85$/,
    ],
    [['--image-gc-high-threshold=high'], /--image-gc-high-threshold: want an integer, got "high"/],
    [['--minimum-image-ttl-duration=-1s'], /--minimum-image-ttl-duration: must be zero or more, got -1s/],
    [['--container-gc-period=0s'], /--container-gc-period: must be positive, got 0s/],
    [['--image-gc-period=5'], /--image-gc-period: time: /],
  ];
  for (const [argv, want] of cases) assert.throws(() => parseServerFlags(argv), want, argv.join(' '));
});
