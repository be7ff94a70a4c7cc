import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoad } from './load.js';

test('runLoad stops at maxOps and counts errors apart from successes', async () => {
  const seen: number[] = [];
  const r = await runLoad({
    concurrency: 4,
    maxOps: 20,
    maxMs: 10_000,
    op: async (i) => {
      seen.push(i);
      await new Promise((res) => setImmediate(res));
      if (i % 5 === 0) throw new Error(`op ${i} failed`);
    },
  });
  assert.equal(seen.length, 20);
  assert.deepEqual(
    [...seen].sort((a, b) => a - b),
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(r.ops, 16);
  assert.equal(r.errors, 4);
  assert.equal(r.firstError, 'op 0 failed');
  assert.equal(r.latency.count, 16);
});

test('runLoad stops at maxMs', async () => {
  const r = await runLoad({ concurrency: 2, maxOps: 1_000_000, maxMs: 100, op: () => new Promise((res) => setTimeout(res, 5)) });
  assert.ok(r.ops > 0 && r.ops < 200, `ops ${r.ops}`);
  assert.ok(r.elapsedMs < 1000, `elapsed ${r.elapsedMs}`);
});
