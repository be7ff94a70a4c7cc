/**
 * Patch metadata (strategy and merge key per field) for strategic merge patch, read from the
 * type registry (src/machinery/schema/dsl.ts) — our counterpart of upstream's PatchMetaFromStruct.
 * Fields the registry does not know have no metadata: their maps merge and their lists are
 * replaced, as in a JSON merge patch.
 */
import { lookupType } from '../schema/dsl.js';
import type { FieldType, TypeDef } from '../schema/dsl.js';

export interface PatchMeta {
  /** `patchStrategy` split on commas, e.g. ["merge", "retainKeys"]. */
  readonly strategies: readonly string[];
  readonly mergeKey: string;
}

/** The schema of one value, able to describe the fields or elements beneath it. */
export interface PatchSchema {
  /** What upstream's schema.Name() prints for this value (a Go kind: struct, map, string, …). */
  readonly name: string;
  /** The schema and metadata of field `key` of an object value. */
  lookupStruct(key: string): [PatchSchema, PatchMeta];
  /** The element schema and metadata of list field `key`. */
  lookupSlice(key: string): [PatchSchema, PatchMeta];
}

const NO_META: PatchMeta = { strategies: [], mergeKey: '' };

/** A value the registry says nothing about. */
class OpenSchema implements PatchSchema {
  readonly name: string;
  constructor(name = 'struct') {
    this.name = name;
  }
  lookupStruct(): [PatchSchema, PatchMeta] {
    return [OPEN, NO_META];
  }
  lookupSlice(): [PatchSchema, PatchMeta] {
    return [OPEN, NO_META];
  }
}

const OPEN: PatchSchema = new OpenSchema();

/** A map[string]X value: every key has X's schema and no strategy. */
class MapSchema implements PatchSchema {
  readonly name = 'map';
  readonly #elem: PatchSchema;
  constructor(elem: PatchSchema) {
    this.#elem = elem;
  }
  lookupStruct(): [PatchSchema, PatchMeta] {
    return [this.#elem, NO_META];
  }
  lookupSlice(): [PatchSchema, PatchMeta] {
    return [this.#elem, NO_META];
  }
}

/** A declared type: fields carry patchStrategy / patchMergeKey. */
class TypeSchema implements PatchSchema {
  readonly name = 'struct';
  readonly #def: TypeDef;
  constructor(def: TypeDef) {
    this.#def = def;
  }

  #field(key: string): { type: FieldType; meta: PatchMeta } | undefined {
    if (!Object.hasOwn(this.#def.fields, key)) return undefined;
    const f = this.#def.fields[key];
    if (!f) return undefined;
    const strategies = f.patchStrategy ? f.patchStrategy.split(',').map((s) => s.trim()) : [];
    return { type: f.type, meta: { strategies, mergeKey: f.patchMergeKey ?? '' } };
  }

  lookupStruct(key: string): [PatchSchema, PatchMeta] {
    const f = this.#field(key);
    if (!f) return [OPEN, NO_META];
    return [schemaOfType(f.type), f.meta];
  }

  lookupSlice(key: string): [PatchSchema, PatchMeta] {
    const f = this.#field(key);
    if (!f) return [OPEN, NO_META];
    const elem = 'list' in f.type ? schemaOfType(f.type.list) : OPEN;
    return [elem, f.meta];
  }
}

const SCALAR_KINDS: Record<string, string> = {
  string: 'string',
  int32: 'int32',
  int64: 'int64',
  double: 'float64',
  boolean: 'bool',
  bytes: 'slice',
};

function schemaOfType(t: FieldType): PatchSchema {
  if ('ref' in t) {
    const def = lookupType(t.ref);
    return def ? new TypeSchema(def) : OPEN;
  }
  if ('map' in t) return new MapSchema(schemaOfType(t.map));
  if ('list' in t) return new OpenSchema('slice');
  return new OpenSchema(SCALAR_KINDS[t.scalar] ?? 'struct');
}

/** The patch schema of a registered type, or undefined when the name is not registered. */
export function patchSchemaFor(typeName: string): PatchSchema | undefined {
  const def = lookupType(typeName);
  return def ? new TypeSchema(def) : undefined;
}

/**
 * Splits a field's strategies into (has retainKeys, the other strategy), as upstream's
 * extractRetainKeysPatchStrategy does.
 */
export function otherStrategy(meta: PatchMeta): string {
  const rest = meta.strategies.filter((s) => s !== 'retainKeys' && s !== '');
  return rest[0] ?? '';
}
