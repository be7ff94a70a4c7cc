/**
 * A work queue driven by hand: keys wait in `keys` until the test (or `drain`) takes them, and
 * delays are recorded, never slept. A rate-limited key is recorded and queued again at once.
 */
import type { WorkQueue } from '../interface.js';

export class FakeQueue implements WorkQueue {
  /** Queued keys, oldest first, each once. */
  readonly keys: string[] = [];
  /** Every addAfter, in order. */
  readonly delayed: { key: string; delayMs: number }[] = [];
  /** Every addRateLimited, in order. */
  readonly rateLimited: string[] = [];
  readonly #requeues = new Map<string, number>();
  #shutDown = false;

  add(key: string): void {
    if (!this.keys.includes(key)) this.keys.push(key);
  }
  addAfter(key: string, delayMs: number): void {
    this.delayed.push({ key, delayMs });
  }
  addRateLimited(key: string): void {
    this.rateLimited.push(key);
    this.#requeues.set(key, this.numRequeues(key) + 1);
    this.add(key);
  }
  forget(key: string): void {
    this.#requeues.delete(key);
  }
  numRequeues(key: string): number {
    return this.#requeues.get(key) ?? 0;
  }
  async get(): Promise<string | undefined> {
    return this.#shutDown ? undefined : this.pop();
  }
  /** Takes the oldest key. */
  pop(): string | undefined {
    return this.keys.shift();
  }
  done(): void {}
  get length(): number {
    return this.keys.length;
  }
  shutDown(): void {
    this.#shutDown = true;
  }
  /** The delay last asked for a key. */
  delayOf(key: string): number | undefined {
    return this.delayed.filter((d) => d.key === key).at(-1)?.delayMs;
  }
}

/** Syncs queued keys until the queue is empty; errors are rethrown, or with `tolerate` collected and returned. */
export async function drain(queue: FakeQueue, sync: (key: string) => Promise<void>, tolerate = false, max = 1000): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let i = 0; i < max && queue.length > 0; i++) {
    try {
      await sync(queue.pop()!);
    } catch (err) {
      if (!tolerate) throw err;
      errors.push(err);
    }
  }
  return errors;
}
