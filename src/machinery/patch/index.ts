/**
 * The three patch types of the PATCH verb (application/apply-patch+yaml is server-side apply,
 * handled by machinery/apply). `applyPatch` parses the body, applies it to a copy of the object
 * and fails with the Status the apiserver returns.
 */
import type { KubeObject } from '../object.js';
import { newInvalidPatchResult, newPatchBadRequest, newStrategicMergePatchUnsupported } from './errors.js';
import { decodeJson, jsonKind, JsonSyntaxError, unmarshalTypeMessage } from './go-json.js';
import { applyJsonPatch, decodeJsonPatch } from './json-patch.js';
import { isMap } from './json-value.js';
import { applyMergePatch, decodeMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic.js';

export type PatchType = 'json' | 'merge' | 'strategic';

/** Content-Type of a PATCH request → patch type (types.PatchType upstream). */
export const PATCH_CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

/** The patch type for a Content-Type header (parameters such as `; charset=utf-8` ignored). */
export function patchTypeForContentType(contentType: string): PatchType | undefined {
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return Object.hasOwn(PATCH_CONTENT_TYPES, base) ? PATCH_CONTENT_TYPES[base] : undefined;
}

/** The Content-Type that carries a patch type. */
export function contentTypeForPatchType(patchType: PatchType): string {
  const found = Object.entries(PATCH_CONTENT_TYPES).find(([, t]) => t === patchType);
  return (found as [string, PatchType])[0];
}

/**
 * Applies a patch body to a copy of `original` (a merge patch changes `original` itself when the
 * caller `owns` it). `typeName` is the registered type of the object (e.g.
 * `io.k8s.api.core.v1.Pod`); strategic merge patch needs it and answers 415 without it.
 */
export function applyPatch(
  patchType: PatchType,
  original: KubeObject,
  patchBody: Uint8Array | string,
  typeName?: string,
  owned = false,
): KubeObject {
  let patched: unknown;
  switch (patchType) {
    case 'json':
      patched = applyJsonPatch(original, decodeJsonPatch(patchBody));
      break;
    case 'merge':
      patched = applyMergePatch(original, decodeMergePatch(patchBody), owned);
      break;
    case 'strategic': {
      if (typeName === undefined) throw newStrategicMergePatchUnsupported();
      patched = applyStrategicMergePatch(original, decodeStrategicPatch(patchBody), typeName);
      break;
    }
    default:
      throw new Error(`${String(patchType)}: unimplemented patch type`);
  }
  return asObject(patched);
}

/** Decodes a strategic merge patch body into a map (null → no change), as the apiserver does. */
export function decodeStrategicPatch(body: Uint8Array | string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = decodeJson(body);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw newPatchBadRequest(err.message);
    throw err;
  }
  if (parsed === null) return {};
  if (!isMap(parsed)) throw newPatchBadRequest(unmarshalTypeMessage(parsed, 'map[string]interface {}'));
  return parsed;
}

const TYPE_META_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** The patched document must decode as an object: otherwise 422 `patch: Invalid value`. */
function asObject(patched: unknown): KubeObject {
  if (patched === null) throw newInvalidPatchResult(JSON.stringify(patched), "Object 'Kind' is missing in 'null'");
  if (!isMap(patched)) {
    throw newInvalidPatchResult(
      JSON.stringify(patched),
      `couldn't get version/kind; json parse error: ${unmarshalTypeMessage(patched, TYPE_META_STRUCT)}`,
    );
  }
  const meta = patched['metadata'];
  if (meta !== undefined && meta !== null && !isMap(meta)) {
    const kind = typeof patched['kind'] === 'string' ? patched['kind'] : 'Object';
    throw newInvalidPatchResult(
      JSON.stringify(patched),
      `json: cannot unmarshal ${jsonKind(meta)} into Go struct field ${kind}.metadata of type v1.ObjectMeta`,
    );
  }
  if (!isMap(meta)) patched['metadata'] = {};
  return patched as KubeObject;
}

export { applyJsonPatch, applyJsonPatchOperations, decodeJsonPatch, JsonPatchError } from './json-patch.js';
export type { JsonPatchOperation } from './json-patch.js';
export { applyMergePatch, createMergePatch, decodeMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch, strategicMergeMapPatch } from './strategic.js';
export { StrategicMergePatchError } from './strategic-errors.js';
export {
  newPatchNotApplicable,
  newStrategicMergePatchUnsupported,
  newUnknownServerError,
  CUSTOM_RESOURCE_PATCH_TYPES,
} from './errors.js';
