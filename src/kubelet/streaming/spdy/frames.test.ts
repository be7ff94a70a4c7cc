import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SPDY3_HEADER_DICTIONARY } from './dictionary.js';
import { decodeFrame, encodeFrame, type Frame, FrameReader } from './frames.js';
import { headerDeflater, headerInflater } from './header-compression.js';

const id = fc.integer({ min: 1, max: 0x7fffffff });
const headers = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.string({ maxLength: 40 }), { maxKeys: 5 });
const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({
    type: fc.constant('data' as const),
    streamId: id,
    flags: fc.integer({ min: 0, max: 1 }),
    data: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  }),
  fc.record({
    type: fc.constant('synStream' as const),
    streamId: id,
    associatedStreamId: fc.constant(0),
    priority: fc.integer({ min: 0, max: 7 }),
    flags: fc.integer({ min: 0, max: 3 }),
    headers,
  }),
  fc.record({ type: fc.constant('synReply' as const), streamId: id, flags: fc.integer({ min: 0, max: 1 }), headers }),
  fc.record({ type: fc.constant('headers' as const), streamId: id, flags: fc.integer({ min: 0, max: 1 }), headers }),
  fc.record({ type: fc.constant('rstStream' as const), streamId: id, status: fc.integer({ min: 1, max: 11 }) }),
  fc.record({ type: fc.constant('ping' as const), id: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({
    type: fc.constant('goaway' as const),
    lastGoodStreamId: fc.integer({ min: 0, max: 0x7fffffff }),
    status: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({ type: fc.constant('windowUpdate' as const), streamId: fc.integer({ min: 0, max: 0x7fffffff }), delta: id }),
  fc.record({
    type: fc.constant('settings' as const),
    flags: fc.integer({ min: 0, max: 1 }),
    entries: fc.array(
      fc.record({
        flags: fc.integer({ min: 0, max: 2 }),
        id: fc.integer({ min: 1, max: 8 }),
        value: fc.integer({ min: 0, max: 0xffffffff }),
      }),
      { maxLength: 4 },
    ),
  }),
);

/** A value as plain data: Object prototypes (fast-check makes null-prototype records), keys sorted, Buffers as hex. */
function plain(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, plain(x)]),
    );
  }
  return v;
}

describe('SPDY/3.1 frames', () => {
  it('the dictionary is SPDY/3’s 1423 bytes', () => {
    assert.equal(SPDY3_HEADER_DICTIONARY.length, 1423);
    assert.equal(SPDY3_HEADER_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
  });

  it('a sequence of frames survives encoding, arbitrary cutting and decoding (one zlib context per direction)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(frame, { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }),
        async (frames, cuts) => {
          const deflate = headerDeflater();
          const inflate = headerInflater();
          const wire = Buffer.concat(await Promise.all(frames.map((f) => encodeFrame(f, deflate.codec))));
          const reader = new FrameReader();
          const decoded: Frame[] = [];
          let off = 0;
          for (let i = 0; off < wire.length; i++) {
            const n = cuts[i % cuts.length] as number;
            for (const raw of reader.push(wire.subarray(off, off + n))) decoded.push(await decodeFrame(raw, inflate.codec));
            off += n;
          }
          deflate.close();
          inflate.close();
          assert.deepEqual(plain(decoded), plain(frames));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lays out a SYN_REPLY control frame as the spec says', async () => {
    const deflate = headerDeflater();
    const bytes = await encodeFrame({ type: 'rstStream', streamId: 5, status: 3 }, deflate.codec);
    deflate.close();
    assert.equal(bytes.toString('hex'), '80030003000000080000000500000003');
  });
});
