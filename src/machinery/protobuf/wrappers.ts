/**
 * Values whose JSON form is a plain list or union but whose protobuf form is a wrapper message:
 * - `map[string]ExtraValue` (declared `map(list(string))`): each value is {items=1 repeated string};
 * - apiextensions JSONSchemaProps unions, declared as free JSON in our schema:
 *   JSONSchemaPropsOrArray {schema=1, jSONSchemas=2}, JSONSchemaPropsOrBool {allows=1, schema=2},
 *   JSONSchemaPropsOrStringArray {schema=1, property=2}.
 */
import type { FieldType } from '../schema/dsl.js';
import { ProtobufWireError, WIRE_BYTES, WIRE_VARINT, WireReader, WireWriter } from './wire.js';

/** Callbacks into the schema-driven codec, for wrappers that hold whole messages. */
export interface MessageCodec {
  decode(bytes: Uint8Array, typeName: string, depth: number): Record<string, unknown>;
  encode(value: Record<string, unknown>, typeName: string): Uint8Array;
}

/** How one value (a field's value, or each map value) is carried in a wrapper message. */
export interface ValueWrapper {
  decode(bytes: Uint8Array, codec: MessageCodec, depth: number): unknown;
  encode(value: unknown, codec: MessageCodec): Uint8Array;
}

const JSON_SCHEMA_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';

function wrongWire(wire: number, field: string): ProtobufWireError {
  return new ProtobufWireError(`proto: wrong wireType = ${wire} for field ${field}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a wrapper whose fields are one optional schema, a repeated list and/or a boolean. */
function readUnion(
  bytes: Uint8Array,
  codec: MessageCodec,
  depth: number,
  layout: { schema: number; list?: number; listOf?: 'schema' | 'string'; allows?: number },
): { schema?: Record<string, unknown>; list: unknown[]; allows: boolean } {
  const r = new WireReader(bytes);
  const out: { schema?: Record<string, unknown>; list: unknown[]; allows: boolean } = { list: [], allows: false };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === layout.schema) {
      if (wire !== WIRE_BYTES) throw wrongWire(wire, 'Schema');
      out.schema = codec.decode(r.bytes(), JSON_SCHEMA_PROPS, depth + 1);
    } else if (field === layout.list) {
      if (wire !== WIRE_BYTES) throw wrongWire(wire, layout.listOf === 'string' ? 'Property' : 'JSONSchemas');
      const b = r.bytes();
      out.list.push(layout.listOf === 'string' ? Buffer.from(b).toString('utf8') : codec.decode(b, JSON_SCHEMA_PROPS, depth + 1));
    } else if (field === layout.allows) {
      if (wire !== WIRE_VARINT) throw wrongWire(wire, 'Allows');
      out.allows = r.varint() !== 0n;
    } else {
      r.skip(wire);
    }
  }
  return out;
}

/** `map[string]ExtraValue` values: {items=1 repeated string}. */
export const extraValue: ValueWrapper = {
  decode(bytes) {
    const r = new WireReader(bytes);
    const items: string[] = [];
    while (!r.done) {
      const { field, wire } = r.tag();
      if (field !== 1) {
        r.skip(wire);
        continue;
      }
      if (wire !== WIRE_BYTES) throw wrongWire(wire, 'Items');
      items.push(Buffer.from(r.bytes()).toString('utf8'));
    }
    return items;
  },
  encode(value) {
    const w = new WireWriter();
    for (const item of Array.isArray(value) ? value : []) w.stringField(1, String(item));
    return w.finish();
  },
};

/** JSONSchemaPropsOrArray: a schema, or an array of schemas. */
export const jsonSchemaPropsOrArray: ValueWrapper = {
  decode(bytes, codec, depth) {
    const u = readUnion(bytes, codec, depth, { schema: 1, list: 2, listOf: 'schema' });
    if (u.list.length > 0) return u.list;
    return u.schema ?? null;
  },
  encode(value, codec) {
    const w = new WireWriter();
    if (Array.isArray(value)) for (const s of value) w.bytesField(2, codec.encode(isRecord(s) ? s : {}, JSON_SCHEMA_PROPS));
    else if (isRecord(value)) w.bytesField(1, codec.encode(value, JSON_SCHEMA_PROPS));
    return w.finish();
  },
};

/** JSONSchemaPropsOrBool: a schema (allowing), or a boolean. */
export const jsonSchemaPropsOrBool: ValueWrapper = {
  decode(bytes, codec, depth) {
    const u = readUnion(bytes, codec, depth, { schema: 2, allows: 1 });
    return u.schema ?? u.allows;
  },
  encode(value, codec) {
    const w = new WireWriter();
    if (isRecord(value)) w.varintField(1, 1).bytesField(2, codec.encode(value, JSON_SCHEMA_PROPS));
    else w.varintField(1, value === true ? 1 : 0);
    return w.finish();
  },
};

/** JSONSchemaPropsOrStringArray: a schema, or a list of property names. */
export const jsonSchemaPropsOrStringArray: ValueWrapper = {
  decode(bytes, codec, depth) {
    const u = readUnion(bytes, codec, depth, { schema: 1, list: 2, listOf: 'string' });
    if (u.list.length > 0) return u.list;
    return u.schema ?? null;
  },
  encode(value, codec) {
    const w = new WireWriter();
    if (Array.isArray(value)) for (const p of value) w.stringField(2, String(p));
    else if (isRecord(value)) w.bytesField(1, codec.encode(value, JSON_SCHEMA_PROPS));
    return w.finish();
  },
};

const byField: ReadonlyMap<string, ValueWrapper> = new Map([
  [`${JSON_SCHEMA_PROPS}.items`, jsonSchemaPropsOrArray],
  [`${JSON_SCHEMA_PROPS}.additionalProperties`, jsonSchemaPropsOrBool],
  [`${JSON_SCHEMA_PROPS}.additionalItems`, jsonSchemaPropsOrBool],
  [`${JSON_SCHEMA_PROPS}.dependencies`, jsonSchemaPropsOrStringArray],
]);

/**
 * The wrapper carrying `typeName.field`'s value (for a map field: each value), if any. `valueType`
 * is the declared type of that value; a map value that is itself a list travels as an ExtraValue.
 */
export function wrapperFor(typeName: string, field: string, valueType: FieldType, inMap: boolean): ValueWrapper | undefined {
  const named = byField.get(`${typeName}.${field}`);
  if (named) return named;
  if (inMap && 'list' in valueType) return extraValue;
  return undefined;
}
