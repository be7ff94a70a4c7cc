/**
 * JSON decoding that fails with the same text as Go's encoding/json, since the apiserver
 * returns those messages verbatim in 400 BadRequest responses for malformed patch bodies.
 */

import { nestingDepthError } from '../nesting-depth.js';

/** A syntax error, worded like Go's `*json.SyntaxError`. */
export class JsonSyntaxError extends Error {
  /** Byte offset after which the error occurred (Go's `Offset`). */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
  }
}

/** Go's quoteChar: how the scanner names an offending byte. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  const n = named[c];
  if (n !== undefined) return `'${n}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c >= 0x80 && c < 0xa0) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  if (c === 0xad) return `'\\u00ad'`;
  return `'${String.fromCharCode(c)}'`;
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

const END = 'unexpected end of JSON input';

/** Validates JSON the way Go's scanner does, throwing its error text on the first problem. */
export function checkValidJson(data: Uint8Array): void {
  let i = 0;
  const fail = (context: string): never => {
    if (i >= data.length) throw new JsonSyntaxError(END, data.length);
    throw new JsonSyntaxError(`invalid character ${quoteChar(data[i] as number)} ${context}`, i + 1);
  };
  const skip = (): void => {
    while (isSpace(data[i])) i++;
  };
  const literal = (word: string): void => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (i >= data.length) fail('');
      if (data[i] !== word.charCodeAt(k)) fail(`in literal ${word} (expecting '${word[k]}')`);
    }
    i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const c = data[i];
      if (c === undefined) return fail('');
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        i++;
        const e = data[i];
        if (e === undefined) return fail('');
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            i++;
            const h = data[i];
            if (h === undefined) return fail('');
            if (!isHex(h)) fail('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          fail('in string escape code');
        }
        i++;
        continue;
      }
      if (c < 0x20) fail('in string literal');
      i++;
    }
  };
  const number = (): void => {
    if (data[i] === 0x2d) {
      i++;
      if (i >= data.length) fail('');
      if (!isDigit(data[i])) fail('in numeric literal');
    }
    if (data[i] === 0x30) i++;
    else while (isDigit(data[i])) i++;
    if (data[i] === 0x2e) {
      i++;
      if (i >= data.length) fail('');
      if (!isDigit(data[i])) fail('after decimal point in numeric literal');
      while (isDigit(data[i])) i++;
    }
    if (data[i] === 0x65 || data[i] === 0x45) {
      i++;
      if (data[i] === 0x2b || data[i] === 0x2d) i++;
      if (i >= data.length) fail('');
      if (!isDigit(data[i])) fail('in exponent of numeric literal');
      while (isDigit(data[i])) i++;
    }
  };
  const value = (): void => {
    skip();
    const c = data[i];
    if (c === undefined) return fail('');
    if (c === 0x7b) return object();
    if (c === 0x5b) return array();
    if (c === 0x22) return string();
    if (c === 0x2d || isDigit(c)) return number();
    if (c === 0x74) return literal('true');
    if (c === 0x66) return literal('false');
    if (c === 0x6e) return literal('null');
    return fail('looking for beginning of value');
  };
  const object = (): void => {
    i++;
    skip();
    if (data[i] === 0x7d) {
      i++;
      return;
    }
    for (;;) {
      skip();
      if (data[i] !== 0x22) fail('looking for beginning of object key string');
      string();
      skip();
      if (data[i] !== 0x3a) fail('after object key');
      i++;
      value();
      skip();
      if (data[i] === 0x2c) {
        i++;
        continue;
      }
      if (data[i] === 0x7d) {
        i++;
        return;
      }
      fail('after object key:value pair');
    }
  };
  const array = (): void => {
    i++;
    skip();
    if (data[i] === 0x5d) {
      i++;
      return;
    }
    for (;;) {
      value();
      skip();
      if (data[i] === 0x2c) {
        i++;
        continue;
      }
      if (data[i] === 0x5d) {
        i++;
        return;
      }
      fail('after array element');
    }
  };
  value();
  skip();
  if (i < data.length) fail('after top-level value');
}

/**
 * Decodes a JSON body, failing with Go's syntax error text. Both grammars are strict RFC 8259
 * JSON, so the scanner only runs to word the error once JSON.parse has refused the body.
 */
export function decodeJson(body: Uint8Array | string): unknown {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    checkValidJson(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    throw new JsonSyntaxError((err as Error).message, 0);
  }
  const tooDeep = nestingDepthError(value);
  if (tooDeep) throw new JsonSyntaxError(tooDeep, 0);
  return value;
}

/** The JSON kind Go names in an UnmarshalTypeError. */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** `json: cannot unmarshal <kind> into Go value of type <goType>`. */
export function unmarshalTypeMessage(v: unknown, goType: string): string {
  return `json: cannot unmarshal ${jsonKind(v)} into Go value of type ${goType}`;
}
