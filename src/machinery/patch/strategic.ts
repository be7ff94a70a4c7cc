/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch), applied as the apiserver
 * applies `application/strategic-merge-patch+json`: maps merge, lists merge by `patchMergeKey`
 * or as sets where the field's `patchStrategy` is merge and are replaced otherwise; `null`
 * deletes; directives `$patch` (replace, delete), `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` are honoured. Patch metadata comes from the type registry.
 */
import { newPatchBadRequest, newStrategicMergePatchUnsupported } from './errors.js';
import { unmarshalTypeMessage } from './go-json.js';
import { cloneJson, deleteKey, getKey, goFormat, goTypeName, hasKey, isMap, setKey } from './json-value.js';
import type { JsonMap } from './json-value.js';
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errBadJSONDoc,
  errNoMergeKey,
  StrategicMergePatchError,
} from './strategic-errors.js';
import { mergeSlice, normalizeElementOrder, partitionByPresence, sliceElementKind } from './strategic-list.js';
import { otherStrategy, patchSchemaFor } from './strategic-schema.js';
import type { PatchMeta, PatchSchema } from './strategic-schema.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

/**
 * Applies a strategic merge patch (already decoded JSON) to a copy of `original`, an object of
 * the registered type `typeName` (e.g. `io.k8s.api.core.v1.Pod`). Failures are StatusErrors as
 * the apiserver sends them: 415 for an unregistered type (custom resources), 400 for malformed
 * directives, 422 for lists of lists, 500 for other errors (e.g. a missing merge key).
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, typeName: string): unknown {
  const schema = patchSchemaFor(typeName);
  if (!schema) throw newStrategicMergePatchUnsupported();
  if (patch === null || patch === undefined) return cloneJson(original);
  if (!isMap(patch)) throw newPatchBadRequest(unmarshalTypeMessage(patch, 'map[string]interface {}'));
  try {
    if (!isMap(original)) throw errBadJSONDoc();
    return strategicMergeMapPatch(cloneJson(original), cloneJson(patch), schema);
  } catch (err) {
    if (err instanceof StrategicMergePatchError) throw err.toStatusError();
    throw err;
  }
}

/**
 * The merge itself (upstream's StrategicMergeMapPatch). Mutates both arguments; throws
 * StrategicMergePatchError with upstream's message.
 */
export function strategicMergeMapPatch(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  return mergeMap(original, patch, schema);
}

function mergeMap(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  if (hasKey(patch, DIRECTIVE)) return mapDirective(patch[DIRECTIVE], patch);
  applyRetainKeys(original, patch);
  mergeSetElementOrder(original, patch, schema);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey];
    let k = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      deleteKey(original, k);
      continue;
    }
    if (!hasKey(original, k) || goTypeName(original[k]) !== goTypeName(patchV)) {
      if (!isDeleteList) setNew(original, k, patchV);
      continue;
    }
    const origV = original[k];
    if (isMap(origV) && isMap(patchV)) {
      const [sub, meta] = schema.lookupStruct(k);
      setKey(original, k, otherStrategy(meta) === 'replace' ? patchV : mergeMap(origV, patchV, sub));
    } else if (Array.isArray(origV) && Array.isArray(patchV)) {
      const [sub, meta] = schema.lookupSlice(k);
      setKey(original, k, mergeList(origV, patchV, sub, meta, isDeleteList));
    } else {
      setNew(original, k, patchV);
    }
  }
  return original;
}

/** A value the original does not have (or has with another type): nulls and directives dropped. */
function setNew(original: JsonMap, k: string, patchV: unknown): void {
  discardNullValues(patchV);
  const [v, keep] = removeDirectives(patchV);
  if (keep) setKey(original, k, v);
  else deleteKey(original, k);
}

function mergeList(original: unknown[], patch: unknown[], schema: PatchSchema, meta: PatchMeta, isDeleteList: boolean): unknown[] {
  if (otherStrategy(meta) === 'merge' || isDeleteList) {
    return mergeSlice(original, patch, schema, meta.mergeKey, isDeleteList, mergeMap);
  }
  return patch;
}

/** `$patch` on a map: replace keeps only the patch, delete leaves an empty map. */
function mapDirective(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    deleteKey(patch, DIRECTIVE);
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/** `$deleteFromPrimitiveList/<key>` and `$setElementOrder/<key>` → `<key>`. */
function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw errBadPatchFormatForPrimitiveList();
    throw errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

/** `$retainKeys`: every patched key must be listed; keys of original not listed are cleared. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!hasKey(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  deleteKey(patch, RETAIN_KEYS);
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const retained = new Set<unknown>(list);
  for (const k of Object.keys(patch)) {
    if (patch[k] === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) {
    if (!retained.has(k)) deleteKey(original, k);
  }
}

/** Processes `$setElementOrder/<list>` with its list: merge, then order as the directive says. */
function mergeSetElementOrder(original: JsonMap, patch: JsonMap, schema: PatchSchema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    deleteKey(patch, key);
    if (!Array.isArray(order)) throw errBadArgType('slice', order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = hasKey(original, listKey);
    const foundPatch = hasKey(patch, listKey);
    const originalList = original[listKey];
    const patchList = patch[listKey];
    if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType('slice', originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType('slice', patchList);
    const origItems = (originalList ?? []) as unknown[];
    const patchItems = (patchList ?? []) as unknown[];
    const [sub, meta] = schema.lookupSlice(listKey);
    validatePatchWithSetOrderList(patchItems, order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = origItems;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchItems)[0] as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeList(origItems, patchItems, sub, meta, false);
    else continue;

    const [inOrder, serverOnly] = partitionByPresence(merged, order, meta.mergeKey);
    const kind = sliceElementKind(origItems, patchItems);
    setKey(original, listKey, normalizeElementOrder(inOrder, serverOnly, order, origItems, meta.mergeKey, kind));
    deleteKey(patch, listKey);
  }
}

/** The patch list must follow the relative order of the `$setElementOrder` list. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey !== '') {
    for (const v of patchList) if (!isMap(v)) throw errBadArgType('map', v);
    items = patchList.filter((v) => getKey(v as JsonMap, DIRECTIVE) !== 'delete');
  }
  let p = 0;
  let s = 0;
  while (p < items.length && s < order.length) {
    const item = items[p];
    if (isMap(item) && hasKey(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[s], mergeKey)) p++;
    s++;
  }
  if (p < items.length && s >= order.length) {
    throw new StrategicMergePatchError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isMap(left)) throw errBadArgType('map', left);
  if (!isMap(right)) throw errBadArgType('map', right);
  if (!hasKey(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasKey(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** Drops null-valued keys of maps, recursively through maps and lists. */
function discardNullValues(v: unknown): void {
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) deleteKey(v, k);
      else discardNullValues(v[k]);
    }
  } else if (Array.isArray(v)) {
    for (const e of v) discardNullValues(e);
  }
}

/**
 * Removes maps carrying `$patch` (and, unlike upstream, which leaves them for typed decoding
 * to drop, the other directive keys) from a value the original did not have.
 */
function removeDirectives(v: unknown): [unknown, boolean] {
  if (isMap(v)) {
    if (hasKey(v, DIRECTIVE)) return [undefined, false];
    for (const k of Object.keys(v)) {
      if (k === RETAIN_KEYS || k.startsWith(`${SET_ELEMENT_ORDER}/`) || k.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)) {
        deleteKey(v, k);
        continue;
      }
      const [nv, keep] = removeDirectives(v[k]);
      if (keep) setKey(v, k, nv);
      else deleteKey(v, k);
    }
    return [v, true];
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      const [ne, keep] = removeDirectives(e);
      if (keep) out.push(ne);
    }
    return [out, true];
  }
  return [v, true];
}
