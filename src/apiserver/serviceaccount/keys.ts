/**
 * The service-account signing key (DIR/pki/sa.key): the JWS algorithm its type implies and its
 * key ID, which upstream puts in every token's header and in the issuer's JWKS: the unpadded
 * base64url SHA-256 of the public key's DER (SubjectPublicKeyInfo).
 */
import { createHash, type KeyObject } from 'node:crypto';

export function algorithmFor(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1' || curve === 'P-256') return 'ES256';
    if (curve === 'secp384r1' || curve === 'P-384') return 'ES384';
    return 'ES512';
  }
  if (type === 'rsa') return 'RS256';
  throw new Error(`unsupported service-account key type ${String(type)}`);
}

export function keyID(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
}
