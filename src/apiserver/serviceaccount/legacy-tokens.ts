/**
 * Legacy Secret-based service-account tokens (pkg/serviceaccount/legacy.go): JWTs of issuer
 * `kubernetes/serviceaccount` without audience or expiry, whose claims
 * kubernetes.io/serviceaccount/{namespace,secret.name,service-account.name,service-account.uid}
 * name the Secret that holds them. The token controller signs them; the authenticator accepts
 * them while that Secret exists and holds the same token.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { algorithmFor, keyID } from './keys.js';
import { verifySignedClaims } from './tokens.js';

export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

const NAMESPACE = 'kubernetes.io/serviceaccount/namespace';
const SECRET_NAME = 'kubernetes.io/serviceaccount/secret.name';
const SA_NAME = 'kubernetes.io/serviceaccount/service-account.name';
const SA_UID = 'kubernetes.io/serviceaccount/service-account.uid';

export interface LegacyClaims {
  namespace: string;
  secretName: string;
  serviceAccountName: string;
  serviceAccountUID: string;
}

/** Signs legacy tokens with the service-account private key (the controller manager's --service-account-private-key-file). */
export class LegacyTokenGenerator {
  readonly #key: KeyObject;
  readonly #alg: string;
  readonly #kid: string;

  constructor(options: { privateKeyPem: string }) {
    this.#key = createPrivateKey(options.privateKeyPem);
    this.#alg = algorithmFor(this.#key);
    this.#kid = keyID(createPublicKey(this.#key));
  }

  async generate(claims: LegacyClaims): Promise<string> {
    const payload: JWTPayload = {
      [NAMESPACE]: claims.namespace,
      [SECRET_NAME]: claims.secretName,
      [SA_NAME]: claims.serviceAccountName,
      [SA_UID]: claims.serviceAccountUID,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: this.#alg, kid: this.#kid })
      .setIssuer(LEGACY_ISSUER)
      .setSubject(`system:serviceaccount:${claims.namespace}:${claims.serviceAccountName}`)
      .sign(this.#key);
  }
}

/** The claims of a legacy token signed with the key; throws (a client-safe message) otherwise. */
export async function verifyLegacyToken(token: string, publicKey: KeyObject): Promise<LegacyClaims> {
  const payload = await verifySignedClaims(token, publicKey, LEGACY_ISSUER);
  const text = (key: string) => (typeof payload[key] === 'string' ? (payload[key] as string) : '');
  const claims = {
    namespace: text(NAMESPACE),
    secretName: text(SECRET_NAME),
    serviceAccountName: text(SA_NAME),
    serviceAccountUID: text(SA_UID),
  };
  if (!claims.namespace) throw new Error('namespace claim is missing');
  if (!claims.secretName) throw new Error('secretName claim is missing');
  if (!claims.serviceAccountName) throw new Error('serviceAccountName claim is missing');
  if (!claims.serviceAccountUID) throw new Error('serviceAccountUID claim is missing');
  return claims;
}
