/**
 * The fieldManager request parameter: its validation and the default upstream derives from
 * the User-Agent when a create/update/patch omits it ("kubectl" from
 * "kubectl/v1.32.5 (linux/amd64) kubernetes/abc").
 */
import { newInvalid, type FieldError, type StatusError } from '../errors.js';

export const FIELD_MANAGER_MAX_LENGTH = 128;

/** Unicode "printable" as Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
function isPrint(ch: string): boolean {
  if (ch === ' ') return true;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The characters before the first `/`, without unprintable ones, cut to 128 bytes. */
export function managerFromUserAgent(userAgent: string): string {
  const prefix = userAgent.split('/')[0] ?? '';
  let out = '';
  for (const ch of prefix) {
    if (!isPrint(ch)) continue;
    if (byteLength(out) + byteLength(ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

/** The manager a request records: its fieldManager parameter, else from its User-Agent. */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  return fieldManager ? fieldManager : managerFromUserAgent(userAgent ?? '');
}

const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Go's %q for a string (strconv.Quote). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch];
    const cp = ch.codePointAt(0)!;
    if (short) out += short;
    else if (isPrint(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Validates a fieldManager parameter (ValidateFieldManager); `apply` makes it required, as
 * for application/apply-patch+yaml requests.
 */
export function validateFieldManager(fieldManager: string | undefined, opts: { apply?: boolean } = {}): FieldError[] {
  const errs: FieldError[] = [];
  const value = fieldManager ?? '';
  if (opts.apply && value === '') {
    errs.push({ type: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' });
  }
  if (byteLength(value) > FIELD_MANAGER_MAX_LENGTH) {
    errs.push({
      type: 'FieldValueTooLong',
      field: 'fieldManager',
      message: `Too long: must have at most ${FIELD_MANAGER_MAX_LENGTH} bytes`,
    });
  }
  let pos = 0;
  for (const ch of value) {
    if (!isPrint(ch)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'fieldManager',
        message: `Invalid value: ${goQuote(value)}: invalid character ${codePoint(ch)} (at position ${pos})`,
      });
    }
    pos += byteLength(ch);
  }
  return errs;
}

/** The 422 for invalid options: `PatchOptions.meta.k8s.io "" is invalid: fieldManager: …`. */
export function newInvalidOptions(kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', errs: FieldError[]): StatusError {
  return newInvalid({ group: 'meta.k8s.io', kind }, '', errs);
}
