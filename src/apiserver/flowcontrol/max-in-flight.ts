/**
 * The plain max-in-flight limit (upstream's WithMaxInFlightLimit, used with
 * --enable-priority-and-fairness=false): at most --max-requests-inflight read-only and
 * --max-mutating-requests-inflight mutating requests execute at once (0: no limit); one more is
 * rejected at once with Retry-After 1. Long-running requests and system:masters are not counted.
 */
import { type Admission, isLongRunning, isReadOnly, type LimitedRequest, type RequestLimiter } from './interface.js';

export interface MaxInFlightOptions {
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
}

const NO_HEADERS: Record<string, string> = {};

export class MaxInFlightLimit implements RequestLimiter {
  readonly #limits: { readOnly: number; mutating: number };
  readonly #inFlight = { readOnly: 0, mutating: 0 };

  constructor(options: MaxInFlightOptions) {
    this.#limits = { readOnly: options.maxRequestsInflight, mutating: options.maxMutatingRequestsInflight };
  }

  async admit(request: LimitedRequest): Promise<Admission> {
    if (isLongRunning(request.info) || request.user.groups.includes('system:masters')) {
      return { admitted: true, headers: NO_HEADERS, release: () => {} };
    }
    const kind = isReadOnly(request.info) ? 'readOnly' : 'mutating';
    const limit = this.#limits[kind];
    if (limit === 0) return { admitted: true, headers: NO_HEADERS, release: () => {} };
    if (this.#inFlight[kind] >= limit) return { admitted: false, headers: NO_HEADERS, retryAfterSeconds: 1 };
    this.#inFlight[kind]++;
    let released = false;
    return {
      admitted: true,
      headers: NO_HEADERS,
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight[kind]--;
      },
    };
  }
}
