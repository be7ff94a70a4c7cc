/**
 * The small messages behind our well-known scalars (metav1.Time, MicroTime, Duration,
 * resource.Quantity, intstr.IntOrString, RawExtension / JSON / FieldsV1) and their JSON forms.
 */
import type { Scalar } from '../schema/dsl.js';
import { formatGoDuration, parseGoDuration } from './go-duration.js';
import { ProtobufWireError, WIRE_BYTES, WIRE_VARINT, WireReader, WireWriter } from './wire.js';

/** Scalars that travel as a nested message rather than a plain wire value. */
export type MessageScalar = Exclude<Scalar, 'string' | 'int32' | 'int64' | 'double' | 'boolean' | 'bytes'>;

const MESSAGE_SCALARS: ReadonlySet<string> = new Set<MessageScalar>([
  'time',
  'microtime',
  'duration',
  'quantity',
  'intOrString',
  'rawExtension',
  'json',
  'fieldsV1',
]);

export function isMessageScalar(s: Scalar): s is MessageScalar {
  return MESSAGE_SCALARS.has(s);
}

/** Go's zero time.Time (0001-01-01T00:00:00Z) in Unix seconds: metav1.Time renders it as null. */
const GO_ZERO_TIME_SECONDS = -62135596800n;

/** Reads a message of numbered fields into the last value seen for each (varints and bytes only). */
function readFields(bytes: Uint8Array): Map<number, bigint | Uint8Array> {
  const r = new WireReader(bytes);
  const out = new Map<number, bigint | Uint8Array>();
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire === WIRE_VARINT) out.set(field, r.varint());
    else if (wire === WIRE_BYTES) out.set(field, r.bytes());
    else r.skip(wire);
  }
  return out;
}

function intField(fields: Map<number, bigint | Uint8Array>, n: number, what: string): bigint {
  const v = fields.get(n);
  if (v === undefined) return 0n;
  if (typeof v !== 'bigint') throw new ProtobufWireError(`proto: wrong wireType = ${WIRE_BYTES} for field ${what}`);
  return v;
}

function bytesField(fields: Map<number, bigint | Uint8Array>, n: number, what: string): Uint8Array | undefined {
  const v = fields.get(n);
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') throw new ProtobufWireError(`proto: wrong wireType = ${WIRE_VARINT} for field ${what}`);
  return v;
}

function formatTimestamp(rawSeconds: bigint, rawNanos: bigint, micro: boolean): string | null {
  // Like Go's time.Unix, carry nanoseconds outside [0, 1e9) into the seconds.
  const carry = rawNanos >= 0n ? rawNanos / 1_000_000_000n : (rawNanos - 999_999_999n) / 1_000_000_000n;
  const seconds = rawSeconds + carry;
  const nanos = rawNanos - carry * 1_000_000_000n;
  if (seconds === GO_ZERO_TIME_SECONDS && nanos === 0n) return null;
  const ms = Number(seconds) * 1000;
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime()) || year < 0 || year > 9999) {
    throw new ProtobufWireError('Time.MarshalJSON: year outside of range [0,9999]');
  }
  const base = date.toISOString().slice(0, 19);
  if (!micro) return `${base}Z`;
  const us = (nanos / 1000n).toString().padStart(6, '0');
  return `${base}.${us}Z`;
}

function parseJsonRaw(raw: Uint8Array | undefined, what: string): unknown {
  if (raw === undefined || raw.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
  } catch (err) {
    throw new ProtobufWireError(`${what}: ${(err as Error).message}`);
  }
}

/** Decodes the message of a well-known scalar into its JSON value. */
export function decodeMessageScalar(kind: MessageScalar, bytes: Uint8Array): unknown {
  const f = readFields(bytes);
  switch (kind) {
    case 'time':
    case 'microtime':
      if (bytes.length === 0) return null;
      return formatTimestamp(
        BigInt.asIntN(64, intField(f, 1, 'Seconds')),
        BigInt.asIntN(32, intField(f, 2, 'Nanos')),
        kind === 'microtime',
      );
    case 'duration':
      return formatGoDuration(BigInt.asIntN(64, intField(f, 1, 'Duration')));
    case 'quantity': {
      const s = bytesField(f, 1, 'String_');
      return s === undefined || s.length === 0 ? '0' : Buffer.from(s).toString('utf8');
    }
    case 'intOrString': {
      if (intField(f, 1, 'Type') === 1n) return Buffer.from(bytesField(f, 3, 'StrVal') ?? []).toString('utf8');
      return Number(BigInt.asIntN(32, intField(f, 2, 'IntVal')));
    }
    case 'rawExtension':
    case 'json':
    case 'fieldsV1':
      return parseJsonRaw(bytesField(f, 1, 'Raw'), kind === 'rawExtension' ? 'RawExtension' : kind === 'json' ? 'JSON' : 'FieldsV1');
  }
}

function parseTimestamp(value: string): { seconds: bigint; nanos: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new TypeError(`cannot encode time ${JSON.stringify(value)}: not RFC 3339`);
  return { seconds: BigInt(ms / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** Encodes the JSON value of a well-known scalar as its message's bytes. */
export function encodeMessageScalar(kind: MessageScalar, value: unknown): Uint8Array {
  const w = new WireWriter();
  switch (kind) {
    case 'time':
    case 'microtime': {
      if (value === null) break;
      const { seconds, nanos } = parseTimestamp(String(value));
      w.varintField(1, seconds);
      if (kind === 'microtime' || nanos !== 0) w.varintField(2, kind === 'microtime' ? nanos - (nanos % 1000) : nanos);
      break;
    }
    case 'duration':
      w.varintField(1, parseGoDuration(String(value)));
      break;
    case 'quantity':
      w.stringField(1, String(value));
      break;
    case 'intOrString':
      if (typeof value === 'number') w.varintField(1, 0).varintField(2, Math.trunc(value)).stringField(3, '');
      else w.varintField(1, 1).varintField(2, 0).stringField(3, String(value));
      break;
    case 'rawExtension':
    case 'json':
    case 'fieldsV1':
      if (value !== null) w.bytesField(1, Buffer.from(JSON.stringify(value), 'utf8'));
      break;
  }
  return w.finish();
}
