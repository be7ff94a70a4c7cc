/**
 * Typed decoding of request bodies, as upstream's handlers decode them into Go types before any
 * defaulting or validation: a wrong JSON type is refused with the decoder's own message (create
 * and update: 400 `<Kind> in version "v1" cannot be handled as a <Kind>: json: …`; the result of
 * a JSON, merge or strategic merge patch: 422 on `patch`; an apply configuration: `failed to
 * create typed patch object …`), and unknown fields follow fieldValidation (Strict: 400, Warn:
 * Warning headers, Ignore: dropped silently).
 */
import type { ResourceType } from '../../api/resource.js';
import { BINDING, DELETE_OPTIONS as DELETE_OPTIONS_TYPE, EVICTION, SCALE, TOKEN_REQUEST } from '../../api/core/types/names.js';
import { typeForKind } from '../../machinery/schema/dsl.js';
import { decodeTyped, type DecodeOptions } from '../../machinery/schema/typed-decoder.js';
import { TypedDecodeError } from '../../machinery/schema/decode-errors.js';
import { newBadRequest, newInvalid, type StatusError } from '../../machinery/errors.js';
import { goNumber } from '../crd/go-format.js';
import type { PatchType } from '../../machinery/patch/index.js';
import { duplicateFields } from '../../machinery/duplicate-fields.js';
import { mediaType } from '../http/body.js';
import type { WriteOptions } from '../registry/context.js';

/** What fieldValidation needs of a request's options. */
type FieldValidationOptions = Pick<WriteOptions, 'fieldValidation' | 'warnings'>;

/** What a body is decoded as: a kind's declared type, or a custom resource's own pruning. */
export interface BodyType {
  readonly kind: string;
  readonly version: string;
  /** Definition name of the declared type; absent for custom resources. */
  readonly schema?: string | undefined;
  readonly pruneUnknownFields?: ((body: Record<string, unknown>) => string[]) | undefined;
}

export function schemaName(type: ResourceType): string | undefined {
  return type.schema ?? typeForKind(type.group, type.version, type.kind)?.name;
}

const bodyTypes = new WeakMap<ResourceType, BodyType>();

/** What a resource's bodies decode as; worked out once per resource type, not per request. */
export function bodyTypeOf(type: ResourceType): BodyType {
  let body = bodyTypes.get(type);
  if (!body) {
    body = { kind: type.kind, version: type.version, schema: schemaName(type), pruneUnknownFields: type.pruneUnknownFields };
    bodyTypes.set(type, body);
  }
  return body;
}

/** Bodies of subresources and options, decoded as their own kinds. */
export const DELETE_OPTIONS: BodyType = { kind: 'DeleteOptions', version: 'v1', schema: DELETE_OPTIONS_TYPE };
export const SCALE_BODY: BodyType = { kind: 'Scale', version: 'v1', schema: SCALE };
export const EVICTION_BODY: BodyType = { kind: 'Eviction', version: 'v1', schema: EVICTION };
export const BINDING_BODY: BodyType = { kind: 'Binding', version: 'v1', schema: BINDING };
export const TOKEN_REQUEST_BODY: BodyType = { kind: 'TokenRequest', version: 'v1', schema: TOKEN_REQUEST };

const READ: DecodeOptions = { dialect: 'json', prune: true, normalize: true };

/** Decodes, or hands a typed decode failure to `refuse`; returns the unknown fields' paths. */
function decode(
  type: BodyType,
  body: Record<string, unknown>,
  options: DecodeOptions,
  refuse: (err: TypedDecodeError) => StatusError,
): string[] {
  try {
    if (type.pruneUnknownFields) return type.pruneUnknownFields(body);
    return type.schema ? decodeTyped(type.schema, body, options) : [];
  } catch (err) {
    if (err instanceof TypedDecodeError) throw refuse(err);
    throw err;
  }
}

/** fieldValidation of the fields a typed decode dropped. */
function reportUnknown(type: BodyType, unknown: readonly string[], opts: FieldValidationOptions, duplicates: readonly string[] = []): void {
  if (unknown.length === 0 && duplicates.length === 0) return;
  const messages = [...unknown.map((p) => `unknown field "${p}"`), ...duplicates.map((p) => `duplicate field "${p}"`)];
  if (opts.fieldValidation === 'Strict') {
    throw newBadRequest(`${cannotBeHandled(type)}: strict decoding error: ${messages.join(', ')}`);
  }
  if (opts.fieldValidation === 'Warn') opts.warnings.push(...messages);
}

function cannotBeHandled(type: BodyType): string {
  return `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`;
}

/** A create or update body (also subresource bodies: Scale, Binding, Eviction, DeleteOptions). */
export function decodeObject(
  type: BodyType,
  body: Record<string, unknown>,
  opts: FieldValidationOptions,
  source?: { readonly bytes: Buffer; readonly contentType: string | undefined },
): Record<string, unknown> {
  const unknown = decode(type, body, READ, (err) => newBadRequest(`${cannotBeHandled(type)}: ${err.message}`));
  // JSON.parse kept the last of two equal keys; the text still shows both
  const json = source && opts.fieldValidation !== 'Ignore' && isJSON(source.contentType);
  reportUnknown(type, unknown, opts, json ? duplicateFields(source.bytes.toString('utf8')) : []);
  return body;
}

function isJSON(contentType: string | undefined): boolean {
  const media = mediaType(contentType);
  return media === 'application/json' || media === '';
}

/**
 * The object a patch produced. JSON and merge patches: upstream decodes the patched JSON like a
 * body; a strategic merge patch: it converts the merged map (FromUnstructured) and shows the
 * patch in its error. Either way a wrong type is 422 Invalid on `patch`.
 */
export function decodePatchResult(
  type: BodyType,
  patched: Record<string, unknown>,
  patch: { readonly type: PatchType; readonly body: Uint8Array },
  opts: FieldValidationOptions,
): Record<string, unknown> {
  const strategic = patch.type === 'strategic';
  const shown = strategic ? undefined : JSON.stringify(patched);
  const options: DecodeOptions = strategic ? { ...READ, dialect: 'unstructured' } : READ;
  const unknown = decode(type, patched, options, (err) =>
    invalidPatch(JSON.stringify(shown ?? goValue(JSON.parse(Buffer.from(patch.body).toString('utf8')))), err.message),
  );
  reportUnknown(type, unknown, opts);
  return patched;
}

/**
 * An apply configuration, checked as structured-merge-diff types it. Upstream answers this
 * with a 500 (the error is not a Status); a client's mistake is a 400 here, same message.
 */
export function decodeApplyConfiguration(
  type: BodyType,
  config: Record<string, unknown>,
  where: { namespace: string; name: string; group: string },
  opts: FieldValidationOptions,
): void {
  const options: DecodeOptions = { dialect: 'smd', prune: true, normalize: false };
  const gvk = `${where.group}/${type.version}, Kind=${type.kind}`;
  const unknown = decode(type, config, options, (err) =>
    newBadRequest(`failed to create typed patch object (${where.namespace}/${where.name}; ${gvk}): ${err.message}`),
  );
  reportUnknown(type, unknown, opts);
}

function invalidPatch(quotedValue: string, detail: string): StatusError {
  return newInvalid({ group: '', kind: '' }, '', [
    { type: 'FieldValueInvalid', field: 'patch', message: `Invalid value: ${quotedValue}: ${detail}` },
  ]);
}

/** Go's `%+v` of a decoded JSON value: `map[a:1 b:[x y]]`, keys sorted, nil as `<nil>`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(v);
}
