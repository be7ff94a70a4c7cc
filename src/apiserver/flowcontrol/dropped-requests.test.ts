import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DroppedRequestsTracker } from './dropped-requests.js';

describe('DroppedRequestsTracker', () => {
  it('starts at 1 s, doubles while a level keeps rejecting, and comes back down when it stops', () => {
    let now = 0;
    const t = new DroppedRequestsTracker({ now: () => now });
    t.recordDropped('l');
    assert.equal(t.retryAfter('l'), 1);
    const seen: number[] = [];
    for (let s = 0; s < 20; s++) {
      now += 1000;
      t.recordDropped('l');
      seen.push(t.retryAfter('l'));
    }
    assert.ok((seen.at(-1) ?? 0) > 4, `grew: ${seen.join(',')}`);
    assert.ok(
      seen.every((v, i) => i === 0 || v >= (seen[i - 1] ?? 0)),
      `never shrinks while rejecting: ${seen.join(',')}`,
    );
    now += 10 * 60_000;
    assert.equal(t.retryAfter('l'), 1);
    assert.equal(t.retryAfter('other'), 1);
  });
});
