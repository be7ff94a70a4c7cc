/**
 * Structural defaulting (upstream's structuraldefaulting.Default and PruneNonNullableNullsWithoutDefaults):
 * a missing field, or a null one that is not nullable, takes a copy of its schema default, top
 * down, so defaults inside defaults apply too; remaining nulls of non-nullable fields are dropped.
 */
import { isPlainObject } from '../../machinery/object.js';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './schema.js';
import { cloneJson } from '../../machinery/clone.js';

/** Applies defaults in place; `value` is the whole object or any part of it. */
export function applyDefaults(value: unknown, schema: JSONSchemaProps | undefined, root = true): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    if (!items) return;
    value.forEach((v, i) => {
      if (v === null && items.default !== undefined && !items.nullable) value[i] = cloneJson(items.default);
      applyDefaults(value[i], items, false);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  const props = schema.properties ?? {};
  for (const [key, prop] of Object.entries(props)) {
    if (root && key === 'metadata') continue;
    if (prop.default === undefined) continue;
    const cur = value[key];
    if (!(key in value) || (cur === null && !prop.nullable)) value[key] = cloneJson(prop.default);
  }
  const extra = additionalSchema(schema);
  for (const [key, v] of Object.entries(value)) {
    if (root && key === 'metadata') continue;
    const sub = props[key] ?? extra;
    if (sub) applyDefaults(v, sub, false);
  }
}

/** Drops null fields whose schema is neither nullable nor defaulted. */
export function pruneNulls(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    if (items) for (const v of value) pruneNulls(v, items);
    return;
  }
  if (!isPlainObject(value)) return;
  const extra = additionalSchema(schema);
  for (const [key, v] of Object.entries(value)) {
    const sub = schema.properties?.[key] ?? extra;
    if (!sub) continue;
    if (v === null) {
      if (!sub.nullable && sub.default === undefined) delete value[key];
      continue;
    }
    pruneNulls(v, sub);
  }
}
