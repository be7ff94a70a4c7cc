import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedTokens } from './verified-tokens.js';

describe('VerifiedTokens', () => {
  it('remembers a token for 10 s, never past its exp, apart per audience', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokens<string>({ now: () => now });
    const key = cache.key('token', ['api']);
    assert.notEqual(key, cache.key('token', ['other']));
    assert.ok(!key.includes('token'));
    cache.set(key, 'sa', now + 60_000);
    cache.set(cache.key('short', ['api']), 'short', now + 2_000);
    cache.set(cache.key('expired', ['api']), 'expired', now);
    now += 2_000;
    assert.equal(cache.get(key), 'sa');
    assert.equal(cache.get(cache.key('short', ['api'])), undefined);
    assert.equal(cache.get(cache.key('expired', ['api'])), undefined);
    now += 8_000;
    assert.equal(cache.get(key), undefined);
  });

  it('lets the oldest entry go when 4096 are kept', () => {
    const cache = new VerifiedTokens<number>();
    const far = Date.now() + 60_000;
    for (let i = 0; i <= 4096; i++) cache.set(cache.key(`t${i}`, []), i, far);
    assert.equal(cache.get(cache.key('t0', [])), undefined);
    assert.equal(cache.get(cache.key('t1', [])), 1);
    assert.equal(cache.get(cache.key('t4096', [])), 4096);
  });
});
