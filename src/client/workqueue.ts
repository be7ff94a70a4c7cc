/**
 * The rate-limited work queue of client-go (util/workqueue): a FIFO of keys that is
 * deduplicated while queued, never hands a key to two workers at once (a key re-added while
 * processing is queued again on done()), delays keys with timers (addAfter) and backs off
 * failing keys (addRateLimited).
 *
 * One deliberate difference: after shutDown() every get() resolves undefined at once, even if
 * keys are still queued, so workers stop promptly (the WorkQueue contract).
 */
import type { WorkQueue } from './interface.js';
import { type Clock, defaultControllerRateLimiter, type RateLimiter, realClock } from './rate-limiter.js';

export interface RateLimitingQueueOptions {
  /** Defaults to defaultControllerRateLimiter(clock). */
  rateLimiter?: RateLimiter;
  clock?: Clock;
  /** A name for logs and metrics, e.g. 'deployment'. */
  name?: string;
}

interface Waiting {
  readyAt: number;
  cancel: () => void;
}

export class RateLimitingQueue implements WorkQueue {
  readonly name: string;
  readonly #clock: Clock;
  readonly #rateLimiter: RateLimiter;
  /** Keys ready to be handed out, in order, from #head on (a deque without O(n) shifts). */
  #queue: string[] = [];
  #head = 0;
  /** Keys that need processing: queued, or re-added while processing. */
  readonly #dirty = new Set<string>();
  /** Keys handed to a worker and not yet done(). */
  readonly #processing = new Set<string>();
  /** Keys waiting for their addAfter timer. */
  readonly #waiting = new Map<string, Waiting>();
  /** Pending get() calls. */
  readonly #getters: ((key: string | undefined) => void)[] = [];
  #shuttingDown = false;

  constructor(options: RateLimitingQueueOptions = {}) {
    this.name = options.name ?? '';
    this.#clock = options.clock ?? realClock;
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.#clock);
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#queue.push(key);
    this.#dispatch();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const readyAt = this.#clock.now() + delayMs;
    const existing = this.#waiting.get(key);
    // Like the delaying queue's heap: a key waits once, for the earliest time asked.
    if (existing && existing.readyAt <= readyAt) return;
    existing?.cancel();
    const cancel = this.#clock.setTimeout(() => {
      this.#waiting.delete(key);
      this.add(key);
    }, delayMs);
    this.#waiting.set(key, { readyAt, cancel });
  }

  addRateLimited(key: string): void {
    this.addAfter(key, this.#rateLimiter.when(key));
  }

  forget(key: string): void {
    this.#rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#rateLimiter.numRequeues(key);
  }

  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    const key = this.#take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key) && !this.#shuttingDown) {
      this.#queue.push(key);
      this.#dispatch();
    }
  }

  get length(): number {
    return this.#queue.length - this.#head;
  }

  /** True once shutDown() was called. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Keys waiting for an addAfter/addRateLimited timer. */
  get waitingLength(): number {
    return this.#waiting.size;
  }

  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    for (const w of this.#waiting.values()) w.cancel();
    this.#waiting.clear();
    for (const resolve of this.#getters.splice(0)) resolve(undefined);
  }

  #take(): string | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const key = this.#queue[this.#head++] as string;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#processing.add(key);
    this.#dirty.delete(key);
    return key;
  }

  #dispatch(): void {
    while (this.#getters.length > 0 && this.length > 0) {
      const resolve = this.#getters.shift()!;
      resolve(this.#take());
    }
  }
}
