/**
 * Definitions from our own type declarations (machinery/schema/dsl.ts): one JSON schema per TypeDef,
 * in the shape upstream's openapi-gen publishes (v3 wraps references in `allOf` and gives
 * non-pointer structs `default: {}`; v2 puts `$ref` beside the description), with the
 * x-kubernetes-* markers strategic merge patch and server-side apply read.
 */
import type { FieldDef, FieldType, TypeDef } from '../../machinery/schema/dsl.js';
import { lookupType } from '../../machinery/schema/dsl.js';
import {
  API_VERSION_DESCRIPTION,
  INLINE_SCALARS,
  KIND_DESCRIPTION,
  RAW_EXTENSION,
  WATCH_EVENT,
  refTo,
  SCALAR_REFS,
  wellKnownSchema,
  type Dialect,
  type JsonSchema,
} from './well-known.js';

/** group/version/kind as published in `x-kubernetes-group-version-kind` (keys in upstream's order). */
export interface PublishedGvk {
  group: string;
  kind: string;
  version: string;
}

/** Fields that hold non-pointer structs in upstream's Go types (they get `default: {}` in v3). */
const VALUE_STRUCT_FIELDS = new Set(['metadata', 'spec', 'status', 'template']);

const ZERO_VALUES: Record<string, unknown> = { string: '', integer: 0, number: 0, boolean: false };

function isStructRef(name: string): boolean {
  return lookupType(name) !== undefined;
}

/** The definition a field type refers to directly, if it is a reference. */
function referenced(type: FieldType): string | undefined {
  if ('ref' in type) return type.ref;
  if ('scalar' in type) return SCALAR_REFS[type.scalar];
  return undefined;
}

/** Schema of a list item or map value (no description). */
function elementSchema(type: FieldType, dialect: Dialect): JsonSchema {
  const name = referenced(type);
  if (name !== undefined) {
    if (dialect === 'v2' || !isStructRef(name)) return { $ref: refTo(dialect, name) };
    return { allOf: [{ $ref: refTo(dialect, name) }], default: {} };
  }
  if ('list' in type) return { type: 'array', items: elementSchema(type.list, dialect) };
  if ('map' in type) return { type: 'object', additionalProperties: elementSchema(type.map, dialect) };
  const inline: JsonSchema = { ...(('scalar' in type ? INLINE_SCALARS[type.scalar] : undefined) ?? { type: 'string' }) };
  const zero = ZERO_VALUES[String(inline['type'])];
  if (dialect === 'v3' && zero !== undefined) inline['default'] = zero;
  return inline;
}

/** Schema of one field of a struct. */
export function fieldSchema(name: string, def: FieldDef, required: boolean, dialect: Dialect): JsonSchema {
  const out: JsonSchema = {};
  const target = referenced(def.type);
  if (target !== undefined) {
    if (dialect === 'v2') out['$ref'] = refTo(dialect, target);
    else {
      out['allOf'] = [{ $ref: refTo(dialect, target) }];
      if (isStructRef(target) && (required || VALUE_STRUCT_FIELDS.has(name)) && def.default === undefined) out['default'] = {};
    }
  } else if ('list' in def.type) {
    out['type'] = 'array';
    out['items'] = elementSchema(def.type.list, dialect);
  } else if ('map' in def.type) {
    out['type'] = 'object';
    out['additionalProperties'] = elementSchema(def.type.map, dialect);
  } else if ('scalar' in def.type) {
    Object.assign(out, INLINE_SCALARS[def.type.scalar] ?? { type: 'string' });
    if (dialect === 'v3' && required && def.default === undefined) {
      const zero = ZERO_VALUES[String(out['type'])];
      if (zero !== undefined) out['default'] = zero;
    }
  }
  if (def.default !== undefined) out['default'] = def.default;
  if (def.description !== undefined) out['description'] = def.description;
  if (def.enum !== undefined) out['enum'] = [...def.enum];
  if (def.listMapKeys !== undefined) out['x-kubernetes-list-map-keys'] = [...def.listMapKeys];
  if (def.listType !== undefined) out['x-kubernetes-list-type'] = def.listType;
  if (def.mapType !== undefined) out['x-kubernetes-map-type'] = def.mapType;
  if (def.patchMergeKey !== undefined) out['x-kubernetes-patch-merge-key'] = def.patchMergeKey;
  if (def.patchStrategy !== undefined) out['x-kubernetes-patch-strategy'] = def.patchStrategy;
  return out;
}

/** Schema of a declared type; kinds get apiVersion, kind and their GVK (or `gvks` when given). */
export function typeSchema(def: TypeDef, dialect: Dialect, gvks?: readonly PublishedGvk[]): JsonSchema {
  const required = new Set(def.required ?? []);
  const properties: Record<string, JsonSchema> = {};
  const names = Object.keys(def.fields);
  if (def.gvk) names.push('apiVersion', 'kind');
  for (const name of names.sort()) {
    const field = def.fields[name];
    if (field) properties[name] = fieldSchema(name, field, required.has(name), dialect);
    else properties[name] = { description: name === 'kind' ? KIND_DESCRIPTION : API_VERSION_DESCRIPTION, type: 'string' };
  }
  const out: JsonSchema = {};
  if (def.description !== undefined) out['description'] = def.description;
  out['properties'] = properties;
  if (required.size > 0) out['required'] = [...(def.required ?? [])];
  out['type'] = 'object';
  const published = gvks ?? (def.gvk ? [{ group: def.gvk.group, kind: def.gvk.kind, version: def.gvk.version }] : []);
  if (published.length > 0) out['x-kubernetes-group-version-kind'] = published.map((g) => ({ ...g }));
  if (def.atomic) out['x-kubernetes-map-type'] = 'atomic';
  return out;
}

function fieldRefs(type: FieldType, into: string[]): void {
  const name = referenced(type);
  if (name !== undefined) into.push(name);
  else if ('list' in type) fieldRefs(type.list, into);
  else if ('map' in type) fieldRefs(type.map, into);
}

/** Names a definition refers to (declared types and well-known ones). */
export function referencedNames(name: string): string[] {
  const def = lookupType(name);
  const out: string[] = [];
  if (def) {
    for (const field of Object.values(def.fields)) fieldRefs(field.type, out);
  } else if (name === WATCH_EVENT) out.push(RAW_EXTENSION);
  return out;
}

/** Every definition reachable from `roots`, in sorted order. Unknown names are skipped. */
export function closure(roots: Iterable<string>, extraRefs?: (name: string) => readonly string[]): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...referencedNames(name), ...(extraRefs?.(name) ?? []));
  }
  return [...seen].sort();
}

/** Memoised definitions of built-in types per dialect: they never change at run time. */
const memo: Record<Dialect, Map<string, JsonSchema | null>> = { v2: new Map(), v3: new Map() };

/** The published definition of a built-in or well-known type, or undefined when unknown. */
export function definition(name: string, dialect: Dialect): JsonSchema | undefined {
  const cache = memo[dialect];
  let schema = cache.get(name);
  if (schema === undefined) {
    const def = lookupType(name);
    schema = (def ? typeSchema(def, dialect) : wellKnownSchema(name, dialect)) ?? null;
    cache.set(name, schema);
  }
  return schema ?? undefined;
}

/** Whether a built-in definition exists under this name. */
export function isKnownDefinition(name: string): boolean {
  return definition(name, 'v3') !== undefined;
}
