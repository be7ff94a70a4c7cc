import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartBackOff } from './restart.js';

describe('restart back-off', () => {
  it('restarts at once first, then waits 10 s doubling to 5 min after each exit', () => {
    const b = new RestartBackOff();
    let t = 0;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const s = b.of('u', 'c', t);
      waits.push(s.until - t);
      assert.equal(s.delayMs, s.until - t);
      b.next('u', 'c', t);
      t = s.until + 1000; // runs for a second, exits again
    }
    assert.deepEqual(waits, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('starts over once a container ran more than 10 min since its last restart', () => {
    const b = new RestartBackOff();
    b.next('u', 'c', 0);
    b.next('u', 'c', 1000);
    assert.equal(b.of('u', 'c', 2000).delayMs, 20_000);
    const later = 1000 + 10 * 60_000 + 1;
    assert.deepEqual(b.of('u', 'c', later), { until: later, delayMs: 0 });
    b.next('u', 'c', later);
    assert.equal(b.of('u', 'c', later + 1000).delayMs, 10_000);
  });

  it('keeps containers and pods apart, and forgets a pod', () => {
    const b = new RestartBackOff();
    b.next('u', 'a', 0);
    assert.equal(b.of('u', 'b', 0).delayMs, 0);
    assert.equal(b.of('v', 'a', 0).delayMs, 0);
    b.forget('u');
    assert.equal(b.of('u', 'a', 0).delayMs, 0);
  });
});
