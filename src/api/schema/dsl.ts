/**
 * Our own type definitions: one declaration per API type, the single source from which
 * the OpenAPI documents (v2 and v3, so `kubectl explain` shows real fields), strategic merge
 * patch (merge keys and strategies), server-side apply (list and map types), strict field
 * validation, pruning and protobuf decoding (field numbers of upstream's generated.proto)
 * are all derived.
 *
 * A type is named by its OpenAPI definition name (`io.k8s.api.core.v1.Pod`) and refers to
 * other types by name, so files can declare types in any order.
 */

/** Scalar and well-known wire types. */
export type Scalar =
  | 'string'
  | 'int32'
  | 'int64'
  | 'double'
  | 'boolean'
  /** []byte: base64 in JSON, bytes in protobuf. */
  | 'bytes'
  /** metav1.Time: RFC 3339 seconds in JSON; {seconds=1,nanos=2} in protobuf. */
  | 'time'
  /** metav1.MicroTime: RFC 3339 micro in JSON; {seconds=1,nanos=2} in protobuf. */
  | 'microtime'
  /** metav1.Duration: "1m30s" in JSON; {duration=1 string} in protobuf. */
  | 'duration'
  /** resource.Quantity: "100m" or a number in JSON; {string=1} in protobuf. */
  | 'quantity'
  /** intstr.IntOrString: {type=1 int64, intVal=2 int32, strVal=3 string} in protobuf. */
  | 'intOrString'
  /** runtime.RawExtension: any JSON object; {raw=1 bytes} in protobuf. */
  | 'rawExtension'
  /** apiextensions JSON: any JSON value; {raw=1 bytes} in protobuf. */
  | 'json'
  /** metav1.FieldsV1 (managedFields): any JSON object; {Raw=1 bytes} in protobuf. */
  | 'fieldsV1';

export type FieldType =
  | { readonly scalar: Scalar }
  | { readonly ref: string }
  | { readonly list: FieldType }
  | { readonly map: FieldType };

export interface FieldDef {
  readonly type: FieldType;
  /** Field number in upstream's generated.proto; absent for fields with none (apiVersion, kind). */
  readonly proto?: number;
  readonly description?: string;
  /** `patchStrategy` tag: merge, retainKeys, "merge,retainKeys", replace. */
  readonly patchStrategy?: string;
  readonly patchMergeKey?: string;
  /** `+listType`: atomic (default for scalars without a strategy), set, map. */
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: readonly string[];
  /** `+mapType` / `+structType`: granular (default) or atomic. */
  readonly mapType?: 'granular' | 'atomic';
  /** Value of a `+default` marker, applied by defaulting. */
  readonly default?: unknown;
  /** Enum values shown in explain. */
  readonly enum?: readonly string[];
}

export interface TypeDef {
  /** OpenAPI definition name, e.g. io.k8s.api.core.v1.Pod. */
  readonly name: string;
  readonly description?: string;
  readonly fields: Readonly<Record<string, FieldDef>>;
  readonly required?: readonly string[];
  /** For a kind: its group, version and kind (apiVersion/kind fields are then implied). */
  readonly gvk?: { readonly group: string; readonly version: string; readonly kind: string };
  /** `+structType=atomic`. */
  readonly atomic?: boolean;
}

const registry = new Map<string, TypeDef>();

/** Adds types to the registry. A name declared twice is a programming error. */
export function defineTypes(...defs: TypeDef[]): void {
  for (const def of defs) {
    if (registry.has(def.name)) throw new Error(`type ${def.name} declared twice`);
    registry.set(def.name, def);
  }
}

export function lookupType(name: string): TypeDef | undefined {
  return registry.get(name);
}

export function allTypes(): IterableIterator<TypeDef> {
  return registry.values();
}

/** The kind type for a group/version/kind, if declared. */
export function typeForKind(group: string, version: string, kind: string): TypeDef | undefined {
  for (const def of registry.values()) {
    const g = def.gvk;
    if (g && g.group === group && g.version === version && g.kind === kind) return def;
  }
  return undefined;
}

// ---- the small language the type files are written in ----

export const string: FieldType = { scalar: 'string' };
export const int32: FieldType = { scalar: 'int32' };
export const int64: FieldType = { scalar: 'int64' };
export const double: FieldType = { scalar: 'double' };
export const boolean: FieldType = { scalar: 'boolean' };
export const bytes: FieldType = { scalar: 'bytes' };
export const time: FieldType = { scalar: 'time' };
export const microtime: FieldType = { scalar: 'microtime' };
export const duration: FieldType = { scalar: 'duration' };
export const quantity: FieldType = { scalar: 'quantity' };
export const intOrString: FieldType = { scalar: 'intOrString' };
export const rawExtension: FieldType = { scalar: 'rawExtension' };
export const json: FieldType = { scalar: 'json' };
export const fieldsV1: FieldType = { scalar: 'fieldsV1' };

export function ref(name: string): FieldType {
  return { ref: name };
}

export function list(of: FieldType): FieldType {
  return { list: of };
}

export function map(of: FieldType): FieldType {
  return { map: of };
}

type FieldOptions = Omit<FieldDef, 'type' | 'proto' | 'description'>;

/** A field: its protobuf number, type, description and patch/apply markers. */
export function field(proto: number, type: FieldType, description?: string, options?: FieldOptions): FieldDef {
  const def: FieldDef = { type, proto, ...options };
  return description === undefined ? def : { ...def, description };
}

/** Common definition names. */
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const LABEL_SELECTOR = `${META}.LabelSelector`;
export const CONDITION = `${META}.Condition`;
