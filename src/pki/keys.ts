/**
 * Key pairs: generation, PEM encoding (PKCS#8 private, PKIX public) and decoding.
 * Algorithms are named like kubeadm's ClusterConfiguration.encryptionAlgorithm.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { subtle, type CryptoKey } from './x509.js';
import { PkiError } from './errors.js';

export type KeyAlgorithm = 'ECDSA-P256' | 'ECDSA-P384' | 'RSA-2048' | 'RSA-3072' | 'RSA-4096';

/**
 * ECDSA P-256: generated in about a millisecond (RSA-2048 takes 100–300 ms) and accepted by
 * every Go TLS client (kubectl, client-go) and by Node. kubeadm offers it as "ECDSA-P256".
 */
export const defaultKeyAlgorithm: KeyAlgorithm = 'ECDSA-P256';

export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

type WebCryptoKeyParams =
  | { name: 'ECDSA'; namedCurve: 'P-256' | 'P-384' }
  | { name: 'RSASSA-PKCS1-v1_5'; hash: 'SHA-256'; modulusLength: number; publicExponent: Uint8Array };

const RSA_EXPONENT = new Uint8Array([1, 0, 1]);

function webCryptoParams(algorithm: KeyAlgorithm): WebCryptoKeyParams {
  switch (algorithm) {
    case 'ECDSA-P256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ECDSA-P384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'RSA-2048':
    case 'RSA-3072':
    case 'RSA-4096':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        modulusLength: Number(algorithm.slice(4)),
        publicExponent: RSA_EXPONENT,
      };
  }
}

/** Generates an extractable signing key pair. */
export async function generateKeyPair(algorithm: KeyAlgorithm = defaultKeyAlgorithm): Promise<KeyPair> {
  const pair = await subtle.generateKey(webCryptoParams(algorithm), true, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** The signature algorithm a key signs certificates with: ECDSA with SHA-256/384, or RSA PKCS#1 v1.5 with SHA-256. */
export function signingAlgorithmFor(key: CryptoKey): { name: string; hash: string } {
  const alg = key.algorithm as { name: string; namedCurve?: string };
  if (alg.name === 'ECDSA') return { name: 'ECDSA', hash: alg.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256' };
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

/** Wraps DER bytes as PEM with 64-column base64 lines. */
export function encodePem(type: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

/** The DER bytes of the first PEM block of `type` in `pem`. */
export function decodePem(pem: string, type: string): Buffer {
  const re = new RegExp(`-----BEGIN ${type}-----([A-Za-z0-9+/=\\s]*?)-----END ${type}-----`);
  const match = re.exec(pem);
  if (!match?.[1]) throw new PkiError('InvalidPEM', `no "${type}" PEM block found`);
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

/** PKCS#8 PEM ("PRIVATE KEY"). */
export async function encodePrivateKeyPem(key: CryptoKey): Promise<string> {
  return encodePem('PRIVATE KEY', await subtle.exportKey('pkcs8', key));
}

/** PKIX PEM ("PUBLIC KEY"), the format of kubeadm's sa.pub. */
export async function encodePublicKeyPem(key: CryptoKey): Promise<string> {
  return encodePem('PUBLIC KEY', await subtle.exportKey('spki', key));
}

function importParams(key: KeyObject): { name: 'ECDSA'; namedCurve: string } | { name: 'RSASSA-PKCS1-v1_5'; hash: 'SHA-256' } {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { name: 'ECDSA', namedCurve: 'P-256' };
    if (curve === 'secp384r1') return { name: 'ECDSA', namedCurve: 'P-384' };
    throw new PkiError('UnsupportedKey', `unsupported EC curve ${curve ?? 'unknown'}`);
  }
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  throw new PkiError('UnsupportedKey', `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/**
 * Reads a private key in PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1
 * ("EC PRIVATE KEY") PEM — the last two are what kubeadm and openssl write — and derives
 * its public key.
 */
export async function decodePrivateKeyPem(pem: string): Promise<KeyPair> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new PkiError('InvalidPEM', 'private key PEM does not parse', { cause });
  }
  const params = importParams(keyObject);
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    subtle.importKey('pkcs8', pkcs8, params, true, ['sign']),
    subtle.importKey('spki', spki, params, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** Reads a PKIX ("PUBLIC KEY") PEM. */
export async function decodePublicKeyPem(pem: string): Promise<CryptoKey> {
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new PkiError('InvalidPEM', 'public key PEM does not parse', { cause });
  }
  const spki = keyObject.export({ type: 'spki', format: 'der' });
  return subtle.importKey('spki', spki, importParams(keyObject), true, ['verify']);
}

/** Whether two public keys are the same key (compared as PKIX DER). */
export async function samePublicKey(a: CryptoKey, b: CryptoKey): Promise<boolean> {
  const [da, db] = await Promise.all([subtle.exportKey('spki', a), subtle.exportKey('spki', b)]);
  return Buffer.from(da).equals(Buffer.from(db));
}
