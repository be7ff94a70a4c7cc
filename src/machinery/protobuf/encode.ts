/**
 * Schema-driven JSON → protobuf: writes an object's fields under upstream's generated.proto
 * numbers, in field-number order, as Go's generated Marshal does. Fields without a proto number
 * (apiVersion, kind, unknown keys) are left out; inlined fields go into their embedded message.
 */
import type { FieldDef, FieldType, TypeDef } from '../schema/dsl.js';
import { decodeMessage, mustLookup } from './decode.js';
import { encodeMessageScalar, isMessageScalar } from './well-known.js';
import { WIRE_VARINT, WireWriter } from './wire.js';
import { wrapperFor, type MessageCodec, type ValueWrapper } from './wrappers.js';

const codec: MessageCodec = {
  decode: decodeMessage,
  encode: (value, typeName) => encodeMessage(value, typeName),
};

type Part = { readonly proto: number; readonly write: (w: WireWriter) => void };

/** Encodes a JSON object as a message of type `typeName`. */
export function encodeMessage(obj: Record<string, unknown>, typeName: string): Uint8Array {
  return encodeWith(obj, mustLookup(typeName));
}

function encodeWith(obj: Record<string, unknown>, def: TypeDef): Uint8Array {
  const parts: Part[] = [];
  for (const [name, f] of Object.entries(def.fields)) {
    if (f.proto === undefined) continue;
    const value = obj[name];
    if (value === undefined) continue;
    const proto = f.proto;
    parts.push({ proto, write: (w) => writeField(w, proto, def.name, name, f, value) });
  }
  for (const e of def.embedded ?? []) {
    // Go always writes an embedded (non-pointer) struct, even when it is empty.
    const inner = encodeWith(obj, mustLookup(e.type));
    parts.push({ proto: e.proto, write: (w) => w.bytesField(e.proto, inner) });
  }
  parts.sort((a, b) => a.proto - b.proto);
  const w = new WireWriter();
  for (const p of parts) p.write(w);
  return w.finish();
}

function writeField(w: WireWriter, proto: number, typeName: string, name: string, f: FieldDef, value: unknown): void {
  const type = f.type;
  if ('map' in type) {
    if (!isRecord(value)) return;
    const wrapper = wrapperFor(typeName, name, type.map, true);
    for (const key of Object.keys(value).sort()) {
      const entry = new WireWriter().stringField(1, key);
      const v = value[key];
      if (v !== undefined) writeValue(entry, 2, type.map, v, wrapper, `${name}[${key}]`, true);
      w.bytesField(proto, entry.finish());
    }
    return;
  }
  if ('list' in type) {
    if (!Array.isArray(value)) return;
    value.forEach((item: unknown, i) => writeValue(w, proto, type.list, item, undefined, `${name}[${i}]`, true));
    return;
  }
  writeValue(w, proto, type, value, wrapperFor(typeName, name, type, false), name, false);
}

function writeValue(
  w: WireWriter,
  proto: number,
  type: FieldType,
  value: unknown,
  wrapper: ValueWrapper | undefined,
  path: string,
  element: boolean,
): void {
  if (wrapper) {
    w.bytesField(proto, wrapper.encode(value, codec));
    return;
  }
  if ('ref' in type) {
    if (value === null && !element) return;
    w.bytesField(proto, encodeMessage(isRecord(value) ? value : {}, type.ref));
    return;
  }
  if (!('scalar' in type)) throw new TypeError(`protobuf: ${path} has an unsupported nested collection type`);
  const s = type.scalar;
  if (isMessageScalar(s)) {
    // null time is Go's zero metav1.Time, which Marshal writes as an empty message.
    if (value === null && s !== 'time' && s !== 'microtime' && !element) return;
    w.bytesField(proto, encodeMessageScalar(s, value));
    return;
  }
  if (value === null) return;
  switch (s) {
    case 'string':
      w.stringField(proto, String(value));
      return;
    case 'bytes':
      w.bytesField(proto, Buffer.from(String(value), 'base64'));
      return;
    case 'boolean':
      w.tag(proto, WIRE_VARINT).varint(value === true ? 1 : 0);
      return;
    case 'double':
      w.doubleField(proto, numberOf(value, path));
      return;
    default:
      w.varintField(proto, BigInt(Math.trunc(numberOf(value, path))));
  }
}

function numberOf(value: unknown, path: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new TypeError(`protobuf: ${path}: expected a number, got ${JSON.stringify(value)}`);
  return n;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
