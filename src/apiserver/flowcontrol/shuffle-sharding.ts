/**
 * Shuffle sharding (upstream's util/shufflesharding): a flow's hash value deals it a hand of
 * `handSize` distinct queues out of a deck of `deckSize`, so two flows rarely share a whole hand
 * and one heavy flow fills only the queues of its own hand.
 */
import { createHash } from 'node:crypto';

/** The hash of a flow: its FlowSchema's name and its distinguisher (64 bits). */
export function hashFlowID(flowSchema: string, distinguisher: string): bigint {
  const digest = createHash('sha256').update(flowSchema).update('\0').update(distinguisher).digest();
  return digest.readBigUInt64BE(0);
}

export class Dealer {
  readonly deckSize: number;
  readonly handSize: number;

  constructor(options: { deckSize: number; handSize: number }) {
    if (options.deckSize < 1 || options.handSize < 1 || options.handSize > options.deckSize) {
      throw new Error(`invalid shuffle sharding: deckSize ${options.deckSize}, handSize ${options.handSize}`);
    }
    this.deckSize = options.deckSize;
    this.handSize = options.handSize;
  }

  /**
   * The hand of a hash value: handSize distinct card indices. Each step takes a remainder of the
   * hash by the number of cards left, then shifts it past the cards already dealt.
   */
  deal(hashValue: bigint): number[] {
    const remainders: number[] = [];
    let h = hashValue;
    for (let i = 0; i < this.handSize; i++) {
      const left = BigInt(this.deckSize - i);
      remainders.push(Number(h % left));
      h /= left;
    }
    const hand: number[] = [];
    for (let i = 0; i < remainders.length; i++) {
      let card = remainders[i] as number;
      for (const taken of [...hand].sort((a, b) => a - b)) if (card >= taken) card++;
      hand.push(card);
    }
    return hand;
  }
}
