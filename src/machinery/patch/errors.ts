/**
 * The Status errors the apiserver's patch handler (endpoints/handlers/patch.go) produces.
 */
import { newBadRequest, newInvalid, StatusError } from '../errors.js';
import type { Status } from '../errors.js';

/**
 * 422 from `errors.NewGenericServerResponse(422, "", GroupResource{}, "", msg, 0, false)`: the
 * apiserver's answer to a JSON patch that does not apply (failed `test`, missing path, …) and to
 * a few strategic-merge-patch format errors. The underlying message is not sent (no causes).
 */
export function newPatchNotApplicable(): StatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid',
    details: {},
    code: 422,
  };
  return new StatusError(status);
}

/**
 * 500 with no reason: what the apiserver sends for an error that is not a Status
 * (responsewriters.ErrorToAPIStatus), e.g. `map: … does not contain declared merge key: name`.
 */
export function newUnknownServerError(message: string): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
  return new StatusError(status);
}

/** 400 BadRequest with the given text (malformed patch bodies). */
export function newPatchBadRequest(message: string): StatusError {
  return newBadRequest(message);
}

/** Patch types a custom resource accepts: the list the apiserver names when refusing SMP. */
export const CUSTOM_RESOURCE_PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
] as const;

/**
 * 415 for a strategic merge patch on a type without patch metadata (a custom resource). The
 * apiserver answers from its Content-Type allowlist (negotiation.NewUnsupportedMediaTypeError),
 * so the message lists the accepted types and does not name the kind.
 */
export function newStrategicMergePatchUnsupported(): StatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `the body of the request was in an unknown format - accepted media types include: ${CUSTOM_RESOURCE_PATCH_TYPES.join(', ')}`,
    reason: 'UnsupportedMediaType',
    code: 415,
  };
  return new StatusError(status);
}

/**
 * 422 Invalid for a patched document that cannot be decoded into the object
 * (`errors.NewInvalid(GroupKind{}, "", field.Invalid(field.NewPath("patch"), <json>, <err>))`).
 */
export function newInvalidPatchResult(patched: string, detail: string): StatusError {
  return newInvalid({ group: '', kind: '' }, '', [
    { type: 'FieldValueInvalid', field: 'patch', message: `Invalid value: ${JSON.stringify(patched)}: ${detail}` },
  ]);
}
