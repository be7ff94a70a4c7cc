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
  /** metav1.Duration: "1m30s" in JSON; {duration=1 int64 nanoseconds} in protobuf. */
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

export type FieldType = { readonly scalar: Scalar } | { readonly ref: string } | { readonly list: FieldType } | { readonly map: FieldType };

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
  /**
   * Go structs embedded with `json:",inline"` whose fields this type declares inline (without
   * proto numbers) but which protobuf keeps as one nested message. Filled by `embed()`.
   */
  readonly embedded?: readonly Embedding[];
}

/**
 * An embedded Go struct: in JSON its fields sit in the outer object; in protobuf they travel as
 * one message of type `type` under field number `proto` of the outer message.
 */
export interface Embedding {
  /** Field number, in the outer message, of the embedded message. */
  readonly proto: number;
  /** Definition name of the embedded type; its own fields carry their proto numbers. */
  readonly type: string;
  /** JSON names of the fields the embedded type contributes to the outer type. */
  readonly fields: readonly string[];
}

const registry = new Map<string, TypeDef>();
const byKind = new Map<string, TypeDef>();
/** Embeddings recorded by `embed()` for types not yet passed to defineTypes. */
const pendingEmbeddings = new Map<string, Embedding[]>();

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** Adds types to the registry. A name declared twice is a programming error. */
export function defineTypes(...defs: TypeDef[]): void {
  for (const def of defs) {
    if (registry.has(def.name)) throw new Error(`type ${def.name} declared twice`);
    const pending = pendingEmbeddings.get(def.name);
    pendingEmbeddings.delete(def.name);
    register(pending ? withEmbeddings(def, pending) : def);
  }
}

function register(def: TypeDef): void {
  registry.set(def.name, def);
  if (def.gvk) byKind.set(gvkKey(def.gvk.group, def.gvk.version, def.gvk.kind), def);
}

function withEmbeddings(def: TypeDef, more: readonly Embedding[]): TypeDef {
  const all = [...(def.embedded ?? [])];
  for (const e of more) {
    if (all.some((x) => x.proto === e.proto)) throw new Error(`${def.name}: proto field ${e.proto} embedded twice`);
    all.push(e);
  }
  return { ...def, embedded: all };
}

/**
 * Records that `outer` embeds `inner` (a Go struct inlined in JSON) at protobuf field `proto`,
 * and returns `inner`'s fields without proto numbers, ready to spread into the outer type's
 * fields. Call it while building `outer`'s declaration, before (or after) defineTypes.
 */
export function embed(outer: string, proto: number, inner: string, fields: Readonly<Record<string, FieldDef>>): Record<string, FieldDef> {
  const embedding: Embedding = { proto, type: inner, fields: Object.keys(fields) };
  const declared = registry.get(outer);
  if (declared) {
    register(withEmbeddings(declared, [embedding]));
  } else {
    const list = pendingEmbeddings.get(outer) ?? [];
    if (list.some((e) => e.proto === proto)) throw new Error(`${outer}: proto field ${proto} embedded twice`);
    list.push(embedding);
    pendingEmbeddings.set(outer, list);
  }
  const inlined: Record<string, FieldDef> = {};
  for (const [name, def] of Object.entries(fields)) {
    const { proto: _omitted, ...rest } = def;
    inlined[name] = rest;
  }
  return inlined;
}

/** The embedded messages of a type, in declaration order; empty when it has none. */
export function embeddingsOf(typeName: string): readonly Embedding[] {
  return registry.get(typeName)?.embedded ?? pendingEmbeddings.get(typeName) ?? [];
}

/** Every type that embeds another, with its embeddings. */
export function allEmbeddings(): ReadonlyMap<string, readonly Embedding[]> {
  const out = new Map<string, readonly Embedding[]>();
  for (const def of registry.values()) if (def.embedded?.length) out.set(def.name, def.embedded);
  for (const [name, list] of pendingEmbeddings) out.set(name, list);
  return out;
}

export function lookupType(name: string): TypeDef | undefined {
  return registry.get(name);
}

export function allTypes(): IterableIterator<TypeDef> {
  return registry.values();
}

/** The kind type for a group/version/kind, if declared. */
export function typeForKind(group: string, version: string, kind: string): TypeDef | undefined {
  return byKind.get(gvkKey(group, version, kind));
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
