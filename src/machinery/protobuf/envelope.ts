/**
 * The Kubernetes protobuf envelope: the magic `k8s\0` followed by a runtime.Unknown message
 * {1: typeMeta {1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding, 4: contentType}.
 */
import { ProtobufWireError, WIRE_BYTES, WireReader, WireWriter } from './wire.js';

/** `k8s\0`, the prefix of every Kubernetes protobuf body. */
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** runtime.Unknown: an object's type and its still-encoded bytes. */
export interface UnknownEnvelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Uint8Array;
  readonly contentEncoding: string;
  readonly contentType: string;
}

/** Whether `buf` starts with the protobuf magic. */
export function hasProtobufMagic(buf: Uint8Array): boolean {
  return buf.length >= PROTOBUF_MAGIC.length && PROTOBUF_MAGIC.every((b, i) => buf[i] === b);
}

function text(r: WireReader, wire: number, field: string): string {
  if (wire !== WIRE_BYTES) throw new ProtobufWireError(`proto: wrong wireType = ${wire} for field ${field}`);
  return Buffer.from(r.bytes()).toString('utf8');
}

/** Decodes the Unknown message that follows the magic. */
export function decodeUnknown(bytes: Uint8Array): UnknownEnvelope {
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array();
  let contentEncoding = '';
  let contentType = '';
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1: {
        if (wire !== WIRE_BYTES) throw new ProtobufWireError(`proto: wrong wireType = ${wire} for field TypeMeta`);
        const tm = new WireReader(r.bytes());
        while (!tm.done) {
          const t = tm.tag();
          if (t.field === 1) apiVersion = text(tm, t.wire, 'APIVersion');
          else if (t.field === 2) kind = text(tm, t.wire, 'Kind');
          else tm.skip(t.wire);
        }
        break;
      }
      case 2:
        if (wire !== WIRE_BYTES) throw new ProtobufWireError(`proto: wrong wireType = ${wire} for field Raw`);
        raw = r.bytes();
        break;
      case 3:
        contentEncoding = text(r, wire, 'ContentEncoding');
        break;
      case 4:
        contentType = text(r, wire, 'ContentType');
        break;
      default:
        r.skip(wire);
    }
  }
  return { apiVersion, kind, raw, contentEncoding, contentType };
}

/** The magic followed by the Unknown message, as upstream's protobuf serializer writes it. */
export function encodeUnknown(u: Pick<UnknownEnvelope, 'apiVersion' | 'kind' | 'raw'> & Partial<UnknownEnvelope>): Buffer {
  const typeMeta = new WireWriter().stringField(1, u.apiVersion).stringField(2, u.kind).finish();
  const body = new WireWriter()
    .bytesField(1, typeMeta)
    .bytesField(2, u.raw)
    .stringField(3, u.contentEncoding ?? '')
    .stringField(4, u.contentType ?? '')
    .finish();
  return Buffer.concat([PROTOBUF_MAGIC, body]);
}
