/**
 * Turns a failed HTTP response into a StatusError: the server's metav1.Status when the body is
 * one, otherwise a generic Status for the code (client-go's NewGenericServerResponse).
 */
import { StatusError, type Status, type StatusReason } from '../machinery/errors.js';
import { isPlainObject } from '../machinery/object.js';

const GENERIC: Record<number, [StatusReason, string | undefined]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
  403: ['Forbidden', undefined],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  406: ['NotAcceptable', undefined],
  409: ['Conflict', 'the server reported a conflict'],
  410: ['Gone', undefined],
  413: ['RequestEntityTooLarge', undefined],
  415: ['UnsupportedMediaType', undefined],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
};

/** True when `v` looks like a metav1.Status object. */
export function isStatusObject(v: unknown): v is Status {
  return isPlainObject(v) && v['kind'] === 'Status' && typeof v['code'] === 'number';
}

/** The StatusError for a non-2xx response: `body` is the raw response text. */
export function statusErrorFromResponse(code: number, method: string, body: string, retryAfter?: string): StatusError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isStatusObject(parsed)) {
    // the HTTP code wins over a missing or zero code in the body, as client-go does
    if (!parsed.code) parsed.code = code;
    return new StatusError(parsed);
  }
  return new StatusError(genericStatus(code, method, body.trim(), retryAfter));
}

/** A Status for a response that carried no Status body. */
export function genericStatus(code: number, method: string, serverMessage: string, retryAfter?: string): Status {
  const known = GENERIC[code];
  let reason: StatusReason | undefined = known?.[0];
  let message = known
    ? (known[1] ?? serverMessage)
    : `the server responded with the status code ${code} but did not return more information`;
  if (code === 409 && method === 'POST') reason = 'AlreadyExists';
  if (!known && code >= 500) {
    reason = 'InternalError';
    message = `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`;
  }
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) status.reason = reason;
  const seconds = retryAfter ? Number.parseInt(retryAfter, 10) : Number.NaN;
  status.details = Number.isFinite(seconds) && seconds > 0 ? { retryAfterSeconds: seconds } : {};
  if (serverMessage) status.details.causes = [{ reason: 'UnexpectedServerResponse', message: serverMessage }];
  return status;
}
