/**
 * Service-account tokens: JWTs signed with DIR/pki/sa.key, with upstream's claims
 * (iss, sub system:serviceaccount:<ns>:<name>, aud, exp/iat/nbf, jti and the kubernetes.io
 * private claim naming the namespace, service account and bound object).
 */
import { randomUUID, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { VerifiedTokens } from './verified-tokens.js';

export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
}

export interface TokenClaims {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUID: string;
  audiences: string[];
  expirationSeconds: number;
  bound?: BoundObject;
}

interface KubernetesClaim {
  namespace: string;
  serviceaccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
  secret?: { name: string; uid: string };
  node?: { name: string; uid: string };
}

export interface VerifiedToken {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUID: string;
  audiences: string[];
}

function algorithmFor(key: KeyObject): string {
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

export class TokenIssuer {
  readonly issuer: string;
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #alg: string;
  readonly #verified = new VerifiedTokens<VerifiedToken>();

  constructor(options: { privateKeyPem: string; publicKeyPem: string; issuer: string }) {
    this.issuer = options.issuer;
    this.#privateKey = createPrivateKey(options.privateKeyPem);
    this.#publicKey = createPublicKey(options.publicKeyPem);
    this.#alg = algorithmFor(this.#privateKey);
  }

  async issue(claims: TokenClaims, now = new Date()): Promise<{ token: string; expirationTimestamp: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + claims.expirationSeconds;
    const k8s: KubernetesClaim = {
      namespace: claims.namespace,
      serviceaccount: { name: claims.serviceAccountName, uid: claims.serviceAccountUID },
    };
    if (claims.bound) {
      const ref = { name: claims.bound.name, uid: claims.bound.uid };
      if (claims.bound.kind === 'Pod') k8s.pod = ref;
      else if (claims.bound.kind === 'Secret') k8s.secret = ref;
      else k8s.node = ref;
    }
    const token = await new SignJWT({ 'kubernetes.io': k8s } as unknown as JWTPayload)
      .setProtectedHeader({ alg: this.#alg })
      .setIssuer(this.issuer)
      .setSubject(`system:serviceaccount:${claims.namespace}:${claims.serviceAccountName}`)
      .setAudience(claims.audiences)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.#privateKey);
    return { token, expirationTimestamp: new Date(exp * 1000) };
  }

  /** Verifies signature, issuer, time and audience; undefined when the token is not ours or not valid. */
  async verify(token: string, audiences: string[]): Promise<VerifiedToken | undefined> {
    const key = this.#verified.key(token, audiences);
    const known = this.#verified.get(key);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, this.#publicKey, { issuer: this.issuer, audience: audiences });
      const k8s = payload['kubernetes.io'] as KubernetesClaim | undefined;
      if (!k8s?.namespace || !k8s.serviceaccount?.name) return undefined;
      const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      const verified: VerifiedToken = {
        namespace: k8s.namespace,
        serviceAccountName: k8s.serviceaccount.name,
        serviceAccountUID: k8s.serviceaccount.uid,
        audiences: aud,
      };
      if (typeof payload.exp === 'number') this.#verified.set(key, verified, payload.exp * 1000);
      return verified;
    } catch {
      return undefined;
    }
  }
}
