/**
 * Rate limiters for the work queue and the event recorder, as client-go's
 * util/workqueue/default_rate_limiters.go and util/flowcontrol: a token bucket, per-key
 * exponential failure backoff, and their maximum (DefaultControllerRateLimiter).
 * Time comes from an injected Clock so tests can step it.
 */

/** Wall-clock time and timers; injected so tests can use a fake. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fn` after `ms` milliseconds; the returned function cancels the timer. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Resolves after `ms` on `clock`, or early (without rejecting) when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A token bucket (golang.org/x/time/rate): `qps` tokens a second, at most `burst`, starting full.
 */
export class TokenBucket {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(options: { qps: number; burst: number; clock?: Clock }) {
    this.#qps = options.qps;
    this.#burst = options.burst;
    this.#clock = options.clock ?? realClock;
    this.#tokens = options.burst;
    this.#last = this.#clock.now();
  }

  #advance(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#last) / 1000;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#qps);
    this.#last = now;
  }

  /** Takes a token now if one is available (flowcontrol's TryAccept). */
  tryAccept(): boolean {
    this.#advance();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Reserves a token, possibly in the future; returns how many milliseconds to wait for it. */
  reserve(): number {
    this.#advance();
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#qps) * 1000;
  }
}

/** Decides how long a key waits before it is retried (workqueue.TypedRateLimiter). */
export interface RateLimiter {
  /** The delay for the key's next retry, in milliseconds; counts a failure. */
  when(key: string): number;
  /** Stops tracking the key (after a successful sync). */
  forget(key: string): void;
  /** How many failures the key has had since it was last forgotten. */
  numRequeues(key: string): number;
}

/** base·2^failures, capped at max (client-go's ItemExponentialFailureRateLimiter). */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #failures = new Map<string, number>();

  constructor(baseDelayMs: number, maxDelayMs: number) {
    this.#baseMs = baseDelayMs;
    this.#maxMs = maxDelayMs;
  }

  when(key: string): number {
    const exp = this.#failures.get(key) ?? 0;
    this.#failures.set(key, exp + 1);
    const backoff = this.#baseMs * 2 ** exp;
    return Number.isFinite(backoff) && backoff < this.#maxMs ? backoff : this.#maxMs;
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/** An overall token bucket shared by every key (client-go's BucketRateLimiter). */
export class BucketRateLimiter implements RateLimiter {
  readonly #bucket: TokenBucket;

  constructor(bucket: TokenBucket) {
    this.#bucket = bucket;
  }

  when(): number {
    return this.#bucket.reserve();
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The worst (longest) of several limiters (client-go's MaxOfRateLimiter). */
export class MaxOfRateLimiter implements RateLimiter {
  readonly #limiters: RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.#limiters = limiters;
  }

  when(key: string): number {
    let max = 0;
    for (const l of this.#limiters) max = Math.max(max, l.when(key));
    return max;
  }

  forget(key: string): void {
    for (const l of this.#limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    let max = 0;
    for (const l of this.#limiters) max = Math.max(max, l.numRequeues(key));
    return max;
  }
}

/**
 * client-go's DefaultControllerRateLimiter: per-key backoff 5 ms doubling to 1000 s, and an
 * overall bucket of 10 qps with a burst of 100.
 */
export function defaultControllerRateLimiter(clock: Clock = realClock): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialFailureRateLimiter(5, 1000 * 1000),
    new BucketRateLimiter(new TokenBucket({ qps: 10, burst: 100, clock })),
  );
}
