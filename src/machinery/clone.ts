/**
 * A deep copy of JSON data (what API objects are): objects, arrays and primitives. Several
 * times faster than structuredClone, which serializes through V8's value serializer; a
 * property whose value is undefined is left out, as JSON would.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  const from = value as Record<string, unknown>;
  for (const k in from) {
    const v = from[k];
    if (v !== undefined) out[k] = cloneJson(v);
  }
  return out as T;
}
