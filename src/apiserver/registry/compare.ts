/** Comparisons the registry makes between an object and its previous state. */
import { jsonEqual } from '../../machinery/json-equal.js';
import type { KubeObject } from '../../machinery/object.js';

/** True when anything outside metadata and status differs: the generation then moves on. */
export function hasSpecChange(next: KubeObject, old: KubeObject): boolean {
  const keys = new Set([...Object.keys(next), ...Object.keys(old)]);
  for (const k of keys) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!jsonEqual(next[k], old[k])) return true;
  }
  return false;
}

/** metadata fields an update may change without storing anything new. */
const VOLATILE_METADATA = new Set(['resourceVersion', 'managedFields']);

/** True when an update would store nothing new (managedFields timestamps aside). */
export function sameObject(next: KubeObject, old: KubeObject): boolean {
  for (const k of new Set([...Object.keys(next), ...Object.keys(old)])) {
    if (k !== 'metadata' && !jsonEqual(next[k], old[k])) return false;
  }
  const a = next.metadata;
  const b = old.metadata;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!VOLATILE_METADATA.has(k) && !jsonEqual(a[k as keyof typeof a], b[k as keyof typeof b])) return false;
  }
  const am = a.managedFields ?? [];
  const bm = b.managedFields ?? [];
  if (am.length !== bm.length) return false;
  return am.every((e, i) => jsonEqual({ ...e, time: undefined }, { ...bm[i], time: undefined }));
}
