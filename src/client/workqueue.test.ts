import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';
import { FakeClock } from './testing/fake-clock.js';
import { RateLimitingQueue } from './workqueue.js';

function newQueue(clock = new FakeClock()) {
  return { clock, queue: new RateLimitingQueue({ clock, name: 'test' }) };
}

describe('RateLimitingQueue', () => {
  it('hands keys out in order and deduplicates while queued', async () => {
    const { queue } = newQueue();
    for (const k of ['a', 'b', 'a', 'c', 'b']) queue.add(k);
    assert.equal(queue.length, 3);
    assert.deepEqual([await queue.get(), await queue.get(), await queue.get()], ['a', 'b', 'c']);
    assert.equal(queue.length, 0);
  });

  it('does not hand out a key being processed; a re-add is queued again on done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    assert.equal(await queue.get(), 'a');
    queue.add('a');
    queue.add('a');
    assert.equal(queue.length, 0, 'held back while processing');
    queue.add('b');
    assert.equal(await queue.get(), 'b');
    queue.done('a');
    assert.equal(queue.length, 1);
    assert.equal(await queue.get(), 'a');
    queue.done('a');
    queue.done('b');
    assert.equal(queue.length, 0, 'not re-added, so not requeued');
  });

  it('get waits for the next add and getters are served in order', async () => {
    const { queue } = newQueue();
    const first = queue.get();
    const second = queue.get();
    queue.add('x');
    queue.add('y');
    assert.deepEqual(await Promise.all([first, second]), ['x', 'y']);
  });

  it('shutDown resolves waiting getters with undefined and ignores later adds', async () => {
    const { queue } = newQueue();
    const waiting = queue.get();
    queue.shutDown();
    assert.equal(await waiting, undefined);
    queue.add('a');
    assert.equal(await queue.get(), undefined);
    assert.equal(queue.shuttingDown, true);
  });

  it('addAfter delays a key, keeps the earliest time and is cleared by shutDown', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 100);
    queue.addAfter('a', 50);
    queue.addAfter('a', 500);
    assert.equal(queue.waitingLength, 1);
    await clock.step(49);
    assert.equal(queue.length, 0);
    await clock.step(1);
    assert.equal(queue.length, 1);
    assert.equal(clock.pendingTimers, 0, 'the superseded timer was cancelled');
    queue.addAfter('b', 0);
    assert.equal(queue.length, 2, 'zero delay adds at once');
    queue.addAfter('c', 1000);
    queue.shutDown();
    assert.equal(clock.pendingTimers, 0);
    assert.equal(queue.waitingLength, 0);
  });

  it('addAfter of a key already queued does not duplicate it', async () => {
    const { queue, clock } = newQueue();
    queue.add('a');
    queue.addAfter('a', 10);
    await clock.step(10);
    assert.equal(queue.length, 1);
  });

  it('addRateLimited backs off exponentially per key until forget', async () => {
    const clock = new FakeClock();
    const queue = new RateLimitingQueue({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000 * 1000) });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      queue.addRateLimited('a');
      while (queue.length === 0) await clock.step(1);
      delays.push(clock.now() - start);
      assert.equal(await queue.get(), 'a');
      queue.done('a');
    }
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(queue.numRequeues('a'), 4);
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
  });

  it('uses the default controller rate limiter (5 ms first retry)', async () => {
    const { queue, clock } = newQueue();
    queue.addRateLimited('a');
    await clock.step(4);
    assert.equal(queue.length, 0);
    await clock.step(1);
    assert.equal(queue.length, 1);
  });

  it('keeps order over many keys (deque compaction)', async () => {
    const { queue } = newQueue();
    const keys = Array.from({ length: 5000 }, (_, i) => `ns/k${i}`);
    for (const k of keys) queue.add(k);
    const got: string[] = [];
    for (let i = 0; i < 3000; i++) got.push((await queue.get())!);
    for (let i = 0; i < 10; i++) queue.add(`late${i}`);
    while (queue.length > 0) got.push((await queue.get())!);
    assert.deepEqual(got, [...keys, ...Array.from({ length: 10 }, (_, i) => `late${i}`)]);
  });
});
