/**
 * Field paths and field errors, as k8s.io/apimachinery/pkg/util/validation/field builds them.
 * A FieldError's `message` is upstream's ErrorBody() (e.g. `Invalid value: "Foo": must be ...`);
 * `${field}: ${message}` is upstream's Error().
 */
import type { FieldError } from '../errors.js';

export type { FieldError };

/** The cause `reason` strings upstream sends (field.ErrorType). */
export const FieldErrorType = {
  NotFound: 'FieldValueNotFound',
  Required: 'FieldValueRequired',
  Duplicate: 'FieldValueDuplicate',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Internal: 'InternalError',
  TypeInvalid: 'FieldValueTypeInvalid',
} as const;
export type FieldErrorTypeName = (typeof FieldErrorType)[keyof typeof FieldErrorType];

const TYPE_TEXT: Record<FieldErrorTypeName, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** The path from the object root to a field, e.g. `spec.containers[0].image`. Immutable. */
export class FieldPath {
  readonly #name: string;
  readonly #index: string | undefined;
  readonly #parent: FieldPath | undefined;

  private constructor(name: string, index: string | undefined, parent: FieldPath | undefined) {
    this.#name = name;
    this.#index = index;
    this.#parent = parent;
  }

  /** A root path, like field.NewPath("spec", "template"). */
  static of(name: string, ...more: string[]): FieldPath {
    let p = new FieldPath(name, undefined, undefined);
    for (const n of more) p = new FieldPath(n, undefined, p);
    return p;
  }

  child(name: string, ...more: string[]): FieldPath {
    let p = new FieldPath(name, undefined, this);
    for (const n of more) p = new FieldPath(n, undefined, p);
    return p;
  }

  index(i: number): FieldPath {
    return new FieldPath('', String(i), this);
  }

  key(k: string): FieldPath {
    return new FieldPath('', k, this);
  }

  toString(): string {
    const elems: FieldPath[] = [];
    for (let p: FieldPath | undefined = this; p; p = p.#parent) elems.unshift(p);
    let out = '';
    for (const p of elems) {
      if (p.#index === undefined) out += p.#parent && p.#name ? `.${p.#name}` : p.#name;
      else out += `[${p.#index}]`;
    }
    return out;
  }
}

/** field.NewPath. */
export function newPath(name: string, ...more: string[]): FieldPath {
  return FieldPath.of(name, ...more);
}

/** A path as a FieldPath, a ready-made string, or nothing (upstream's nil path prints `<nil>`). */
export type PathLike = FieldPath | string | undefined;

function pathString(p: PathLike): string {
  return p === undefined ? '<nil>' : String(p);
}

/** Marks a value that is left out of the message (upstream's omitValue). */
export const OMIT_VALUE: unique symbol = Symbol('omitValue');

/** Go's strconv.Quote: double-quoted with Go escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c === 0x20 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Go's json.Marshal text for a value (HTML characters escaped as Go does). */
export function goJSON(v: unknown): string {
  const text = JSON.stringify(v) ?? 'null';
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** How upstream's ErrorBody prints a bad value. */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return goJSON(value);
}

function make(type: FieldErrorTypeName, path: PathLike, value: unknown, detail: string): FieldError {
  let body = TYPE_TEXT[type];
  const showsValue =
    type !== FieldErrorType.Required &&
    type !== FieldErrorType.Forbidden &&
    type !== FieldErrorType.TooLong &&
    type !== FieldErrorType.Internal &&
    value !== OMIT_VALUE;
  if (showsValue) body += `: ${renderValue(value)}`;
  if (detail) body += `: ${detail}`;
  return { type, field: pathString(path), message: body };
}

export function required(path: PathLike, detail = ''): FieldError {
  return make(FieldErrorType.Required, path, '', detail);
}

export function invalid(path: PathLike, value: unknown, detail = ''): FieldError {
  return make(FieldErrorType.Invalid, path, value, detail);
}

export function typeInvalid(path: PathLike, value: unknown, detail = ''): FieldError {
  return make(FieldErrorType.TypeInvalid, path, value, detail);
}

export function notFound(path: PathLike, value: unknown): FieldError {
  return make(FieldErrorType.NotFound, path, value, '');
}

export function duplicate(path: PathLike, value: unknown): FieldError {
  return make(FieldErrorType.Duplicate, path, value, '');
}

export function notSupported(path: PathLike, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? `supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return make(FieldErrorType.NotSupported, path, value, detail);
}

export function forbidden(path: PathLike, detail = ''): FieldError {
  return make(FieldErrorType.Forbidden, path, '', detail);
}

/** field.TooLong: the value is never printed; a negative max gives "value is too long". */
export function tooLong(path: PathLike, _value: unknown, maxLength: number): FieldError {
  const msg = maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long';
  return make(FieldErrorType.TooLong, path, '', msg);
}

/** field.TooMany: a negative actual quantity leaves the value out. */
export function tooMany(path: PathLike, actualQuantity: number, maxQuantity: number): FieldError {
  const msg = maxQuantity >= 0 ? `must have at most ${maxQuantity} ${maxQuantity === 1 ? 'item' : 'items'}` : 'has too many items';
  return make(FieldErrorType.TooMany, path, actualQuantity >= 0 ? actualQuantity : OMIT_VALUE, msg);
}

export function internalError(path: PathLike, err: unknown): FieldError {
  return make(FieldErrorType.Internal, path, null, err instanceof Error ? err.message : String(err));
}

/** upstream's field.Error.Error(): `<field>: <body>`. */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${e.message}`;
}

/**
 * ErrorList.ToAggregate().Error(): duplicates dropped, one error printed bare,
 * several as `[a, b]`. Empty list gives ''.
 */
export function aggregateMessage(errs: readonly FieldError[]): string {
  const seen = new Set<string>();
  for (const e of errs) seen.add(fieldErrorString(e));
  const list = [...seen];
  if (list.length === 0) return '';
  return list.length === 1 ? (list[0] ?? '') : `[${list.join(', ')}]`;
}
