import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './testing/fake-clock.js';
import { RateLimitingQueue } from './workqueue.js';
import { runWorkers, TerminalError } from './workqueue-workers.js';

describe('runWorkers', () => {
  it('syncs keys, forgets on success, requeues rate-limited on error, drops terminal errors', async () => {
    const clock = new FakeClock();
    const queue = new RateLimitingQueue({ clock });
    const ac = new AbortController();
    const calls: string[] = [];
    const errors: { key: string; requeued: boolean }[] = [];
    let flakyFailures = 2;
    const running = runWorkers({
      queue,
      workers: 2,
      signal: ac.signal,
      sync: async (key) => {
        calls.push(key);
        if (key === 'flaky' && flakyFailures-- > 0) throw new Error('try again');
        if (key === 'bad') throw new TerminalError('invalid spec');
      },
      onError: (key, _err, requeued) => errors.push({ key, requeued }),
    });
    queue.add('ok');
    queue.add('flaky');
    queue.add('bad');
    await clock.step(0);
    assert.equal(queue.numRequeues('flaky'), 1);
    await clock.step(5);
    assert.equal(queue.numRequeues('flaky'), 2);
    await clock.step(10);
    assert.equal(queue.numRequeues('flaky'), 0, 'forgotten after the successful sync');
    assert.deepEqual(calls.filter((c) => c === 'flaky').length, 3);
    assert.deepEqual(errors, [
      { key: 'flaky', requeued: true },
      { key: 'bad', requeued: false },
      { key: 'flaky', requeued: true },
    ]);
    assert.equal(queue.numRequeues('bad'), 0);
    ac.abort();
    await running;
    assert.equal(queue.shuttingDown, true);
  });

  it('never syncs the same key concurrently and re-syncs a key re-added meanwhile', async () => {
    const queue = new RateLimitingQueue();
    const ac = new AbortController();
    let active = 0;
    let maxActive = 0;
    let syncs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const running = runWorkers({
      queue,
      workers: 4,
      signal: ac.signal,
      sync: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        syncs++;
        if (syncs === 1) await gate;
        active--;
      },
    });
    queue.add('a');
    await new Promise((r) => setImmediate(r));
    queue.add('a');
    queue.add('a');
    await new Promise((r) => setImmediate(r));
    assert.equal(syncs, 1, 'held back while the first sync runs');
    release();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(syncs, 2, 'the re-adds collapse into one more sync');
    assert.equal(maxActive, 1);
    ac.abort();
    await running;
  });

  it('returns at once for an already aborted signal', async () => {
    const queue = new RateLimitingQueue();
    queue.add('a');
    let synced = false;
    await runWorkers({
      queue,
      workers: 1,
      signal: AbortSignal.abort(),
      sync: async () => {
        synced = true;
      },
    });
    assert.equal(synced, false);
  });
});
