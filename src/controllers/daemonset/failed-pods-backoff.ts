/**
 * The DaemonSet controller's failedPodsBackoff (flowcontrol.NewBackOff(1s, 15m)), keyed by
 * DaemonSet and node: a failed daemon pod is deleted at once, the next failure on that node only
 * after 1 s, then 2 s, 4 s … up to 15 min, so the controller does not hot-loop against a kubelet
 * that keeps rejecting its pods. An entry idle for twice the maximum starts over.
 */

export const FAILED_PODS_BACKOFF_INITIAL_MS = 1000;
export const FAILED_PODS_BACKOFF_MAX_MS = 15 * 60 * 1000;

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class FailedPodsBackoff {
  readonly #entries = new Map<string, Entry>();
  readonly #initialMs: number;
  readonly #maxMs: number;

  constructor(options: { initialMs?: number; maxMs?: number } = {}) {
    this.#initialMs = options.initialMs ?? FAILED_PODS_BACKOFF_INITIAL_MS;
    this.#maxMs = options.maxMs ?? FAILED_PODS_BACKOFF_MAX_MS;
  }

  /** The current delay of `key` (0 when none). */
  get(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /** IsInBackOffSinceUpdate: less than the current delay has passed since the last Next. */
  inBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.#entries.get(key);
    return e !== undefined && now - e.lastUpdate < e.delayMs;
  }

  /** Next: starts (or restarts, when idle for 2·max) at the initial delay, else doubles it. */
  next(key: string, now: number): void {
    const e = this.#entries.get(key);
    const fresh = !e || now - e.lastUpdate > 2 * this.#maxMs;
    this.#entries.set(key, { delayMs: fresh ? this.#initialMs : Math.min(e.delayMs * 2, this.#maxMs), lastUpdate: now });
  }

  /** GC: drops entries idle for twice the maximum. */
  gc(now: number): void {
    for (const [key, e] of this.#entries) if (now - e.lastUpdate > 2 * this.#maxMs) this.#entries.delete(key);
  }
}

/** failedPodsBackoffKey: `<ds uid>/<generation>/<node>`. */
export function failedPodsBackoffKey(dsUid: string, generation: number, nodeName: string): string {
  return `${dsUid}/${generation}/${nodeName}`;
}
