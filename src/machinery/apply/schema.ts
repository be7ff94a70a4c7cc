/**
 * How each node of an object merges, derived from our type registry (src/machinery/schema/dsl.ts),
 * the way upstream derives structured-merge-diff schemas from OpenAPI:
 *  - a struct (TypeDef) is a granular map of named fields unless `atomic`;
 *  - `map(X)` is a granular map of X unless `mapType: 'atomic'`;
 *  - a list is atomic, a set (`listType: set`) or a list-map keyed by `listMapKeys`
 *    (falling back to `patchStrategy: merge` + `patchMergeKey`);
 *  - unknown types and fields are "deduced": maps granular, lists atomic.
 */
import { lookupType, OBJECT_META, typeForKind, type FieldDef, type FieldType, type TypeDef } from '../schema/dsl.js';

export type Schema =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'struct'; readonly def: TypeDef; readonly atomic: boolean }
  | { readonly kind: 'map'; readonly elem: FieldType; readonly atomic: boolean }
  | {
      readonly kind: 'list';
      readonly elem: FieldType;
      readonly relationship: 'atomic' | 'set' | 'map';
      readonly keys: readonly string[];
    }
  /** Untyped: granular maps, atomic lists, scalars, decided by the value. */
  | { readonly kind: 'deduced' };

export const DEDUCED: Schema = { kind: 'deduced' };
const SCALAR: Schema = { kind: 'scalar' };

/** Schema of a value of `type`, with the list/map markers of the field that holds it. */
export function resolveType(type: FieldType, def?: FieldDef): Schema {
  if ('scalar' in type) {
    return type.scalar === 'rawExtension' || type.scalar === 'json' ? DEDUCED : SCALAR;
  }
  if ('ref' in type) {
    const td = lookupType(type.ref);
    if (!td) return DEDUCED;
    return { kind: 'struct', def: td, atomic: td.atomic === true || def?.mapType === 'atomic' };
  }
  if ('map' in type) return { kind: 'map', elem: type.map, atomic: def?.mapType === 'atomic' };
  const elem = type.list;
  let relationship: 'atomic' | 'set' | 'map' = 'atomic';
  let keys: readonly string[] = [];
  const merge = def?.patchStrategy?.split(',').includes('merge') === true;
  if (def?.listType === 'map' || (def?.listType === undefined && merge && def.patchMergeKey)) {
    keys = def?.listMapKeys ?? (def?.patchMergeKey ? [def.patchMergeKey] : []);
    relationship = keys.length > 0 ? 'map' : 'atomic';
  } else if (def?.listType === 'set' || (def?.listType === undefined && merge)) {
    relationship = 'set';
  }
  return { kind: 'list', elem, relationship, keys };
}

/** Root of an object of a type we know nothing about: metadata is still ObjectMeta. */
const UNKNOWN_ROOT: TypeDef = {
  name: '',
  fields: {
    apiVersion: { type: { scalar: 'string' } },
    kind: { type: { scalar: 'string' } },
    metadata: { type: { ref: OBJECT_META } },
  },
};

/** Marks the synthetic root so unknown top-level fields stay deduced. */
export function isUnknownRoot(s: Schema): boolean {
  return s.kind === 'struct' && s.def === UNKNOWN_ROOT;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The schema of a whole object: by definition name, else by apiVersion/kind, else unknown. */
export function rootSchema(typeName: string | undefined, apiVersion: string | undefined, kind: string | undefined): Schema {
  let td = typeName ? lookupType(typeName) : undefined;
  if (!td && apiVersion && kind) {
    const gv = splitApiVersion(apiVersion);
    td = typeForKind(gv.group, gv.version, kind);
  }
  return { kind: 'struct', def: td ?? UNKNOWN_ROOT, atomic: false };
}

/** The schema of a map or struct child, and whether it is a declared (named) struct field. */
export function childSchema(s: Schema, key: string): { schema: Schema; named: boolean } {
  if (s.kind === 'struct') {
    const f = s.def.fields[key];
    if (f) return { schema: resolveType(f.type, f), named: true };
    return { schema: DEDUCED, named: false };
  }
  if (s.kind === 'map') return { schema: resolveType(s.elem), named: false };
  return { schema: DEDUCED, named: false };
}

export function elementSchema(s: Schema): Schema {
  return s.kind === 'list' ? resolveType(s.elem) : DEDUCED;
}

/** Default of a list-map key field (e.g. containerPort's protocol "TCP"), if declared. */
export function keyDefault(s: Schema, keyName: string): unknown {
  if (s.kind !== 'list' || !('ref' in s.elem)) return undefined;
  return lookupType(s.elem.ref)?.fields[keyName]?.default;
}

/** How a node is handled given its schema and value. */
export type Shape = 'leaf' | 'atomic' | 'list' | 'map';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function shapeOf(s: Schema, v: unknown): Shape {
  if (Array.isArray(v)) {
    if (s.kind === 'list') return s.relationship === 'atomic' ? 'atomic' : 'list';
    return 'atomic';
  }
  if (isObject(v)) {
    if (s.kind === 'struct' || s.kind === 'map') return s.atomic ? 'atomic' : 'map';
    if (s.kind === 'deduced') return 'map';
    return 'leaf';
  }
  if (v === null) {
    if (s.kind === 'list') return s.relationship === 'atomic' ? 'atomic' : 'list';
    if (s.kind === 'struct' || s.kind === 'map') return s.atomic ? 'atomic' : 'map';
  }
  return 'leaf';
}

/** The shape of a pair of values; mismatched kinds compare and merge as leaves. */
export function pairShape(s: Schema, l: unknown, r: unknown): Shape {
  if (l === undefined) return shapeOf(s, r);
  if (r === undefined) return shapeOf(s, l);
  const a = shapeOf(s, l);
  const b = shapeOf(s, r);
  if (a === b) return a;
  if (l === null) return b;
  if (r === null) return a;
  return 'leaf';
}
