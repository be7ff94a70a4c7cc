/**
 * The overload protection seam of the request pipeline (after authentication, before
 * authorization, as upstream's WithPriorityAndFairness / WithMaxInFlightLimit filters): a
 * limiter admits a request into a seat, or rejects it with a Retry-After. Two implementations:
 * API Priority and Fairness (priority-and-fairness.ts) and the plain max-in-flight limit
 * (max-in-flight.ts, --enable-priority-and-fairness=false).
 */
import type { RequestInfo } from '../request-info.js';
import type { UserInfo } from '../registry/context.js';

export interface LimitedRequest {
  info: RequestInfo;
  user: UserInfo;
  /** Aborts when the client goes away (a queued request then leaves its queue). */
  signal: AbortSignal;
}

export type Admission =
  /** Execute; call release() once the response is done. */
  | { admitted: true; headers: Record<string, string>; release: () => void }
  /** Answer 429 Too Many Requests with this Retry-After. */
  | { admitted: false; headers: Record<string, string>; retryAfterSeconds: number };

export interface RequestLimiter {
  /** Waits (bounded) for a seat for the request, or decides it cannot have one. */
  admit(request: LimitedRequest): Promise<Admission>;
}

const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

/** kube-apiserver's BasicLongRunningRequestCheck: watch and proxy verbs, attach/exec/proxy/log/portforward subresources. */
export function isLongRunning(info: RequestInfo): boolean {
  return info.isResourceRequest && (LONG_RUNNING_VERBS.has(info.verb) || LONG_RUNNING_SUBRESOURCES.has(info.subresource));
}

/** upstream's nonMutatingRequestVerbs. */
export function isReadOnly(info: RequestInfo): boolean {
  return info.verb === 'get' || info.verb === 'list' || info.verb === 'watch';
}

/** The body of upstream's 429 (tooManyRequests, http.Error). */
export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests, please try again later.';
