/** A manual clock for tests: time moves only when `advance` or `set` is called. */
import { type Clock, TimerHeap } from '../clock.js';
import { setImmediate as settle } from 'node:timers/promises';

export class FakeClock implements Clock {
  readonly #heap = new TimerHeap();
  #now: number;

  constructor(start = Date.parse('2025-01-01T00:00:00Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const t = this.#heap.push(this.#now + Math.max(0, ms), fn);
    return () => {
      t.fn = undefined;
    };
  }

  /** Moves time forward and runs the timers that came due, in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (let t = this.#heap.peek(); t && t.at <= end; t = this.#heap.peek()) {
      this.#now = Math.max(this.#now, t.at);
      this.#heap.runDue(this.#now);
    }
    this.#now = end;
  }

  /** Lets pending promise callbacks run (the kubelet's syncs are async). */
  async settle(rounds = 10): Promise<void> {
    for (let i = 0; i < rounds; i++) await settle();
  }

  /** Advances in steps of `stepMs`, settling promises between steps. */
  async step(ms: number, stepMs = ms): Promise<void> {
    await this.settle();
    for (let done = 0; done < ms; done += stepMs) {
      this.advance(Math.min(stepMs, ms - done));
      await this.settle();
    }
  }

  /** Timers still pending (cancelled ones included until they come due). */
  get pending(): number {
    return this.#heap.size;
  }
}
