/**
 * Helpers for plain JSON values as the patch code handles them: own-property access that is
 * safe for keys such as `__proto__`, deep equality, and the Go spellings of values and types
 * that upstream's error messages print (`fmt.Sprint`, `reflect.TypeOf`).
 */

export type JsonMap = Record<string, unknown>;

export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasKey(m: JsonMap, key: string): boolean {
  return Object.hasOwn(m, key);
}

/** The own value at key, or undefined when absent. */
export function getKey(m: JsonMap, key: string): unknown {
  return Object.hasOwn(m, key) ? m[key] : undefined;
}

/** Sets an own, enumerable property (also for `__proto__`). */
export function setKey(m: JsonMap, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(m, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    m[key] = value;
  }
}

export function deleteKey(m: JsonMap, key: string): void {
  delete m[key];
}

/** A deep copy of a JSON value. */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map((e: unknown) => cloneJson(e)) as T;
  if (isMap(v)) {
    const out: JsonMap = {};
    for (const k of Object.keys(v)) setKey(out, k, cloneJson(v[k]));
    return out as T;
  }
  return v;
}

/** Structural equality of two JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((e, i) => jsonEqual(e, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasKey(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The Go dynamic type of a decoded JSON value (ints decoded as int64, as the apiserver does). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/** `fmt.Sprint` of a decoded JSON value: `map[a:1 b:[x y]]`. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  }
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // %v of a float64 uses the shortest representation, exponent form for large/small magnitudes.
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    const [mant, exp] = n.toExponential().split('e');
    const e = Number(exp);
    const sign = e < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(n);
}
