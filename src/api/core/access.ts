/**
 * Small readers for decoded JSON objects. Strategies see objects as KubeObject (fields behind an
 * index signature); these helpers read and create nested fields without `any`.
 */
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';

export type Obj = Record<string, unknown>;

/** The value as a plain object, or undefined. */
export function asObj(v: unknown): Obj | undefined {
  return isPlainObject(v) ? v : undefined;
}

/** The child object at `key`, created (as {}) when missing. */
export function child(parent: Obj, key: string): Obj {
  const cur = parent[key];
  if (isPlainObject(cur)) return cur;
  const made: Obj = {};
  parent[key] = made;
  return made;
}

/** The plain objects of an array (other entries skipped). */
export function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** A string map (labels, selectors, data); non-string values skipped. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const o = asObj(v);
  if (!o) return out;
  for (const [k, val] of Object.entries(o)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** `obj.spec` (or another top-level field) as an object; {} when missing (not stored). */
export function part(o: KubeObject, key: 'spec' | 'status' | string): Obj {
  return asObj(o[key]) ?? {};
}

/** Path-walk: get(o, 'spec', 'template', 'spec') → the object there or undefined. */
export function dig(o: unknown, ...keys: string[]): unknown {
  let cur: unknown = o;
  for (const k of keys) {
    const c = asObj(cur);
    if (!c) return undefined;
    cur = c[k];
  }
  return cur;
}

/** Sets `obj[key] = value` when the field is absent, null or ''. */
export function setDefault(o: Obj, key: string, value: unknown): void {
  const cur = o[key];
  if (cur === undefined || cur === null || cur === '') o[key] = value;
}
