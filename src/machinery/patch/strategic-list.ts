/**
 * Strategic merge patch of lists: merging by merge key or as sets, `$patch` elements in lists,
 * and the ordering rules (patch order first, server-only items interleaved by live order).
 */
import type { PatchSchema } from './strategic-schema.js';
import { errBadArgType, errBadPatchType, errNoListOfLists, errNoMergeKey, StrategicMergePatchError } from './strategic-errors.js';
import { getKey, goFormat, goTypeName, hasKey, isMap } from './json-value.js';
import type { JsonMap } from './json-value.js';

/** Element kind as upstream's reflect.Kind matters here: maps are matched by merge key. */
export type ElementKind = 'map' | 'scalar';

/** Merges two maps of a list element (strategic.ts' mergeMap). */
export type MergeMapFn = (original: JsonMap, patch: JsonMap, schema: PatchSchema) => JsonMap;

/** The common element type of the slices; lists of lists and mixed types are errors. */
export function sliceElementKind(...slices: readonly unknown[][]): ElementKind {
  let prev: string | undefined;
  for (const s of slices) {
    for (const v of s) {
      const t = goTypeName(v);
      if (prev === undefined) {
        prev = t;
        if (t === '[]interface {}') throw errNoListOfLists();
      } else if (prev !== t) {
        throw new StrategicMergePatchError(`list element types are not identical: ${goFormat(slices)}`);
      }
    }
  }
  if (prev === undefined) throw new StrategicMergePatchError('no elements in any of the given slices');
  return prev === 'map[string]interface {}' ? 'map' : 'scalar';
}

function keyOf(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== 'map') return item;
  return isMap(item) ? getKey(item, mergeKey) : undefined;
}

/** Index of the item (by merge key for maps) in l, or -1. */
function indexIn(l: readonly unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const want = keyOf(item, mergeKey, kind);
  return l.findIndex((v) => keyOf(v, mergeKey, kind) === want);
}

function validateMergeKeyInLists(mergeKey: string, ...lists: readonly unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) throw errBadArgType('map', item);
      if (!hasKey(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** Sorts `toSort` by position in `order` (stable); `$patch: delete` maps go last. */
function normalizeSliceOrder(toSort: unknown[], order: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order as unknown[]);
    items = toSort.filter((v) => getKey(v as JsonMap, '$patch') !== 'delete');
    toDelete = toSort.filter((v) => getKey(v as JsonMap, '$patch') === 'delete');
  }
  const keyed = items.map((v) => ({ v, i: indexIn(order, v, mergeKey, kind) }));
  keyed.sort((a, b) => (a.i >= 0 && b.i >= 0 ? a.i - b.i : 0));
  return [...keyed.map((k) => k.v), ...toDelete];
}

/**
 * Interleaves server-only items (`left`) into patch items (`right`): a server-only item goes
 * before the next patch item when the live order puts it first.
 */
function mergeSortedSlice(
  left: unknown[],
  right: unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** Splits `merged` into items present in `by` and the rest (server-only). */
export function partitionByPresence(merged: readonly unknown[], by: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  if (mergeKey === '') {
    const set = new Set(by);
    for (const v of merged) (set.has(v) ? inPatch : serverOnly).push(v);
    return [inPatch, serverOnly];
  }
  for (const v of merged) {
    if (!isMap(v)) throw errBadArgType('map', v);
    if (!hasKey(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const found = findByMergeKey(by, mergeKey, v[mergeKey]) >= 0;
    (found ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** Index of the map whose merge key equals value; non-map elements are an error. */
function findByMergeKey(list: readonly unknown[], mergeKey: string, value: unknown): number {
  for (let k = 0; k < list.length; k++) {
    const v = list[k];
    if (!isMap(v)) throw new StrategicMergePatchError(`value for key ${k} is not a map`);
    if (hasKey(v, mergeKey) && v[mergeKey] === value) return k;
  }
  return -1;
}

/** Removes duplicates (first occurrence kept). */
function deduplicateScalars(s: readonly unknown[]): unknown[] {
  return [...new Set(s)];
}

/** Applies `$patch` elements of a list of maps; returns the new original and the plain patch items. */
function mergeSliceWithSpecialElements(original: unknown[], patch: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  let out = original;
  for (const v of patch) {
    const m = v as JsonMap;
    if (!hasKey(m, '$patch')) {
      plain.push(v);
      continue;
    }
    const directive = m['$patch'];
    if (directive === 'delete') {
      if (!hasKey(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
      const value = m[mergeKey];
      for (let k = findByMergeKey(out, mergeKey, value); k >= 0; k = findByMergeKey(out, mergeKey, value)) {
        out = [...out.slice(0, k), ...out.slice(k + 1)];
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new StrategicMergePatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, m);
    }
  }
  return replace ? [plain, []] : [out, plain];
}

/** Merges patch maps into original by merge key; unmatched patch items are appended. */
function mergeSliceByKey(
  original: unknown[],
  patch: readonly unknown[],
  mergeKey: string,
  schema: PatchSchema,
  mergeMap: MergeMapFn,
): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const m = v as JsonMap;
    if (!hasKey(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const k = findByMergeKey(out, mergeKey, m[mergeKey]);
    if (k >= 0) out[k] = mergeMap(out[k] as JsonMap, m, schema);
    else out.push(v);
  }
  return out;
}

/** Removes the items of a `$deleteFromPrimitiveList` list. */
function deleteFromSlice(current: readonly unknown[], toDelete: readonly unknown[]): unknown[] {
  const set = new Set(toDelete);
  return current.filter((v) => !set.has(v));
}

/** Upstream's mergeSlice: merge a list with strategy merge (or apply a deletion list). */
export function mergeSlice(
  original: unknown[],
  patch: unknown[],
  schema: PatchSchema,
  mergeKey: string,
  isDeleteList: boolean,
  mergeMap: MergeMapFn,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  let orig = original;
  let items = patch;
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw new StrategicMergePatchError(`cannot merge lists without merge key for ${schema.name}`);
    [orig, items] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceByKey(orig, items, mergeKey, schema, mergeMap);
  }
  const [inPatch, serverOnly] = partitionByPresence(merged, items, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, items, orig, mergeKey, kind);
}
