/**
 * PodLogOptions from the pods/log query (core/v1 PodLogOptions, decoded as upstream's parameter
 * codec does: a value that does not parse is 400 BadRequest with Go's error text), then
 * validated as the pod log REST storage does (422 Invalid, kind PodLogOptions).
 */
import { type FieldError, newBadRequest, newInvalid } from '../../machinery/errors.js';
import { boolParam, optionalInt64Param } from '../handlers/parameters.js';

export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  /** RFC 3339, as given. */
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
  insecureSkipTLSVerifyBackend: boolean;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Decodes and validates; `name` is the pod's (for the Invalid error). */
export function podLogOptions(query: URLSearchParams, name: string): PodLogOptions {
  const sinceTime = query.get('sinceTime') ?? undefined;
  if (sinceTime !== undefined && (!RFC3339.test(sinceTime) || Number.isNaN(Date.parse(sinceTime)))) {
    throw newBadRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}" as "2006"`);
  }
  const opts: PodLogOptions = {
    container: query.get('container') ?? '',
    follow: boolParam(query, 'follow'),
    previous: boolParam(query, 'previous'),
    timestamps: boolParam(query, 'timestamps'),
    insecureSkipTLSVerifyBackend: boolParam(query, 'insecureSkipTLSVerifyBackend'),
  };
  const sinceSeconds = optionalInt64Param(query, 'sinceSeconds');
  const tailLines = optionalInt64Param(query, 'tailLines');
  const limitBytes = optionalInt64Param(query, 'limitBytes');
  if (sinceSeconds !== undefined) opts.sinceSeconds = sinceSeconds;
  if (sinceTime !== undefined) opts.sinceTime = sinceTime;
  if (tailLines !== undefined) opts.tailLines = tailLines;
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  const errs = validatePodLogOptions(opts);
  if (errs.length > 0) throw newInvalid({ group: '', kind: 'PodLogOptions' }, name, errs);
  return opts;
}

/** validation.ValidatePodLogOptions. */
export function validatePodLogOptions(o: PodLogOptions): FieldError[] {
  const errs: FieldError[] = [];
  const invalid = (field: string, value: number, why: string): FieldError => ({
    type: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${value}: ${why}`,
  });
  if (o.tailLines !== undefined && o.tailLines < 0) errs.push(invalid('tailLines', o.tailLines, 'must be greater than or equal to 0'));
  if (o.limitBytes !== undefined && o.limitBytes < 1) errs.push(invalid('limitBytes', o.limitBytes, 'must be greater than 0'));
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) {
    errs.push({
      type: 'FieldValueForbidden',
      field: '',
      message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  } else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) {
    errs.push(invalid('sinceSeconds', o.sinceSeconds, 'must be greater than 0'));
  }
  return errs;
}

/** The kubelet's /containerLogs query for the options (LogLocation). */
export function kubeletLogQuery(o: PodLogOptions): string {
  const q = new URLSearchParams();
  if (o.follow) q.set('follow', 'true');
  if (o.previous) q.set('previous', 'true');
  if (o.timestamps) q.set('timestamps', 'true');
  if (o.sinceSeconds !== undefined) q.set('sinceSeconds', String(o.sinceSeconds));
  if (o.sinceTime !== undefined) q.set('sinceTime', new Date(o.sinceTime).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (o.tailLines !== undefined) q.set('tailLines', String(o.tailLines));
  if (o.limitBytes !== undefined) q.set('limitBytes', String(o.limitBytes));
  const s = q.toString();
  return s ? `?${s}` : '';
}
