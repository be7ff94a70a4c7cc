import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerFlags } from './server-flags.js';

test('--node-monitor-grace-period takes a Go duration and defaults to 40s', () => {
  const cases: [string[], number][] = [
    [[], 40_000],
    [['--node-monitor-grace-period', '10s'], 10_000],
    [['--node-monitor-grace-period', '1m30s'], 90_000],
    [['--node-monitor-grace-period=1500ms'], 1_500],
  ];
  for (const [argv, want] of cases) assert.equal(parseServerFlags(argv).nodeMonitorGracePeriodMs, want, argv.join(' '));
});

test('--node-monitor-grace-period rejects what is not a positive duration', () => {
  const cases: [string, RegExp][] = [
    ['10', /--node-monitor-grace-period: time: /],
    ['ten seconds', /--node-monitor-grace-period: time: /],
    ['0s', /--node-monitor-grace-period: must be positive, got 0s/],
    ['-5s', /--node-monitor-grace-period: must be positive, got -5s/],
  ];
  for (const [value, want] of cases) assert.throws(() => parseServerFlags([`--node-monitor-grace-period=${value}`]), want, value);
});
