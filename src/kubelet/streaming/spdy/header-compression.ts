/**
 * SPDY/3 header compression: one zlib context per direction per connection, primed with the
 * SPDY/3 dictionary; every header block is one sync-flushed piece of that context's stream, so
 * blocks must be compressed (and decompressed) in the order they go on the wire.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_HEADER_DICTIONARY } from './dictionary.js';
import type { HeaderCodec } from './frames.js';

/** A compression context: `codec` transforms header blocks in order; `close` frees zlib's memory. */
export interface HeaderContext {
  codec: HeaderCodec;
  close(): void;
}

function serialize(stream: Deflate | Inflate): HeaderContext {
  let out: Buffer[] = [];
  let failure: Error | undefined;
  stream.on('data', (c: Buffer) => out.push(c));
  stream.on('error', (err) => {
    failure = err;
  });
  let chain: Promise<unknown> = Promise.resolve();
  const run = (input: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      if (failure) return reject(failure);
      stream.write(input);
      stream.flush(constants.Z_SYNC_FLUSH, () => {
        if (failure) return reject(failure);
        const result = Buffer.concat(out);
        out = [];
        resolve(result);
      });
    });
  const codec: HeaderCodec = (input) => {
    const p = chain.then(() => run(input));
    chain = p.catch(() => undefined);
    return p;
  };
  return { codec, close: () => stream.close() };
}

/** The sending context. */
export function headerDeflater(): HeaderContext {
  return serialize(createDeflate({ dictionary: SPDY3_HEADER_DICTIONARY }));
}

/** The receiving context. */
export function headerInflater(): HeaderContext {
  return serialize(createInflate({ dictionary: SPDY3_HEADER_DICTIONARY }));
}
