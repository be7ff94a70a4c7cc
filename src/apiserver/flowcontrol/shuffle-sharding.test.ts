import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dealer, hashFlowID } from './shuffle-sharding.js';

describe('shuffle sharding', () => {
  it('deals hands of distinct cards from the deck, the same for the same hash', () => {
    const dealer = new Dealer({ deckSize: 128, handSize: 6 });
    for (let i = 0; i < 500; i++) {
      const hash = hashFlowID('global-default', `user-${i}`);
      const hand = dealer.deal(hash);
      assert.equal(new Set(hand).size, 6, `distinct: ${hand.join(',')}`);
      assert.ok(hand.every((c) => Number.isInteger(c) && c >= 0 && c < 128));
      assert.deepEqual(dealer.deal(hash), hand);
    }
  });

  it('deals every card of a full hand, and spreads flows over the deck', () => {
    assert.deepEqual(
      new Dealer({ deckSize: 5, handSize: 5 }).deal(123456789n).sort((a, b) => a - b),
      [0, 1, 2, 3, 4],
    );
    const dealer = new Dealer({ deckSize: 16, handSize: 4 });
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) for (const c of dealer.deal(hashFlowID('fs', String(i)))) seen.add(c);
    assert.equal(seen.size, 16);
  });

  it('refuses a hand larger than the deck', () => {
    assert.throws(() => new Dealer({ deckSize: 4, handSize: 5 }), /invalid shuffle sharding/);
  });
});
