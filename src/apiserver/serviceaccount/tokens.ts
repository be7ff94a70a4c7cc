/**
 * Service-account tokens: JWTs signed with DIR/pki/sa.key, with upstream's claims
 * (iss, sub system:serviceaccount:<ns>:<name>, aud, exp/iat/nbf, jti and the kubernetes.io
 * private claim naming the namespace, service account and bound object), and their
 * verification (pkg/serviceaccount/jwt.go + claims.go: signature, issuer, time with a minute of
 * leeway; the audiences are the authenticator's to check).
 */
import { randomUUID, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { algorithmFor, keyID } from './keys.js';
import { VerifiedTokens } from './verified-tokens.js';

export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
}

export interface ObjectRef {
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
  /** A bound pod's node (upstream's ServiceAccountTokenPodNodeInfo): its name and UID go in the node claim. */
  podNode?: ObjectRef;
}

interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
}

export interface VerifiedToken {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUID: string;
  audiences: string[];
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  /** The token's jti claim. */
  id?: string;
}

/** upstream jwt.DefaultLeeway */
const LEEWAY_SECONDS = 60;

/** The issuer a JWT claims, before any verification; undefined when the text is not a JWT. */
export function unverifiedIssuer(token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies a JWS with the public key; throws a message fit for a client (never the token) when it does not verify. */
export async function verifySignedClaims(token: string, key: KeyObject, issuer: string): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, key, { issuer, clockTolerance: LEEWAY_SECONDS })).payload;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new Error('service account token has expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf')
      throw new Error('service account token is not valid yet');
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'iat')
      throw new Error('service account token is issued in the future');
    throw new Error('invalid bearer token');
  }
}

export class TokenIssuer {
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly #privateKey: KeyObject;
  readonly #alg: string;
  readonly #kid: string;
  readonly #verified = new VerifiedTokens<VerifiedToken>();

  constructor(options: { privateKeyPem: string; publicKeyPem: string; issuer: string }) {
    this.issuer = options.issuer;
    this.#privateKey = createPrivateKey(options.privateKeyPem);
    this.publicKey = createPublicKey(options.publicKeyPem);
    this.#alg = algorithmFor(this.#privateKey);
    this.#kid = keyID(this.publicKey);
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
      if (claims.bound.kind === 'Pod') {
        k8s.pod = ref;
        if (claims.podNode) k8s.node = { name: claims.podNode.name, uid: claims.podNode.uid };
      } else if (claims.bound.kind === 'Secret') k8s.secret = ref;
      else k8s.node = ref;
    }
    const token = await new SignJWT({ 'kubernetes.io': k8s } as unknown as JWTPayload)
      .setProtectedHeader({ alg: this.#alg, kid: this.#kid })
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

  /**
   * Verifies signature, issuer and time of one of our tokens; throws (a client-safe message)
   * when it does not verify or lacks the kubernetes.io claim. A token verified in the last 10 s
   * is not checked again (verified-tokens.ts).
   */
  async verify(token: string): Promise<VerifiedToken> {
    const key = this.#verified.key(token, []);
    const known = this.#verified.get(key);
    if (known) return known;
    const payload = await verifySignedClaims(token, this.publicKey, this.issuer);
    const k8s = payload['kubernetes.io'] as KubernetesClaim | undefined;
    if (!k8s?.namespace || !k8s.serviceaccount?.name) throw new Error('service account token claims could not be validated');
    const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const verified: VerifiedToken = {
      namespace: k8s.namespace,
      serviceAccountName: k8s.serviceaccount.name,
      serviceAccountUID: k8s.serviceaccount.uid,
      audiences: aud,
      ...(k8s.pod ? { pod: k8s.pod } : {}),
      ...(k8s.secret ? { secret: k8s.secret } : {}),
      ...(k8s.node ? { node: k8s.node } : {}),
      ...(typeof payload.jti === 'string' && payload.jti !== '' ? { id: payload.jti } : {}),
    };
    if (typeof payload.exp === 'number') this.#verified.set(key, verified, payload.exp * 1000);
    return verified;
  }
}
