/**
 * The Retry-After of rejected requests, per priority level (upstream's droppedRequestsTracker,
 * simplified): 1 second while rejections are sporadic; doubled (at most 60) each time a level
 * keeps rejecting for a whole Retry-After window, halved after a window without rejections.
 */
const MAX_RETRY_AFTER_SECONDS = 60;

interface LevelDrops {
  retryAfter: number;
  /** Start of the current window (ms). */
  windowStart: number;
  /** The window before this one saw rejections. */
  busyBefore: boolean;
  busyNow: boolean;
}

export class DroppedRequestsTracker {
  readonly #levels = new Map<string, LevelDrops>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  #advance(level: string): LevelDrops {
    const now = this.#now();
    let s = this.#levels.get(level);
    if (!s) {
      s = { retryAfter: 1, windowStart: now, busyBefore: false, busyNow: false };
      this.#levels.set(level, s);
    }
    while (now - s.windowStart >= s.retryAfter * 1000) {
      const idle = !s.busyNow;
      s.windowStart += s.retryAfter * 1000;
      if (s.busyNow && s.busyBefore) s.retryAfter = Math.min(MAX_RETRY_AFTER_SECONDS, s.retryAfter * 2);
      else if (idle) s.retryAfter = Math.max(1, Math.floor(s.retryAfter / 2));
      s.busyBefore = s.busyNow;
      s.busyNow = false;
      if (idle && s.retryAfter === 1) s.windowStart = Math.max(s.windowStart, now - 1000);
    }
    return s;
  }

  /** Records a rejection at this level. */
  recordDropped(level: string): void {
    this.#advance(level).busyNow = true;
  }

  /** The Retry-After (seconds) for a request rejected at this level now. */
  retryAfter(level: string): number {
    return this.#advance(level).retryAfter;
  }
}
