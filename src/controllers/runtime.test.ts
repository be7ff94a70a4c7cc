import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeQueue } from '../client/testing/fake-queue.js';
import { runWorkers } from '../client/workqueue-workers.js';

test('runWorkers requeues failures with rate limiting, forgets successes, drops after maxRetries', async () => {
  const cases: { maxRetries?: number; failures: number; wantCalls: number; wantRequeues: number }[] = [
    { failures: 0, wantCalls: 1, wantRequeues: 0 },
    { failures: 2, wantCalls: 3, wantRequeues: 0 },
    { maxRetries: 1, failures: 5, wantCalls: 2, wantRequeues: 0 },
  ];
  for (const c of cases) {
    const queue = new FakeQueue();
    queue.add('ns/a');
    let calls = 0;
    const errors: string[] = [];
    await runWorkers({
      queue,
      workers: 2,
      signal: new AbortController().signal,
      ...(c.maxRetries !== undefined ? { maxRetries: c.maxRetries } : {}),
      onError: (key) => errors.push(key),
      sync: async () => {
        if (calls++ < c.failures) throw new Error('boom');
      },
    });
    assert.equal(calls, c.wantCalls, JSON.stringify(c));
    assert.equal(queue.numRequeues('ns/a'), c.wantRequeues, JSON.stringify(c));
    assert.equal(errors.length, Math.min(c.failures, c.wantCalls), JSON.stringify(c));
  }
});

test('runWorkers returns at once and shuts the queue down when already aborted', async () => {
  const queue = new FakeQueue();
  queue.add('ns/a');
  const ac = new AbortController();
  ac.abort();
  let calls = 0;
  await runWorkers({ queue, workers: 1, signal: ac.signal, sync: async () => void calls++ });
  assert.equal(calls, 0);
  assert.equal(await queue.get(), undefined);
});
