/**
 * The aescbc and aesgcm providers (upstream's value/encrypt/aes): AES-CBC with PKCS#7 padding
 * and a random IV before the ciphertext; AES-GCM with a random 12-byte nonce before the
 * ciphertext and its tag, authenticating the storage key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { FromStorage, Transformer } from './interface.js';

const BLOCK_SIZE = 16;
const GCM_NONCE_SIZE = 12;
const GCM_TAG_SIZE = 16;

function cipherName(
  mode: 'cbc' | 'gcm',
  key: Buffer,
): 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  const bits = key.length * 8;
  if (bits !== 128 && bits !== 192 && bits !== 256) throw new Error(`invalid AES key size ${key.length}`);
  return `aes-${bits}-${mode}`;
}

/** AES-CBC: IV || ciphertext of the PKCS#7-padded JSON. */
export class AESCBCTransformer implements Transformer {
  readonly #key: Buffer;
  readonly #cipher: ReturnType<typeof cipherName>;

  constructor(options: { key: Buffer }) {
    this.#key = options.key;
    this.#cipher = cipherName('cbc', options.key);
  }

  fromStorage(data: string): FromStorage {
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length < BLOCK_SIZE) throw new Error('the stored data was shorter than the required size');
    const iv = bytes.subarray(0, BLOCK_SIZE);
    const body = bytes.subarray(BLOCK_SIZE);
    if (body.length % BLOCK_SIZE !== 0) throw new Error('the stored data is not a multiple of the block size');
    const decipher = createDecipheriv(this.#cipher, this.#key, iv).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    return { data: unpad(plain).toString('utf8'), stale: false };
  }

  toStorage(data: string): string {
    const iv = randomBytes(BLOCK_SIZE);
    const cipher = createCipheriv(this.#cipher, this.#key, iv); // PKCS#7 padding is node's default
    return Buffer.concat([iv, cipher.update(data, 'utf8'), cipher.final()]).toString('base64');
  }
}

/** Strips PKCS#7 padding, checking every padding byte as upstream does. */
function unpad(plain: Buffer): Buffer {
  const pad = plain.length > 0 ? (plain[plain.length - 1] as number) : 0;
  if (pad === 0 || pad > BLOCK_SIZE || pad > plain.length) throw new Error('invalid padding on input');
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) throw new Error('invalid padding on input');
  }
  return plain.subarray(0, plain.length - pad);
}

/** AES-GCM: nonce || ciphertext || tag, the storage key as additional authenticated data. */
export class AESGCMTransformer implements Transformer {
  readonly #key: Buffer;
  readonly #cipher: ReturnType<typeof cipherName>;

  constructor(options: { key: Buffer }) {
    this.#key = options.key;
    this.#cipher = cipherName('gcm', options.key);
  }

  fromStorage(data: string, authenticatedData: string): FromStorage {
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length < GCM_NONCE_SIZE + GCM_TAG_SIZE) throw new Error('the stored data was shorter than the required size');
    const nonce = bytes.subarray(0, GCM_NONCE_SIZE);
    const tag = bytes.subarray(bytes.length - GCM_TAG_SIZE);
    const decipher = createDecipheriv(this.#cipher as 'aes-256-gcm', this.#key, nonce, { authTagLength: GCM_TAG_SIZE });
    decipher.setAAD(Buffer.from(authenticatedData, 'utf8'));
    decipher.setAuthTag(tag);
    const body = bytes.subarray(GCM_NONCE_SIZE, bytes.length - GCM_TAG_SIZE);
    try {
      return { data: Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'), stale: false };
    } catch {
      throw new Error('cipher: message authentication failed');
    }
  }

  toStorage(data: string, authenticatedData: string): string {
    const nonce = randomBytes(GCM_NONCE_SIZE);
    const cipher = createCipheriv(this.#cipher as 'aes-256-gcm', this.#key, nonce, { authTagLength: GCM_TAG_SIZE });
    cipher.setAAD(Buffer.from(authenticatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(data, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
  }
}
