/**
 * The HTTP side of the limiter: admits a request before it is authorized and served, sets the
 * X-Kubernetes-PF-* headers, frees the seat when the response is done (or the client left), and
 * answers upstream's plain-text 429 with Retry-After when the request gets no seat.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo } from '../request-info.js';
import type { UserInfo } from '../registry/context.js';
import { type RequestLimiter, TOO_MANY_REQUESTS_MESSAGE } from './interface.js';

export interface FilterRequest {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  user: UserInfo;
}

/** True: serve the request. False: it was answered 429 already. */
export async function admitRequest(limiter: RequestLimiter | undefined, r: FilterRequest): Promise<boolean> {
  if (!limiter) return true;
  const gone = new AbortController();
  const onClose = (): void => gone.abort();
  r.res.once('close', onClose);
  const admission = await limiter.admit({ info: r.info, user: r.user, signal: gone.signal });
  for (const [k, v] of Object.entries(admission.headers)) r.res.setHeader(k, v);
  if (admission.admitted) {
    r.res.off('close', onClose);
    if (r.res.destroyed || r.res.closed) admission.release();
    else {
      // the seat is free once the response is written (finish) or the client left (close)
      r.res.once('finish', admission.release);
      r.res.once('close', admission.release);
    }
    return true;
  }
  r.res.off('close', onClose);
  if (!r.res.headersSent && !r.res.destroyed) {
    r.res.writeHead(429, {
      'Retry-After': String(admission.retryAfterSeconds),
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    r.res.end(`${TOO_MANY_REQUESTS_MESSAGE}\n`);
  }
  r.req.resume();
  return false;
}
