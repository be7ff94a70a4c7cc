/**
 * Time for the kubelet and its runtimes: `now()` and one-shot timers. The real clock keeps
 * every pending timer of an agent process (thousands of nodes) in one min-heap behind a single
 * Node.js timer, so container exits, readiness delays, back-offs and heartbeats cost no timer
 * each. Tests use client/testing/fake-clock.ts.
 */

import type { Clock } from '../client/rate-limiter.js';

/** The client machinery's clock (now + cancellable one-shot timers), so queues and runtimes share it. */
export type { Clock };

interface Timer {
  at: number;
  seq: number;
  fn: (() => void) | undefined;
}

/** A binary min-heap of timers ordered by (at, seq). */
class TimerHeap {
  readonly #items: Timer[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  peek(): Timer | undefined {
    return this.#items[0];
  }

  push(at: number, fn: () => void): Timer {
    const t: Timer = { at, seq: this.#seq++, fn };
    const a = this.#items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i] as Timer, a[p] as Timer)) break;
      [a[i], a[p]] = [a[p] as Timer, a[i] as Timer];
      i = p;
    }
    return t;
  }

  pop(): Timer | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l] as Timer, a[m] as Timer)) m = l;
        if (r < a.length && less(a[r] as Timer, a[m] as Timer)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Timer, a[i] as Timer];
        i = m;
      }
    }
    return top;
  }

  /** Pops and runs every timer due at `now`; cancelled timers are skipped. */
  runDue(now: number): void {
    for (let t = this.peek(); t && t.at <= now; t = this.peek()) {
      this.pop();
      const fn = t.fn;
      t.fn = undefined;
      fn?.();
    }
  }
}

function less(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** The wall clock with one shared, unref'd Node.js timer. */
export class RealClock implements Clock {
  readonly #heap = new TimerHeap();
  #timer: NodeJS.Timeout | undefined;
  #armedAt = Number.POSITIVE_INFINITY;

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const atMs = Date.now() + Math.max(0, ms);
    const t = this.#heap.push(atMs, fn);
    if (atMs < this.#armedAt) this.#arm();
    return () => {
      t.fn = undefined;
    };
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    // drop cancelled timers at the top so they do not hold the process timer
    while (this.#heap.peek() && this.#heap.peek()?.fn === undefined) this.#heap.pop();
    const next = this.#heap.peek();
    if (!next) return;
    this.#armedAt = next.at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#armedAt = Number.POSITIVE_INFINITY;
        this.#heap.runDue(Date.now());
        this.#arm();
      },
      Math.max(0, next.at - Date.now()),
    );
    this.#timer.unref();
  }
}

/** The process-wide clock every agent shares unless a test injects its own. */
export const sharedClock: Clock = new RealClock();
