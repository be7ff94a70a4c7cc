/**
 * Schema-driven protobuf → JSON: reads a message of upstream's generated.proto encoding using a
 * TypeDef's field numbers and produces the JSON form the API serves.
 */
import { encodedZero } from '../schema/zero-value.js';
import { lookupType, type FieldDef, type FieldType, type Scalar, type TypeDef } from '../schema/dsl.js';
import { decodeMessageScalar, isMessageScalar } from './well-known.js';
import { wrapperFor, type MessageCodec, type ValueWrapper } from './wrappers.js';
import { ProtobufWireError, WIRE_BYTES, WIRE_FIXED64, WIRE_VARINT, WireReader } from './wire.js';
import { keepsZeroValue } from './zero-values.js';

/** Deeper nesting than any real object has; guards the stack against hostile input. */
export const MAX_DEPTH = 100;

interface FieldSlot {
  readonly name: string;
  readonly def: FieldDef;
}

interface MessageLayout {
  readonly fields: ReadonlyMap<number, FieldSlot>;
  /** Field number → embedded type name. */
  readonly embedded: ReadonlyMap<number, string>;
}

const layouts = new WeakMap<TypeDef, MessageLayout>();

export function layoutOf(def: TypeDef): MessageLayout {
  let layout = layouts.get(def);
  if (!layout) {
    const fields = new Map<number, FieldSlot>();
    for (const [name, f] of Object.entries(def.fields)) if (f.proto !== undefined) fields.set(f.proto, { name, def: f });
    const embedded = new Map<number, string>((def.embedded ?? []).map((e) => [e.proto, e.type]));
    layout = { fields, embedded };
    layouts.set(def, layout);
  }
  return layout;
}

export function mustLookup(typeName: string): TypeDef {
  const def = lookupType(typeName);
  if (!def) throw new Error(`protobuf: type ${typeName} is not declared`);
  return def;
}

const codec: MessageCodec = {
  decode: (bytes, typeName, depth) => decodeMessage(bytes, typeName, depth),
  encode: () => {
    throw new Error('protobuf: decoder cannot encode');
  },
};

/** Decodes one message of type `typeName` into its JSON object. */
export function decodeMessage(bytes: Uint8Array, typeName: string, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  decodeInto(out, bytes, mustLookup(typeName), depth);
  return out;
}

function decodeInto(target: Record<string, unknown>, bytes: Uint8Array, def: TypeDef, depth: number): void {
  if (depth > MAX_DEPTH) throw new ProtobufWireError('proto: message nested too deeply');
  const layout = layoutOf(def);
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wire } = r.tag();
    const inner = layout.embedded.get(field);
    if (inner !== undefined) {
      if (wire !== WIRE_BYTES) throw wrongWire(wire, inner.slice(inner.lastIndexOf('.') + 1));
      decodeInto(target, r.bytes(), mustLookup(inner), depth + 1);
      continue;
    }
    const slot = layout.fields.get(field);
    if (!slot) {
      r.skip(wire);
      continue;
    }
    readField(target, def.name, slot, wire, r, depth);
  }
}

function wrongWire(wire: number, field: string): ProtobufWireError {
  const goName = field.charAt(0).toUpperCase() + field.slice(1);
  return new ProtobufWireError(`proto: wrong wireType = ${wire} for field ${goName}`);
}

const PACKABLE: ReadonlySet<string> = new Set(['int32', 'int64', 'double', 'boolean']);

function readField(target: Record<string, unknown>, typeName: string, slot: FieldSlot, wire: number, r: WireReader, depth: number): void {
  const { name } = slot;
  const type = slot.def.type;
  if ('map' in type) {
    if (wire !== WIRE_BYTES) throw wrongWire(wire, name);
    const prior = target[name];
    const map = isRecord(prior) ? prior : {};
    const [key, value] = readMapEntry(r.bytes(), type.map, wrapperFor(typeName, name, type.map, true), name, depth);
    map[key] = value;
    target[name] = map;
    return;
  }
  if ('list' in type) {
    const prior = target[name];
    const items = Array.isArray(prior) ? (prior as unknown[]) : [];
    const elem = type.list;
    if ('scalar' in elem && PACKABLE.has(elem.scalar) && wire === WIRE_BYTES) {
      const packed = new WireReader(r.bytes());
      const elemWire = elem.scalar === 'double' ? WIRE_FIXED64 : WIRE_VARINT;
      while (!packed.done) items.push(readValue(elem, elemWire, packed, name, undefined, depth));
    } else {
      items.push(readValue(elem, wire, r, name, undefined, depth));
    }
    target[name] = items;
    return;
  }
  const wrapper = wrapperFor(typeName, name, type, false);
  if ('ref' in type && !wrapper && isRecord(target[name])) {
    // A message field seen twice merges, as protobuf specifies.
    if (wire !== WIRE_BYTES) throw wrongWire(wire, name);
    decodeInto(target[name] as Record<string, unknown>, r.bytes(), mustLookup(type.ref), depth + 1);
    return;
  }
  const value = readValue(type, wire, r, name, wrapper, depth);
  if ('scalar' in type && isZero(type.scalar, value) && !keepsZeroValue(typeName, name)) {
    delete target[name];
    return;
  }
  target[name] = value;
}

function isZero(scalar: Scalar, value: unknown): boolean {
  switch (scalar) {
    case 'string':
    case 'bytes':
      return value === '';
    case 'int32':
    case 'int64':
    case 'double':
      return value === 0;
    case 'boolean':
      return value === false;
    default:
      return false;
  }
}

function readValue(type: FieldType, wire: number, r: WireReader, name: string, wrapper: ValueWrapper | undefined, depth: number): unknown {
  if (wrapper) {
    if (wire !== WIRE_BYTES) throw wrongWire(wire, name);
    return wrapper.decode(r.bytes(), codec, depth);
  }
  if ('ref' in type) {
    if (wire !== WIRE_BYTES) throw wrongWire(wire, name);
    return decodeMessage(r.bytes(), type.ref, depth + 1);
  }
  if (!('scalar' in type)) throw new Error(`protobuf: field ${name} has an unsupported nested collection type`);
  const s = type.scalar;
  if (isMessageScalar(s)) {
    if (wire !== WIRE_BYTES) throw wrongWire(wire, name);
    return decodeMessageScalar(s, r.bytes());
  }
  switch (s) {
    case 'string':
    case 'bytes': {
      if (wire !== WIRE_BYTES) throw wrongWire(wire, name);
      const b = Buffer.from(r.bytes());
      return s === 'string' ? b.toString('utf8') : b.toString('base64');
    }
    case 'double': {
      if (wire !== WIRE_FIXED64) throw wrongWire(wire, name);
      return Buffer.from(r.fixed64()).readDoubleLE(0);
    }
    default: {
      if (wire !== WIRE_VARINT) throw wrongWire(wire, name);
      const v = r.varint();
      if (s === 'boolean') return v !== 0n;
      return Number(s === 'int32' ? BigInt.asIntN(32, v) : BigInt.asIntN(64, v));
    }
  }
}

/** A map entry {key=1, value=2}; a missing value reads as the value type's zero. */
function readMapEntry(
  bytes: Uint8Array,
  valueType: FieldType,
  wrapper: ValueWrapper | undefined,
  name: string,
  depth: number,
): [string, unknown] {
  const r = new WireReader(bytes);
  let key = '';
  let value: unknown;
  let seen = false;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) {
      if (wire !== WIRE_BYTES) throw wrongWire(wire, `${name} key`);
      key = Buffer.from(r.bytes()).toString('utf8');
    } else if (field === 2) {
      value = readValue(valueType, wire, r, name, wrapper, depth);
      seen = true;
    } else {
      r.skip(wire);
    }
  }
  return [key, seen ? value : zeroOf(valueType, wrapper)];
}

function zeroOf(type: FieldType, wrapper: ValueWrapper | undefined): unknown {
  return wrapper ? null : encodedZero(type);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
