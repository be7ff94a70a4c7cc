import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, percentile, summarize } from './stats.js';

test('percentile uses nearest rank', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  const cases: [number, number][] = [
    [50, 50],
    [99, 99],
    [100, 100],
    [0, 1],
  ];
  for (const [p, want] of cases) assert.equal(percentile(sorted, p), want, `p${p}`);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('summarize ignores unused buffer space and sorts numerically', () => {
  const buf = new Float64Array(10);
  buf.set([10, 2, 30, 4]);
  const s = summarize(buf, 4);
  assert.deepEqual(s, { count: 4, p50: 4, p99: 30, mean: 11.5, max: 30 });
});

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
