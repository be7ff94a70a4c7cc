/**
 * metav1.Status errors, as the apiserver sends them (k8s.io/apimachinery/pkg/api/errors).
 * Handlers throw a StatusError; the HTTP layer writes its `status` as the response body.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Timeout'
  | 'ServiceUnavailable';

/** An error that is sent to the client as a metav1.Status. `reason` is its stable code. */
export class StatusError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'StatusError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

export function isStatusError(err: unknown, reason?: StatusReason): err is StatusError {
  return err instanceof StatusError && (reason === undefined || err.status.reason === reason);
}

/** errors.HasStatusCause: whether the error's details name a cause of this type (e.g. NamespaceTerminating). */
export function hasStatusCause(err: unknown, cause: string): boolean {
  return isStatusError(err) && (err.status.details?.causes ?? []).some((c) => c.reason === cause);
}

/** A group and resource, as in `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function failure(code: number, reason: StatusReason, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

export function newNotFound(gr: GroupResource, name: string): StatusError {
  return failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, { name, group: gr.group, kind: gr.resource });
}

/** 404 for a path the server does not serve at all (no resource, group or document there). */
export function newPathNotFound(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function newAlreadyExists(gr: GroupResource, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function newConflict(gr: GroupResource, name: string, why: string): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function newBadRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function newForbidden(gr: GroupResource, name: string, why: string): StatusError {
  const what = name ? `${qualified(gr)} "${name}"` : qualified(gr);
  return failure(403, 'Forbidden', `${what} is forbidden: ${why}`, { name: name || undefined, group: gr.group, kind: gr.resource });
}

export function newMethodNotSupported(gr: GroupResource, action: string): StatusError {
  return failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr)}"`, {
    group: gr.group,
    kind: gr.resource,
  });
}

export function newGone(message: string): StatusError {
  return failure(410, 'Gone', message);
}

/** 410 for a resourceVersion older than the history kept (watch cache or storage). */
export function newResourceExpired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function newTooLarge(message: string): StatusError {
  return failure(413, 'RequestEntityTooLarge', message);
}

export function newUnsupportedMediaType(contentType: string): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`,
  );
}

export function newNotAcceptable(message: string): StatusError {
  return failure(406, 'NotAcceptable', message);
}

export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return failure(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function newInternalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return failure(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

export function newTimeout(message: string): StatusError {
  return failure(504, 'Timeout', message);
}

export function newServiceUnavailable(message: string): StatusError {
  return failure(503, 'ServiceUnavailable', message);
}

/** One validation failure at a field path, like field.Error upstream. */
export interface FieldError {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong, FieldValueTooMany, FieldValueTypeInvalid, InternalError */
  type: string;
  field: string;
  /** The human detail, e.g. `Required value` or `Invalid value: "x": must be ...`. */
  message: string;
}

/** 422 Invalid, built from field errors the way upstream aggregates them. */
export function newInvalid(qualifiedKind: { group: string; kind: string }, name: string, errs: FieldError[]): StatusError {
  const what = qualifiedKind.group ? `${qualifiedKind.kind}.${qualifiedKind.group}` : qualifiedKind.kind;
  const causes = errs.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  const list = errs.map((e) => `${e.field}: ${e.message}`);
  const agg = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return failure(422, 'Invalid', `${what} "${name}" is invalid: ${agg}`, {
    name,
    group: qualifiedKind.group,
    kind: qualifiedKind.kind,
    causes,
  });
}
