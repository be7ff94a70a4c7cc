/**
 * What a typed decode found wrong, and how each of upstream's decoders words it:
 * - `json`: encoding/json (sigs.k8s.io/json) decoding a body into Go structs — create, update,
 *   and the result of a JSON or merge patch: `json: cannot unmarshal string into Go struct field
 *   DeploymentSpec.spec.replicas of type int32`.
 * - `unstructured`: runtime.DefaultUnstructuredConverter.FromUnstructured — the result of a
 *   strategic merge patch: `unrecognized type: int32`, `cannot convert float64 to int32`,
 *   `cannot restore struct from: string`.
 * - `smd`: structured-merge-diff's typed conversion of a server-side apply configuration:
 *   `.spec.replicas: expected numeric (int or float), got string`.
 */

export type Dialect = 'json' | 'unstructured' | 'smd';

/** One step of the path to a value: a struct field (with its Go struct), a list index, a map key. */
export type PathSegment =
  | { readonly field: string; readonly struct: string }
  | { readonly index: number; readonly item: unknown; readonly keys: readonly string[] | undefined }
  | { readonly key: string };

/** The shape a declared field expects, for messages. */
export type Expected = 'string' | 'int' | 'float' | 'bool' | 'struct' | 'list' | 'map' | 'bytes';

export interface Mismatch {
  /** The JSON value found. */
  readonly value: unknown;
  readonly expected: Expected;
  /** Go's name of the declared type: int32, []string, map[string]string, v1.PodSpec, []uint8. */
  readonly goType: string;
  /** A custom unmarshaller's own message (Quantity, Time, Duration, base64). */
  readonly custom?: string;
  /**
   * The Go type a custom unmarshaller decodes into first, when that inner decode failed (Time
   * from a number: `string`; IntOrString from a bool: `int32`): an UnmarshalTypeError that
   * encoding/json prefixes with the field's context like any type error.
   */
  readonly innerType?: 'string' | 'int32';
}

/** Go's UnmarshalTypeError.Value: the JSON kind, with the literal for numbers that do not fit. */
function jsonValueText(value: unknown, expected: Expected | 'int32'): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (expected === 'int' || expected === 'float' || expected === 'int32') return `number ${numberLiteral(value as number)}`;
  return 'number';
}

function numberLiteral(n: number): string {
  return Number.isFinite(n) ? String(n) : n > 0 ? '1e+400' : '-1e+400';
}

/** The inner decode's error as the unstructured converter and structured-merge-diff pass it on (no field context). */
function innerTypeError(m: Mismatch & { innerType: string }): string {
  return `json: cannot unmarshal ${jsonValueText(m.value, 'string')} into Go value of type ${m.innerType}`;
}

function jsonMessage(m: Mismatch, path: readonly PathSegment[]): string {
  let struct = '';
  const fields: string[] = [];
  for (const seg of path) {
    if ('field' in seg) {
      struct = seg.struct;
      fields.push(seg.field);
    }
  }
  const context = (valueText: string, goType: string): string =>
    fields.length > 0
      ? `json: cannot unmarshal ${valueText} into Go struct field ${struct}.${fields.join('.')} of type ${goType}`
      : `json: cannot unmarshal ${valueText} into Go value of type ${goType}`;
  if (m.innerType) return context(jsonValueText(m.value, m.innerType), m.innerType);
  if (m.custom !== undefined) return m.custom;
  return context(jsonValueText(m.value, m.expected), m.goType);
}

/** reflect.Kind of a value as FromUnstructured sees it (JSON numbers: int64 when whole). */
function unstructuredKind(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'object') return 'map';
  return Number.isInteger(value) ? 'int64' : 'float64';
}

function unstructuredMessage(m: Mismatch): string {
  if (m.innerType) return innerTypeError({ ...m, innerType: m.innerType });
  if (m.custom !== undefined) return m.custom;
  const kind = unstructuredKind(m.value);
  switch (m.expected) {
    case 'struct':
      return `cannot restore struct from: ${kind}`;
    case 'list':
    case 'bytes':
      return `cannot restore slice from ${kind}`;
    case 'map':
      return `cannot restore map from ${kind}`;
    default:
      // reflect converts an int64 to a string (a rune) and a float64 to an integer kind, and
      // FromUnstructured refuses both; other pairs are not convertible at all. (An int64 out of
      // int32's range is wrapped silently upstream; refused here.)
      if ((kind === 'int64' && m.expected !== 'bool' && m.expected !== 'float') || (kind === 'float64' && m.expected === 'int')) {
        return `cannot convert ${kind} to ${m.goType}`;
      }
      return `unrecognized type: ${m.goType}`;
  }
}

function goTypeOfJSON(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'object') return 'map[string]interface {}';
  return Number.isInteger(value) ? 'int64' : 'float64';
}

/** structured-merge-diff's path: `.spec.containers[name="app"].image`, `.data.key`. */
export function smdPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if ('field' in seg) out += `.${seg.field}`;
    else if ('key' in seg) out += `.${seg.key}`;
    else if (seg.keys && typeof seg.item === 'object' && seg.item !== null) {
      const item = seg.item as Record<string, unknown>;
      const present = seg.keys.filter((k) => item[k] !== undefined && item[k] !== null);
      out += `[${present.map((k) => `${k}=${JSON.stringify(item[k])}`).join(',')}]`;
    } else out += `[${seg.index}]`;
  }
  return out;
}

function smdMessage(m: Mismatch, path: readonly PathSegment[]): string {
  const where = smdPath(path);
  const prefix = where ? `${where}: ` : '';
  if (m.innerType) return `${prefix}${innerTypeError({ ...m, innerType: m.innerType })}`;
  if (m.custom !== undefined) return `${prefix}${m.custom}`;
  const shown = JSON.stringify(m.value);
  switch (m.expected) {
    case 'int':
    case 'float':
      // a number of the wrong range or kind passes the schema and fails the conversion after it
      if (typeof m.value === 'number') return `${prefix}${unstructuredMessage(m)}`;
      return `${prefix}expected numeric (int or float), got ${goTypeOfJSON(m.value)}`;
    case 'string':
    case 'bytes':
      return `${prefix}expected string, got &value.valueUnstructured{Value:${shown}}`;
    case 'bool':
      return `${prefix}expected boolean, got &{${shown}}`;
    case 'list':
      return `${prefix}expected list, got &{${shown}}`;
    default:
      return `${prefix}expected map, got &{${shown}}`;
  }
}

/** The message upstream's decoder of `dialect` gives for `m` at `path`. */
export function mismatchMessage(dialect: Dialect, m: Mismatch, path: readonly PathSegment[]): string {
  if (dialect === 'json') return jsonMessage(m, path);
  if (dialect === 'unstructured') return unstructuredMessage(m);
  return smdMessage(m, path);
}

/** Path of an unknown field as strict decoding reports it: `spec.containers[0].foo`, `data[key]`. */
export function fieldPath(path: readonly PathSegment[], last: string): string {
  let out = '';
  for (const seg of path) {
    if ('field' in seg) out += out ? `.${seg.field}` : seg.field;
    else if ('key' in seg) out += `[${seg.key}]`;
    else out += `[${seg.index}]`;
  }
  return out ? `${out}.${last}` : last;
}

/** A typed decode that failed; `message` is the decoder's own text (without the kind prefix). */
export class TypedDecodeError extends Error {
  constructor(
    message: string,
    readonly mismatch: Mismatch,
    readonly path: readonly PathSegment[],
  ) {
    super(message);
    this.name = 'TypedDecodeError';
  }
}
