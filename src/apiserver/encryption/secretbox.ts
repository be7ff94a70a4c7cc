/**
 * The secretbox provider (upstream's value/encrypt/secretbox): NaCl's secretbox,
 * XSalsa20-Poly1305 with a random 24-byte nonce before the box (tag || ciphertext). node:crypto
 * has neither XSalsa20 nor a standalone Poly1305, so both are here, checked against NaCl's
 * published secretbox vector in secretbox.test.ts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FromStorage, Transformer } from './interface.js';

const NONCE_SIZE = 24;
const TAG_SIZE = 16;
const KEY_SIZE = 32;
/** "expand 32-byte k" */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** The Salsa20 permutation (20 rounds) of a 16-word state, in place. */
function salsa20Rounds(x: Uint32Array): void {
  for (let i = 0; i < 10; i++) {
    for (const [a, b, c, d] of QUARTER_ROUNDS) {
      x[b] = (x[b] as number) ^ rotl(((x[a] as number) + (x[d] as number)) | 0, 7);
      x[c] = (x[c] as number) ^ rotl(((x[b] as number) + (x[a] as number)) | 0, 9);
      x[d] = (x[d] as number) ^ rotl(((x[c] as number) + (x[b] as number)) | 0, 13);
      x[a] = (x[a] as number) ^ rotl(((x[d] as number) + (x[c] as number)) | 0, 18);
    }
  }
}

/** Column round, then row round: [a, b, c, d] updates b, c, d, a from their neighbours. */
const QUARTER_ROUNDS: readonly (readonly [number, number, number, number])[] = [
  [0, 4, 8, 12],
  [5, 9, 13, 1],
  [10, 14, 2, 6],
  [15, 3, 7, 11],
  [0, 1, 2, 3],
  [5, 6, 7, 4],
  [10, 11, 8, 9],
  [15, 12, 13, 14],
];

/** The Salsa20 input state: constants, the key, and 16 bytes of nonce/counter. */
function initialState(key: Buffer, input: Buffer): Uint32Array {
  const s = new Uint32Array(16);
  [s[0], s[5], s[10], s[15]] = SIGMA as [number, number, number, number];
  for (let i = 0; i < 4; i++) {
    s[1 + i] = key.readUInt32LE(i * 4);
    s[11 + i] = key.readUInt32LE(16 + i * 4);
    s[6 + i] = input.readUInt32LE(i * 4);
  }
  return s;
}

/** HSalsa20: the XSalsa20 subkey from the key and the nonce's first 16 bytes. */
function hsalsa20(key: Buffer, nonce16: Buffer): Buffer {
  const x = initialState(key, nonce16);
  salsa20Rounds(x);
  const out = Buffer.alloc(32);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((w, i) => out.writeUInt32LE(x[w] as number, i * 4));
  return out;
}

/** `length` bytes of the XSalsa20 key stream for `key` and a 24-byte nonce. */
function xsalsa20Stream(key: Buffer, nonce: Buffer, length: number): Buffer {
  const subkey = hsalsa20(key, nonce.subarray(0, 16));
  const input = Buffer.alloc(16);
  nonce.copy(input, 0, 16, 24);
  const out = Buffer.alloc(Math.ceil(length / 64) * 64);
  for (let block = 0; block * 64 < length; block++) {
    input.writeBigUInt64LE(BigInt(block), 8);
    const s = initialState(subkey, input);
    const x = s.slice();
    salsa20Rounds(x);
    for (let i = 0; i < 16; i++) out.writeUInt32LE((((x[i] as number) + (s[i] as number)) >>> 0) as number, block * 64 + i * 4);
  }
  return out.subarray(0, length);
}

const MASK_130 = (1n << 130n) - 1n;
const MASK_128 = (1n << 128n) - 1n;
const R_CLAMP = 0x0ffffffc0ffffffc0ffffffc0fffffffn;

/** A little-endian number of up to 16 bytes. */
function leBigInt(bytes: Buffer): bigint {
  if (bytes.length === 16) return bytes.readBigUInt64LE(0) | (bytes.readBigUInt64LE(8) << 64n);
  const full = Buffer.alloc(16);
  bytes.copy(full);
  return full.readBigUInt64LE(0) | (full.readBigUInt64LE(8) << 64n);
}

/** x modulo 2^130 - 5, partly (below 2^130): the high bits fold down (2^130 ≡ 5) instead of a division. */
function reduce(x: bigint): bigint {
  let v = x;
  while (v > MASK_130) v = (v & MASK_130) + (v >> 130n) * 5n;
  return v;
}

/** Poly1305 one-time authenticator of `message` under a 32-byte one-time key. */
export function poly1305(oneTimeKey: Buffer, message: Buffer): Buffer {
  const r = leBigInt(oneTimeKey.subarray(0, 16)) & R_CLAMP;
  const s = leBigInt(oneTimeKey.subarray(16, 32));
  let acc = 0n;
  for (let off = 0; off < message.length; off += 16) {
    const chunk = message.subarray(off, off + 16);
    acc = reduce((acc + leBigInt(chunk) + (1n << BigInt(8 * chunk.length))) * r);
  }
  // the fully reduced accumulator: below 2^130 - 5
  if (acc >= MASK_130 - 4n) acc -= MASK_130 - 4n;
  const tag = (acc + s) & MASK_128;
  const out = Buffer.alloc(TAG_SIZE);
  out.writeBigUInt64LE(tag & 0xffffffffffffffffn, 0);
  out.writeBigUInt64LE(tag >> 64n, 8);
  return out;
}

/** NaCl crypto_secretbox: tag || ciphertext. */
export function secretboxSeal(message: Buffer, nonce: Buffer, key: Buffer): Buffer {
  const stream = xsalsa20Stream(key, nonce, 32 + message.length);
  const ciphertext = Buffer.alloc(message.length);
  for (let i = 0; i < message.length; i++) ciphertext[i] = (message[i] as number) ^ (stream[32 + i] as number);
  return Buffer.concat([poly1305(stream.subarray(0, 32), ciphertext), ciphertext]);
}

/** NaCl crypto_secretbox_open; undefined when the box does not authenticate. */
export function secretboxOpen(box: Buffer, nonce: Buffer, key: Buffer): Buffer | undefined {
  if (box.length < TAG_SIZE) return undefined;
  const ciphertext = box.subarray(TAG_SIZE);
  const stream = xsalsa20Stream(key, nonce, 32 + ciphertext.length);
  if (!timingSafeEqual(poly1305(stream.subarray(0, 32), ciphertext), box.subarray(0, TAG_SIZE))) return undefined;
  const message = Buffer.alloc(ciphertext.length);
  for (let i = 0; i < ciphertext.length; i++) message[i] = (ciphertext[i] as number) ^ (stream[32 + i] as number);
  return message;
}

export class SecretboxTransformer implements Transformer {
  readonly #key: Buffer;

  constructor(options: { key: Buffer }) {
    if (options.key.length !== KEY_SIZE) throw new Error(`invalid secretbox key size ${options.key.length}`);
    this.#key = options.key;
  }

  fromStorage(data: string): FromStorage {
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length < NONCE_SIZE + TAG_SIZE) throw new Error('the stored data was shorter than the required size');
    const plain = secretboxOpen(bytes.subarray(NONCE_SIZE), bytes.subarray(0, NONCE_SIZE), this.#key);
    if (!plain) throw new Error('output array was not large enough for encryption');
    return { data: plain.toString('utf8'), stale: false };
  }

  toStorage(data: string): string {
    const nonce = randomBytes(NONCE_SIZE);
    return Buffer.concat([nonce, secretboxSeal(Buffer.from(data, 'utf8'), nonce, this.#key)]).toString('base64');
  }
}
