/**
 * SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00, with 3.1's WINDOW_UPDATE): the frame types
 * Kubernetes' streaming protocols use, their binary layout and the uncompressed header block.
 * A FrameReader cuts a byte stream into raw frames; decodeFrame/encodeFrame translate between raw
 * frames and values, calling the connection's header compression contexts for header blocks.
 *
 *   control frame: 1 | version(15) | type(16) | flags(8) | length(24) | payload
 *   data frame:    0 | stream id(31)          | flags(8) | length(24) | payload
 */

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** FLAG_FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS: the sender's half of the stream is done. */
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
} as const;

/** SETTINGS ids. */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;

/** Header names are lowercase on the wire; several values of one name are joined with NUL. */
export type SpdyHeaders = Record<string, string>;

export type Frame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'synStream'; streamId: number; associatedStreamId: number; priority: number; flags: number; headers: SpdyHeaders }
  | { type: 'synReply'; streamId: number; flags: number; headers: SpdyHeaders }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; flags: number; headers: SpdyHeaders }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number };

/** A frame as read off the wire, its payload not yet interpreted. */
export interface RawFrame {
  control: boolean;
  /** The control frame type, or the stream id of a data frame. */
  typeOrStreamId: number;
  version: number;
  flags: number;
  payload: Buffer;
}

/** One direction's header compression context (a zlib stream primed with the dictionary). */
export type HeaderCodec = (input: Buffer) => Promise<Buffer>;

export class SpdyProtocolError extends Error {
  readonly code = 'SpdyProtocolError';
}

const HEADER_SIZE = 8;
const MAX_LENGTH = 0xffffff;
const STREAM_ID_MASK = 0x7fffffff;

/** Cuts a byte stream into raw frames. */
export class FrameReader {
  #buffered: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns the frames now complete. */
  push(chunk: Buffer): RawFrame[] {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const frames: RawFrame[] = [];
    while (this.#buffered.length >= HEADER_SIZE) {
      const b = this.#buffered;
      const length = b.readUIntBE(5, 3);
      if (b.length < HEADER_SIZE + length) break;
      const first = b.readUInt32BE(0);
      const control = (first & 0x80000000) !== 0;
      frames.push({
        control,
        typeOrStreamId: control ? first & 0xffff : first & STREAM_ID_MASK,
        version: control ? (first >>> 16) & 0x7fff : 0,
        flags: b[4] as number,
        payload: b.subarray(HEADER_SIZE, HEADER_SIZE + length),
      });
      this.#buffered = b.subarray(HEADER_SIZE + length);
    }
    return frames;
  }
}

/** The uncompressed header block: a count, then length-prefixed names and values. */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {};
  let off = 0;
  const take = (): Buffer => {
    if (off + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) throw new SpdyProtocolError('truncated header block');
    const bytes = block.subarray(off, off + len);
    off += len;
    return bytes;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  off = 4;
  for (let i = 0; i < count; i++) {
    const name = take().toString('utf8').toLowerCase();
    headers[name] = take().toString('utf8');
  }
  return headers;
}

/** Interprets a raw frame; header blocks go through `inflate` (the receiving context). */
export async function decodeFrame(raw: RawFrame, inflate: HeaderCodec): Promise<Frame> {
  const p = raw.payload;
  if (!raw.control) return { type: 'data', streamId: raw.typeOrStreamId, flags: raw.flags, data: p };
  if (raw.version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${raw.version}`);
  const need = (n: number) => {
    if (p.length < n) throw new SpdyProtocolError(`control frame ${raw.typeOrStreamId} too short`);
  };
  const headersAt = async (off: number) => decodeHeaderBlock(await inflate(p.subarray(off)));
  switch (raw.typeOrStreamId) {
    case FrameType.SYN_STREAM:
      need(10);
      return {
        type: 'synStream',
        streamId: p.readUInt32BE(0) & STREAM_ID_MASK,
        associatedStreamId: p.readUInt32BE(4) & STREAM_ID_MASK,
        priority: (p[8] as number) >> 5,
        flags: raw.flags,
        headers: await headersAt(10),
      };
    case FrameType.SYN_REPLY:
      need(4);
      return { type: 'synReply', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, flags: raw.flags, headers: await headersAt(4) };
    case FrameType.HEADERS:
      need(4);
      return { type: 'headers', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, flags: raw.flags, headers: await headersAt(4) };
    case FrameType.RST_STREAM:
      need(8);
      return { type: 'rstStream', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, status: p.readUInt32BE(4) };
    case FrameType.SETTINGS: {
      need(4);
      const n = p.readUInt32BE(0);
      need(4 + n * 8);
      const entries = [];
      for (let i = 0; i < n; i++) {
        const off = 4 + i * 8;
        entries.push({ flags: p[off] as number, id: p.readUIntBE(off + 1, 3), value: p.readUInt32BE(off + 4) });
      }
      return { type: 'settings', flags: raw.flags, entries };
    }
    case FrameType.PING:
      need(4);
      return { type: 'ping', id: p.readUInt32BE(0) };
    case FrameType.GOAWAY:
      need(8);
      return { type: 'goaway', lastGoodStreamId: p.readUInt32BE(0) & STREAM_ID_MASK, status: p.readUInt32BE(4) };
    case FrameType.WINDOW_UPDATE:
      need(8);
      return { type: 'windowUpdate', streamId: p.readUInt32BE(0) & STREAM_ID_MASK, delta: p.readUInt32BE(4) & STREAM_ID_MASK };
    default:
      return { type: 'unknown', frameType: raw.typeOrStreamId };
  }
}

/** The wire bytes of a frame; header blocks go through `deflate` (the sending context). */
export async function encodeFrame(frame: Frame, deflate: HeaderCodec): Promise<Buffer> {
  switch (frame.type) {
    case 'data':
      return withHeader(u32(frame.streamId & STREAM_ID_MASK), frame.flags, frame.data);
    case 'synStream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(frame.streamId & STREAM_ID_MASK, 0);
      fixed.writeUInt32BE(frame.associatedStreamId & STREAM_ID_MASK, 4);
      fixed[8] = (frame.priority & 0x7) << 5;
      return control(FrameType.SYN_STREAM, frame.flags, fixed, await deflate(encodeHeaderBlock(frame.headers)));
    }
    case 'synReply':
      return control(FrameType.SYN_REPLY, frame.flags, u32(frame.streamId), await deflate(encodeHeaderBlock(frame.headers)));
    case 'headers':
      return control(FrameType.HEADERS, frame.flags, u32(frame.streamId), await deflate(encodeHeaderBlock(frame.headers)));
    case 'rstStream':
      return control(FrameType.RST_STREAM, 0, u32(frame.streamId), u32(frame.status));
    case 'settings': {
      const body = Buffer.alloc(4 + frame.entries.length * 8);
      body.writeUInt32BE(frame.entries.length, 0);
      frame.entries.forEach((e, i) => {
        body[4 + i * 8] = e.flags;
        body.writeUIntBE(e.id, 5 + i * 8, 3);
        body.writeUInt32BE(e.value, 8 + i * 8);
      });
      return control(FrameType.SETTINGS, frame.flags, body);
    }
    case 'ping':
      return control(FrameType.PING, 0, u32(frame.id));
    case 'goaway':
      return control(FrameType.GOAWAY, 0, u32(frame.lastGoodStreamId), u32(frame.status));
    case 'windowUpdate':
      return control(FrameType.WINDOW_UPDATE, 0, u32(frame.streamId), u32(frame.delta));
    case 'unknown':
      throw new SpdyProtocolError(`cannot encode frame type ${frame.frameType}`);
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function control(type: number, flags: number, ...payload: Buffer[]): Buffer {
  const first = Buffer.alloc(4);
  first.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  first.writeUInt16BE(type, 2);
  return withHeader(first, flags, Buffer.concat(payload));
}

function withHeader(first: Buffer, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_LENGTH) throw new SpdyProtocolError(`frame payload of ${payload.length} bytes is too long`);
  const head = Buffer.alloc(4);
  head[0] = flags;
  head.writeUIntBE(payload.length, 1, 3);
  return Buffer.concat([first, head, payload]);
}
