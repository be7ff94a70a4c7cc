import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Decision, QueueSet, type QueueSetConfig } from './queue-set.js';

const queuing = (queues: number, handSize: number, queueLengthLimit: number, concurrencyLimit = 1): QueueSetConfig => ({
  name: 'l',
  concurrencyLimit,
  queuing: { queues, handSize, queueLengthLimit },
});

function released(d: Decision): void {
  assert.equal(d.execute, true);
  if (d.execute) d.release();
}

describe('QueueSet', () => {
  it('executes while seats are free, then queues, then rejects queue-full', async () => {
    const qs = new QueueSet({ config: queuing(1, 1, 2, 2), waitLimitMs: 60_000 });
    const a = await qs.startRequest(1n);
    const b = await qs.startRequest(2n);
    assert.deepEqual([a.execute, b.execute, qs.executing], [true, true, 2]);
    const c = qs.startRequest(3n);
    const d = qs.startRequest(4n);
    assert.deepEqual(await qs.startRequest(5n), { execute: false, reason: 'queue-full' });
    assert.equal(qs.waiting, 2);
    released(a);
    const cd = await c;
    assert.deepEqual(cd.execute && cd.queued, true);
    released(b);
    released(await d);
    released(cd);
    assert.deepEqual([qs.executing, qs.waiting], [0, 0]);
  });

  it('rejects at once without queuing (limitResponse Reject)', async () => {
    const qs = new QueueSet({ config: { name: 'r', concurrencyLimit: 1 }, waitLimitMs: 60_000 });
    const a = await qs.startRequest(1n);
    assert.deepEqual(await qs.startRequest(1n), { execute: false, reason: 'concurrency-limit' });
    released(a);
    released(await qs.startRequest(1n));
  });

  it('rejects a request that waits past the wait limit, and one whose client left', async () => {
    const qs = new QueueSet({ config: queuing(4, 2, 10), waitLimitMs: 20 });
    const a = await qs.startRequest(1n);
    assert.deepEqual(await qs.startRequest(1n), { execute: false, reason: 'time-out' });
    const gone = new AbortController();
    const b = qs.startRequest(1n, gone.signal);
    gone.abort();
    assert.deepEqual(await b, { execute: false, reason: 'cancelled' });
    assert.equal(qs.waiting, 0);
    released(a);
  });

  it('serves queues in turn: a heavy flow does not starve a light one', async () => {
    // 64 queues, hands of 1: hash 0 deals queue 0, hash 1 queue 1
    const qs = new QueueSet({ config: queuing(64, 1, 50), waitLimitMs: 60_000 });
    const first = await qs.startRequest(0n);
    const order: string[] = [];
    const decisions: Decision[] = [];
    const track = (name: string, p: Promise<Decision>): void => {
      p.then((d) => {
        order.push(name);
        decisions.push(d);
      });
    };
    for (let i = 0; i < 5; i++) track(`heavy${i}`, qs.startRequest(0n));
    track('light', qs.startRequest(1n));
    released(first);
    for (let i = 0; i < 6; i++) {
      while (decisions.length <= i) await new Promise((r) => setImmediate(r));
      released(decisions[i] as Decision);
    }
    assert.ok(order.indexOf('light') <= 1, `light served among the first two: ${order.join(',')}`);
    assert.equal(order.length, 6);
  });

  it('deals waiting requests into new queues when the configuration changes', async () => {
    const qs = new QueueSet({ config: queuing(8, 2, 10), waitLimitMs: 60_000 });
    const a = await qs.startRequest(7n);
    const waiting = [qs.startRequest(7n), qs.startRequest(9n)];
    qs.setConfig(queuing(8, 2, 10, 3));
    for (const d of await Promise.all(waiting)) released(d);
    released(a);
    qs.setConfig({ name: 'l', concurrencyLimit: 0 });
    assert.deepEqual(await qs.startRequest(1n), { execute: false, reason: 'concurrency-limit' });
  });
});
