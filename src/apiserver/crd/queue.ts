/**
 * A small rate-limited work queue of CRD names: a key is processed by one worker at a time,
 * re-added keys are coalesced, failures come back after an exponential delay.
 */
export type SyncFn = (key: string) => Promise<void>;

export interface WorkQueueOptions {
  sync: SyncFn;
  onError?: (key: string, err: unknown) => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class WorkQueue {
  readonly #pending = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #options: WorkQueueOptions;
  #running = false;
  #stopped = false;
  #idle: (() => void)[] = [];

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  add(key: string): void {
    if (this.#stopped) return;
    this.#pending.add(key);
    void this.#drain();
  }

  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.add(key);
    }, ms);
    t.unref?.();
    this.#timers.add(t);
  }

  /** Resolves once nothing is pending or being processed. */
  whenIdle(): Promise<void> {
    if (!this.#running && this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (!this.#stopped && this.#pending.size > 0) {
        const key = this.#pending.values().next().value as string;
        this.#pending.delete(key);
        try {
          await this.#options.sync(key);
          this.#failures.delete(key);
        } catch (err) {
          const n = (this.#failures.get(key) ?? 0) + 1;
          this.#failures.set(key, n);
          this.#options.onError?.(key, err);
          const base = this.#options.baseDelayMs ?? 50;
          this.addAfter(key, Math.min(base * 2 ** (n - 1), this.#options.maxDelayMs ?? 10_000));
        }
      }
    } finally {
      this.#running = false;
      if (this.#pending.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
