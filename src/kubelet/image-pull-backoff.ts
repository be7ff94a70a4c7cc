/**
 * The back-off of failed image pulls (the image manager's flowcontrol.Backoff): per pod and image,
 * 10 s after the first failure, doubling up to 5 min, forgotten once unused for twice the
 * maximum; while in back-off the kubelet does not pull but reports ImagePullBackOff with the
 * last pull's error.
 *
 *   new ImagePullBackOff(options?: { initialMs?: number; maxMs?: number })
 *   inBackOff(key, now): { until: number; lastError: string } | undefined
 *   failed(key, now, error: string): number      // the end of the new back-off
 *   succeeded(key): void
 */

interface Entry {
  backoffMs: number;
  lastUpdate: number;
  lastError: string;
}

export class ImagePullBackOff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: { initialMs?: number; maxMs?: number } = {}) {
    this.#initialMs = options.initialMs ?? 10_000;
    this.#maxMs = options.maxMs ?? 300_000;
  }

  #expired(e: Entry, now: number): boolean {
    return now - e.lastUpdate > 2 * this.#maxMs;
  }

  /** IsInBackOffSinceUpdate: the back-off the key is in at `now`, with the error that put it there. */
  inBackOff(key: string, now: number): { until: number; lastError: string } | undefined {
    const e = this.#entries.get(key);
    if (!e || this.#expired(e, now) || now - e.lastUpdate >= e.backoffMs) return undefined;
    return { until: e.lastUpdate + e.backoffMs, lastError: e.lastError };
  }

  /** Next: a pull failed; returns when its back-off ends. */
  failed(key: string, now: number, error: string): number {
    const e = this.#entries.get(key);
    const backoffMs = !e || this.#expired(e, now) ? this.#initialMs : Math.min(e.backoffMs * 2, this.#maxMs);
    this.#entries.set(key, { backoffMs, lastUpdate: now, lastError: error });
    this.#gc(now);
    return now + backoffMs;
  }

  /** A pull succeeded: its key starts over. */
  succeeded(key: string): void {
    this.#entries.delete(key);
  }

  #gc(now: number): void {
    for (const [key, e] of this.#entries) if (this.#expired(e, now)) this.#entries.delete(key);
  }
}
