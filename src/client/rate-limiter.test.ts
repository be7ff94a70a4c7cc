import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  sleep,
  TokenBucket,
} from './rate-limiter.js';
import { FakeClock } from './testing/fake-clock.js';

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles from the base delay per failure and caps at the maximum', () => {
    const l = new ItemExponentialFailureRateLimiter(5, 1000 * 1000);
    const got = Array.from({ length: 6 }, () => l.when('a'));
    assert.deepEqual(got, [5, 10, 20, 40, 80, 160]);
    assert.equal(l.numRequeues('a'), 6);
    assert.equal(l.when('b'), 5, 'keys back off independently');
    for (let i = 0; i < 30; i++) l.when('a');
    assert.equal(l.when('a'), 1000 * 1000);
    for (let i = 0; i < 2000; i++) l.when('a');
    assert.equal(l.when('a'), 1000 * 1000, 'no overflow to Infinity/NaN');
  });

  it('forget resets the backoff', () => {
    const l = new ItemExponentialFailureRateLimiter(1, 100);
    l.when('a');
    l.when('a');
    l.forget('a');
    assert.equal(l.numRequeues('a'), 0);
    assert.equal(l.when('a'), 1);
  });
});

describe('TokenBucket', () => {
  it('starts full, then refills at qps', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 2, burst: 3, clock });
    assert.deepEqual([b.tryAccept(), b.tryAccept(), b.tryAccept(), b.tryAccept()], [true, true, true, false]);
    await clock.step(499);
    assert.equal(b.tryAccept(), false);
    await clock.step(1);
    assert.equal(b.tryAccept(), true);
  });

  it('reserve returns the wait for a token in the future', () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 10, burst: 2, clock });
    const got = [b.reserve(), b.reserve(), b.reserve(), b.reserve()].map((ms) => Math.round(ms));
    assert.deepEqual(got, [0, 0, 100, 200]);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('is the max of per-key backoff and a 10 qps / burst 100 bucket', () => {
    const clock = new FakeClock();
    const l = defaultControllerRateLimiter(clock);
    for (let i = 0; i < 100; i++) assert.equal(l.when(`k${i}`), 5);
    assert.equal(Math.round(l.when('k100')), 100, 'the 101st request waits for the bucket');
    assert.equal(l.numRequeues('k1'), 1);
    l.forget('k1');
    assert.equal(l.numRequeues('k1'), 0);
  });

  it('MaxOfRateLimiter takes the longest delay', () => {
    const clock = new FakeClock();
    const l = new MaxOfRateLimiter(
      new ItemExponentialFailureRateLimiter(1000, 10_000),
      new BucketRateLimiter(new TokenBucket({ qps: 1, burst: 1, clock })),
    );
    assert.equal(l.when('a'), 1000);
    assert.equal(l.when('b'), 1000);
    assert.equal(l.when('a'), 2000);
  });
});

describe('sleep', () => {
  it('resolves after the delay, or early on abort', async () => {
    const clock = new FakeClock();
    let done = false;
    void sleep(clock, 100).then(() => (done = true));
    await clock.step(99);
    assert.equal(done, false);
    await clock.step(1);
    assert.equal(done, true);
    const ac = new AbortController();
    let aborted = false;
    void sleep(clock, 1000, ac.signal).then(() => (aborted = true));
    ac.abort();
    await clock.settle();
    assert.equal(aborted, true);
    assert.equal(clock.pendingTimers, 0, 'the timer is cancelled');
  });
});
