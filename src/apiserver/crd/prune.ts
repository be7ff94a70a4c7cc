/**
 * Pruning of fields a structural schema does not specify (upstream's pruning algorithm):
 * unknown fields are dropped unless `x-kubernetes-preserve-unknown-fields` keeps them;
 * apiVersion, kind and metadata of the resource and of embedded resources always stay, and
 * metadata keeps only ObjectMeta's fields. Returns the paths dropped, for fieldValidation.
 */
import '../../api/meta/types.js';
import { OBJECT_META } from '../../machinery/schema/dsl.js';
import { decodeTyped } from '../../machinery/schema/typed-decoder.js';
import { isPlainObject } from '../../machinery/object.js';
import { additionalSchema, isEmbedded, itemSchema, preservesUnknown, type JSONSchemaProps } from './schema.js';

/** Prunes a whole custom resource in place; returns the pruned paths (`spec.foo`, `spec.items[0].bar`). */
export function pruneObject(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined): string[] {
  const out: string[] = [];
  pruneResource(obj, schema, '', out, true);
  return out;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** A resource (the root, or an embedded one): type meta and ObjectMeta stay, the rest follows the schema. */
function pruneResource(
  obj: Record<string, unknown>,
  schema: JSONSchemaProps | undefined,
  path: string,
  out: string[],
  root: boolean,
): void {
  const meta = obj['metadata'];
  if (isPlainObject(meta)) {
    const unknown = decodeTyped(OBJECT_META, meta, { dialect: 'json', prune: true, normalize: true }, [{ field: 'metadata', struct: '' }]);
    for (const p of unknown) out.push(join(path, p));
  }
  if (schema && preservesUnknown(schema)) {
    pruneKnown(obj, schema, path, out, new Set(['apiVersion', 'kind', 'metadata']));
    return;
  }
  for (const key of Object.keys(obj)) {
    if ((key === 'apiVersion' || key === 'kind') && (root || typeof obj[key] === 'string')) continue;
    if (key === 'metadata' && (root || isPlainObject(obj[key]))) continue;
    pruneField(obj, key, schema, path, out);
  }
}

/** Walks into the properties a schema knows, leaving unknown keys of this level in place. */
function pruneKnown(obj: Record<string, unknown>, schema: JSONSchemaProps, path: string, out: string[], skip: Set<string>): void {
  const extra = additionalSchema(schema);
  for (const key of Object.keys(obj)) {
    if (skip.has(key)) continue;
    const sub = schema.properties?.[key] ?? extra;
    if (sub) prune(obj[key], sub, join(path, key), out);
  }
}

function pruneField(obj: Record<string, unknown>, key: string, schema: JSONSchemaProps | undefined, path: string, out: string[]): void {
  const sub =
    schema?.properties?.[key] ??
    (schema ? (additionalSchema(schema) ?? (schema.additionalProperties === true ? {} : undefined)) : undefined);
  const p = join(path, key);
  if (!sub) {
    out.push(p);
    delete obj[key];
    return;
  }
  if (schema?.additionalProperties === true && !schema.properties?.[key]) return;
  prune(obj[key], sub, p, out);
}

/** Prunes a value in place along its schema. */
export function prune(value: unknown, schema: JSONSchemaProps, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    value.forEach((v, i) => {
      if (items) prune(v, items, `${path}[${i}]`, out);
      else if (!preservesUnknown(schema)) pruneAll(v, `${path}[${i}]`, out);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  if (isEmbedded(schema)) {
    pruneResource(value, schema, path, out, false);
    return;
  }
  if (preservesUnknown(schema)) {
    pruneKnown(value, schema, path, out, new Set());
    return;
  }
  for (const key of Object.keys(value)) pruneField(value, key, schema, path, out);
}

/** No schema at all below this point: every field of objects goes. */
function pruneAll(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => pruneAll(v, `${path}[${i}]`, out));
  else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      out.push(join(path, key));
      delete value[key];
    }
  }
}
