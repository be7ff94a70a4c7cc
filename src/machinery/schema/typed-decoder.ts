/**
 * The typed decoder: reads a JSON value as upstream's decoders read it into Go structs, from our
 * type declarations. A checker is compiled once per type (a field table of closures) and then
 * walks each body once: wrong JSON types are refused with the decoder's own message (see
 * decode-errors.ts), fields the type does not declare are collected (and pruned), and the value
 * is normalized the way a Go decode and re-encode would leave it (null fields dropped, null list
 * items and map values become their zero value, byte arrays become base64).
 */
import { ERR_FORMAT_WRONG, parseQuantity, QuantityParseError } from '../quantity.js';
import { parseGoDuration } from '../protobuf/go-duration.js';
import { lookupType, type FieldType, type Scalar, type TypeDef } from './dsl.js';
import { fieldPath, mismatchMessage, TypedDecodeError, type Dialect, type Mismatch, type PathSegment } from './decode-errors.js';
import { base64ErrorOffset } from './go-base64.js';
import { goTimeParseError, RFC3339, RFC3339_MICRO } from './go-time.js';
import { encodedZero } from './zero-value.js';

export interface DecodeOptions {
  /** Whose messages the errors use: create/update and JSON/merge patches `json`, strategic merge `unstructured`, apply `smd`. */
  readonly dialect: Dialect;
  /** Remove the fields the type does not declare (they are reported either way). */
  readonly prune: boolean;
  /** Normalize nulls and byte arrays in place (never for an apply configuration, whose nulls mean something). */
  readonly normalize: boolean;
}

interface State {
  readonly options: DecodeOptions;
  readonly path: PathSegment[];
  readonly unknown: string[];
  /** encoding/json keeps the first type error and goes on; a custom unmarshaller's error stops it. */
  saved: TypedDecodeError | undefined;
}

type Check = (value: unknown, st: State) => unknown;

function fail(st: State, m: Mismatch, fatal: boolean): void {
  const keepGoing = !fatal && st.options.dialect === 'json';
  // encoding/json keeps only its first type error: a later one is not even worded
  if (keepGoing && st.saved) return;
  const err = new TypedDecodeError(mismatchMessage(st.options.dialect, m, st.path), m, [...st.path]);
  if (!keepGoing) throw err;
  st.saved = err;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- Go type names, for messages ----

function goPackageName(typeName: string): string {
  const parts = typeName.split('.');
  return `${parts[parts.length - 2] ?? ''}.${parts[parts.length - 1] ?? typeName}`;
}

const SCALAR_GO_TYPES: Record<Scalar, string> = {
  string: 'string',
  int32: 'int32',
  int64: 'int64',
  double: 'float64',
  boolean: 'bool',
  bytes: '[]uint8',
  time: 'v1.Time',
  microtime: 'v1.MicroTime',
  duration: 'v1.Duration',
  quantity: 'resource.Quantity',
  intOrString: 'intstr.IntOrString',
  rawExtension: 'runtime.RawExtension',
  json: 'v1.JSON',
  fieldsV1: 'v1.FieldsV1',
};

export function goTypeName(ft: FieldType): string {
  if ('scalar' in ft) return SCALAR_GO_TYPES[ft.scalar];
  if ('ref' in ft) return goPackageName(ft.ref);
  if ('list' in ft) return `[]${goTypeName(ft.list)}`;
  return `map[string]${goTypeName(ft.map)}`;
}

// ---- scalars ----

const INT32 = 2 ** 31;
const INT64 = 2 ** 63;

function integerCheck(limit: number, goType: string): Check {
  return (v, st) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -limit || v >= limit) fail(st, { value: v, expected: 'int', goType }, false);
    return v;
  };
}

function simpleCheck(type: 'string' | 'number' | 'boolean', expected: 'string' | 'float' | 'bool', goType: string): Check {
  return (v, st) => {
    if (typeof v !== type) fail(st, { value: v, expected, goType }, false);
    return v;
  };
}

function checkBytes(v: unknown, st: State): unknown {
  if (typeof v === 'string') {
    const offset = base64ErrorOffset(v);
    if (offset !== undefined) {
      fail(st, { value: v, expected: 'bytes', goType: '[]uint8', custom: `illegal base64 data at input byte ${offset}` }, false);
    }
    return v;
  }
  if (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return st.options.normalize ? Buffer.from(v as number[]).toString('base64') : v;
  }
  fail(st, { value: v, expected: 'bytes', goType: '[]uint8' }, false);
  return v;
}

/** metav1.Time, MicroTime and Duration unmarshal a JSON string, then parse it. */
function stringThen(parse: (s: string) => string | undefined, goType: string): Check {
  return (v, st) => {
    if (typeof v !== 'string') {
      fail(st, { value: v, expected: 'string', goType, innerType: 'string' }, true);
      return v;
    }
    const message = parse(v);
    if (message !== undefined) fail(st, { value: v, expected: 'string', goType, custom: message }, true);
    return v;
  };
}

function durationError(s: string): string | undefined {
  try {
    parseGoDuration(s);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function checkQuantity(v: unknown, st: State): unknown {
  let message: string | undefined;
  if (typeof v === 'string' || typeof v === 'number') {
    try {
      parseQuantity(typeof v === 'string' ? v.trim() : String(v));
    } catch (err) {
      if (!(err instanceof QuantityParseError)) throw err;
      message = err.message;
    }
  } else message = ERR_FORMAT_WRONG;
  if (message !== undefined) fail(st, { value: v, expected: 'string', goType: 'resource.Quantity', custom: message }, true);
  return v;
}

function checkIntOrString(v: unknown, st: State): unknown {
  if (typeof v === 'string') return v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -INT32 || v >= INT32) {
    fail(st, { value: v, expected: 'int', goType: 'intstr.IntOrString', innerType: 'int32' }, true);
  }
  return v;
}

const anything: Check = (v) => v;

const SCALAR_CHECKS: Record<Scalar, Check> = {
  string: simpleCheck('string', 'string', 'string'),
  int32: integerCheck(INT32, 'int32'),
  int64: integerCheck(INT64, 'int64'),
  double: simpleCheck('number', 'float', 'float64'),
  boolean: simpleCheck('boolean', 'bool', 'bool'),
  bytes: checkBytes,
  time: stringThen((s) => goTimeParseError(RFC3339, s), 'v1.Time'),
  microtime: stringThen((s) => goTimeParseError(RFC3339_MICRO, s), 'v1.MicroTime'),
  duration: stringThen(durationError, 'v1.Duration'),
  quantity: checkQuantity,
  intOrString: checkIntOrString,
  rawExtension: anything,
  json: anything,
  fieldsV1: anything,
};

// ---- containers ----

function compile(ft: FieldType, listKeys?: readonly string[]): Check {
  if ('scalar' in ft) return SCALAR_CHECKS[ft.scalar];
  const goType = goTypeName(ft);
  if ('ref' in ft) {
    let checker: ObjectChecker | undefined;
    return (v, st) => {
      if (!isObject(v)) {
        fail(st, { value: v, expected: 'struct', goType }, false);
        return v;
      }
      checker ??= objectChecker(ft.ref);
      checker.check(v, st, false);
      return v;
    };
  }
  if ('list' in ft) return listCheck(ft.list, goType, listKeys);
  return mapCheck(ft.map, goType);
}

function listCheck(of: FieldType, goType: string, keys: readonly string[] | undefined): Check {
  let item: Check | undefined;
  const zero = encodedZero(of);
  return (v, st) => {
    if (!Array.isArray(v)) {
      fail(st, { value: v, expected: 'list', goType }, false);
      return v;
    }
    item ??= compile(of);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x === null) {
        if (st.options.normalize) v[i] = structuredClone(zero);
        continue;
      }
      st.path.push({ index: i, item: x, keys });
      const out = item(x, st);
      if (out !== x) v[i] = out;
      st.path.pop();
    }
    return v;
  };
}

function mapCheck(of: FieldType, goType: string): Check {
  let value: Check | undefined;
  const zero = encodedZero(of);
  return (v, st) => {
    if (!isObject(v)) {
      fail(st, { value: v, expected: 'map', goType }, false);
      return v;
    }
    value ??= compile(of);
    for (const key of Object.keys(v)) {
      const x = v[key];
      if (x === null) {
        if (st.options.normalize) v[key] = structuredClone(zero);
        continue;
      }
      st.path.push({ key });
      const out = value(x, st);
      if (out !== x) v[key] = out;
      st.path.pop();
    }
    return v;
  };
}

interface FieldChecker {
  readonly segment: PathSegment;
  readonly check: Check;
}

class ObjectChecker {
  readonly #fields = new Map<string, FieldChecker>();
  readonly #isKind: boolean;

  constructor(def: TypeDef) {
    this.#isKind = def.gvk !== undefined;
    const struct = def.name.slice(def.name.lastIndexOf('.') + 1);
    for (const [name, f] of Object.entries(def.fields)) {
      // apply's paths name the items of a keyed list by their keys: `.spec.containers[name="app"]`
      const keys = f.listMapKeys ?? (f.patchMergeKey ? [f.patchMergeKey] : undefined);
      this.#fields.set(name, { segment: { field: name, struct }, check: compile(f.type, keys) });
    }
  }

  check(obj: Record<string, unknown>, st: State, top: boolean): void {
    for (const key of Object.keys(obj)) {
      const f = this.#fields.get(key);
      if (!f) {
        if (top && this.#isKind && (key === 'apiVersion' || key === 'kind')) continue;
        st.unknown.push(fieldPath(st.path, key));
        if (st.options.prune) delete obj[key];
        continue;
      }
      const v = obj[key];
      if (v === null) {
        if (st.options.normalize) delete obj[key];
        continue;
      }
      st.path.push(f.segment);
      const out = f.check(v, st);
      st.path.pop();
      if (out !== v) obj[key] = out;
    }
  }
}

const checkers = new Map<string, ObjectChecker>();

function objectChecker(typeName: string): ObjectChecker {
  let c = checkers.get(typeName);
  if (!c) {
    const def = lookupType(typeName);
    if (!def) throw new Error(`type ${typeName} is not declared`);
    c = new ObjectChecker(def);
    checkers.set(typeName, c);
  }
  return c;
}

/**
 * Decodes `obj` as the declared type `typeName` (found at path `at` of a larger object): throws
 * TypedDecodeError for the first wrong JSON type (upstream's first), returns the paths of fields
 * the type does not declare.
 */
export function decodeTyped(
  typeName: string,
  obj: Record<string, unknown>,
  options: DecodeOptions,
  at: readonly PathSegment[] = [],
): string[] {
  const st: State = { options, path: [...at], unknown: [], saved: undefined };
  objectChecker(typeName).check(obj, st, true);
  if (st.saved) throw st.saved;
  return st.unknown;
}
