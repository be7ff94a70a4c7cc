/**
 * Strategic merge patch failures, worded like k8s.io/apimachinery/pkg/util/mergepatch, and the
 * status each becomes in the apiserver (interpretStrategicMergePatchError).
 */
import type { StatusError } from '../errors.js';
import { newPatchBadRequest, newPatchNotApplicable, newUnknownServerError } from './errors.js';
import { goFormat, goTypeName } from './json-value.js';

/** bad: 400 BadRequest; unprocessable: 422 Invalid; other: 500 (not a Status upstream). */
export type SmpErrorClass = 'bad' | 'unprocessable' | 'other';

export class StrategicMergePatchError extends Error {
  readonly errorClass: SmpErrorClass;
  constructor(message: string, errorClass: SmpErrorClass = 'other') {
    super(message);
    this.name = 'StrategicMergePatchError';
    this.errorClass = errorClass;
  }

  /** The StatusError the apiserver returns for this failure. */
  toStatusError(): StatusError {
    if (this.errorClass === 'bad') return newPatchBadRequest(this.message);
    if (this.errorClass === 'unprocessable') return newPatchNotApplicable();
    return newUnknownServerError(this.message);
  }
}

export const errBadJSONDoc = (): StrategicMergePatchError => new StrategicMergePatchError('invalid JSON document', 'bad');
export const errNoListOfLists = (): StrategicMergePatchError =>
  new StrategicMergePatchError('lists of lists are not supported', 'unprocessable');
export const errBadPatchFormatForPrimitiveList = (): StrategicMergePatchError =>
  new StrategicMergePatchError('invalid patch format of primitive list', 'bad');
export const errBadPatchFormatForRetainKeys = (): StrategicMergePatchError =>
  new StrategicMergePatchError('invalid patch format of retainKeys', 'bad');
export const errBadPatchFormatForSetElementOrderList = (): StrategicMergePatchError =>
  new StrategicMergePatchError('invalid patch format of setElementOrder list', 'bad');

export function errNoMergeKey(m: unknown, key: string): StrategicMergePatchError {
  return new StrategicMergePatchError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

/** mergepatch.ErrBadArgType: `expected a map[string]interface {}, but received a string`. */
export function errBadArgType(expected: 'map' | 'slice', actual: unknown): StrategicMergePatchError {
  const want = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  const got = actual === null || actual === undefined ? '%!s(<nil>)' : goTypeName(actual);
  return new StrategicMergePatchError(`expected a ${want}, but received a ${got}`);
}

export function errBadPatchType(t: unknown, m: unknown): StrategicMergePatchError {
  return new StrategicMergePatchError(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
}
