/**
 * RFC 7386 JSON Merge Patch with the behaviour of evanphx/json-patch v4's MergePatch and
 * CreateMergePatch, which the apiserver uses for `application/merge-patch+json`.
 */
import { newPatchBadRequest } from './errors.js';
import { decodeJson, JsonSyntaxError } from './go-json.js';
import { cloneJson, deleteKey, getKey, hasKey, isMap, jsonEqual, setKey } from './json-value.js';
import type { JsonMap } from './json-value.js';

/** The library's ErrBadJSONPatch, returned by the apiserver as 400 BadRequest. */
export const BAD_JSON_PATCH = 'Invalid JSON Patch';

/**
 * Decodes a merge patch body. Syntax errors, `null` and scalars are 400 `Invalid JSON Patch`;
 * objects and arrays are returned (an array replaces the whole document).
 */
export function decodeMergePatch(body: Uint8Array | string): JsonMap | unknown[] {
  let parsed: unknown;
  try {
    parsed = decodeJson(body);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw newPatchBadRequest(BAD_JSON_PATCH);
    throw err;
  }
  if (isMap(parsed) || Array.isArray(parsed)) return parsed;
  throw newPatchBadRequest(BAD_JSON_PATCH);
}

/**
 * Applies a merge patch to a copy of `doc` (to `doc` itself when the caller `owns` it): `null`
 * deletes a key, objects merge recursively, anything else replaces. A top-level array patch
 * becomes the document (nulls pruned inside it).
 */
export function applyMergePatch(doc: unknown, patch: unknown, owned = false): unknown {
  if (!isMap(patch)) {
    if (Array.isArray(patch)) return pruneNulls(cloneJson(patch));
    throw newPatchBadRequest(BAD_JSON_PATCH);
  }
  const p = cloneJson(patch);
  if (!isMap(doc)) return pruneNulls(p);
  const out = owned ? doc : cloneJson(doc);
  mergeDocs(out, p);
  return out;
}

function mergeDocs(doc: JsonMap, patch: JsonMap): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) {
      deleteKey(doc, k);
      continue;
    }
    const cur = getKey(doc, k);
    if (cur === undefined || cur === null) {
      setKey(doc, k, pruneNulls(v));
    } else {
      setKey(doc, k, merge(cur, v));
    }
  }
}

function merge(cur: unknown, patch: unknown): unknown {
  if (!isMap(cur)) return pruneNulls(patch);
  // An object replaced by a non-object keeps the patch value as sent (the library does not prune it).
  if (!isMap(patch)) return patch;
  mergeDocs(cur, patch);
  return cur;
}

/** Removes null-valued keys from objects, recursively (null array elements are kept). */
function pruneNulls<T>(v: T): T {
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) deleteKey(v, k);
      else pruneNulls(v[k]);
    }
  } else if (Array.isArray(v)) {
    for (const e of v) if (e !== null) pruneNulls(e);
  }
  return v;
}

/**
 * A merge patch that turns `original` into `modified` (jsonpatch.CreateMergePatch for two
 * objects): changed and added keys carry the new value, removed keys are null, objects recurse,
 * arrays are replaced whole when they differ.
 */
export function createMergePatch(original: JsonMap, modified: JsonMap): JsonMap {
  const into: JsonMap = {};
  for (const key of Object.keys(modified)) {
    const bv = modified[key];
    if (!hasKey(original, key)) {
      setKey(into, key, cloneJson(bv));
      continue;
    }
    const av = original[key];
    if (isMap(av) && isMap(bv)) {
      const sub = createMergePatch(av, bv);
      if (Object.keys(sub).length > 0) setKey(into, key, sub);
    } else if (!jsonEqual(av, bv)) {
      setKey(into, key, cloneJson(bv));
    }
  }
  for (const key of Object.keys(original)) {
    if (!hasKey(modified, key)) setKey(into, key, null);
  }
  return into;
}
