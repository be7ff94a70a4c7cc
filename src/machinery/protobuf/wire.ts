/**
 * The protobuf wire format: a bounds-checked reader that never reads past its buffer (every
 * malformation is a ProtobufWireError with gogo-protobuf's wording) and an append-only writer.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

/** A malformed message; the codec turns it into a 400 BadRequest. */
export class ProtobufWireError extends Error {
  readonly code = 'ProtobufWire';
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufWireError';
  }
}

export interface Tag {
  readonly field: number;
  readonly wire: number;
}

const UNEXPECTED_EOF = 'unexpected EOF';

/** Reads one message's bytes front to back. */
export class WireReader {
  readonly #buf: Uint8Array;
  #pos = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
  }

  get done(): boolean {
    return this.#pos >= this.#buf.length;
  }

  /** An unsigned varint of up to 64 bits. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift >= 70n) throw new ProtobufWireError('proto: integer overflow');
      if (this.#pos >= this.#buf.length) throw new ProtobufWireError(UNEXPECTED_EOF);
      const b = this.#buf[this.#pos++] ?? 0;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
  }

  tag(): Tag {
    const key = this.varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === WIRE_END_GROUP) throw new ProtobufWireError('proto: wiretype end group for non-group');
    if (field <= 0 || field > 0x1fffffff) throw new ProtobufWireError(`proto: illegal tag ${field} (wire type ${wire})`);
    return { field, wire };
  }

  /** The payload of a length-delimited field. */
  bytes(): Uint8Array {
    const len = this.varint();
    if (len > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtobufWireError('proto: negative length found during unmarshaling');
    const end = this.#pos + Number(len);
    if (end > this.#buf.length) throw new ProtobufWireError(UNEXPECTED_EOF);
    const out = this.#buf.subarray(this.#pos, end);
    this.#pos = end;
    return out;
  }

  fixed64(): Uint8Array {
    return this.#take(8);
  }

  fixed32(): Uint8Array {
    return this.#take(4);
  }

  /** Skips a field of the given wire type (unknown fields are ignored, as upstream does). */
  skip(wire: number, depth = 0): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.#take(8);
        return;
      case WIRE_BYTES:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.#take(4);
        return;
      case WIRE_START_GROUP: {
        if (depth > 64) throw new ProtobufWireError('proto: groups nested too deeply');
        for (;;) {
          const key = this.varint();
          const w = Number(key & 7n);
          if (w === WIRE_END_GROUP) return;
          this.skip(w, depth + 1);
        }
      }
      default:
        throw new ProtobufWireError(`proto: illegal wireType ${wire}`);
    }
  }

  #take(n: number): Uint8Array {
    if (this.#pos + n > this.#buf.length) throw new ProtobufWireError(UNEXPECTED_EOF);
    const out = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }
}

/** Appends fields to a growing message. */
export class WireWriter {
  readonly #chunks: Uint8Array[] = [];

  varint(value: bigint | number): this {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.#chunks.push(Uint8Array.from(out));
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint((BigInt(field) << 3n) | BigInt(wire));
  }

  /** A length-delimited field. */
  bytesField(field: number, payload: Uint8Array): this {
    this.tag(field, WIRE_BYTES).varint(payload.length);
    this.#chunks.push(payload);
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, Buffer.from(value, 'utf8'));
  }

  varintField(field: number, value: bigint | number): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  doubleField(field: number, value: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.tag(field, WIRE_FIXED64);
    this.#chunks.push(b);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}
