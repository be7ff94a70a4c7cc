/**
 * A Clock for unit tests: time moves only when the test steps it, and stepping fires due
 * timers in order, letting promise chains settle between them. `now` is bound, so it can be
 * handed on alone (`now: clock.now`).
 */
import { setImmediate as settle } from 'node:timers/promises';
import type { Clock } from '../rate-limiter.js';

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];

  constructor(start = Date.UTC(2024, 0, 1)) {
    this.#now = start;
  }

  now = (): number => this.#now;

  setTimeout(fn: () => void, ms: number): () => void {
    const timer: FakeTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Lets pending promise callbacks (and I/O callbacks of in-memory fakes) run. */
  async settle(rounds = 5): Promise<void> {
    for (let i = 0; i < rounds; i++) await settle();
  }

  /** Moves time forward by `ms`, firing every timer that falls due, oldest first. */
  async step(ms: number): Promise<void> {
    const end = this.#now + ms;
    await this.settle();
    for (;;) {
      const next = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await this.settle();
    }
    this.#now = end;
    await this.settle();
  }
}
