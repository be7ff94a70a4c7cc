/**
 * Service-account token authentication (pkg/serviceaccount/jwt.go, claims.go, legacy.go):
 * bound tokens of our issuer are valid for their audiences while the ServiceAccount, and the
 * Pod, Secret or Node they are bound to, exist with the UIDs of the claims and were not deleted
 * more than a minute ago; legacy Secret-based tokens (issuer kubernetes/serviceaccount) while
 * their Secret exists and holds the same token. The user is system:serviceaccount:<ns>:<name>,
 * with the bound pod, node and the token's ID in its extra fields.
 */
import type { KubeObject } from '../../machinery/object.js';
import type { UserInfo } from '../registry/context.js';
import type { TokenAuthenticator, TokenResponse } from '../authn/interface.js';
import { audienceError, intersectAudiences } from '../authn/token-authenticator.js';
import type { ServiceAccountTokenGetter } from './getter.js';
import { type ObjectRef, type TokenIssuer, unverifiedIssuer } from './tokens.js';
import { LEGACY_ISSUER, verifyLegacyToken } from './legacy-tokens.js';
import { secretString } from '../../pki/bootstrap-token.js';

export const POD_NAME_KEY = 'authentication.kubernetes.io/pod-name';
export const POD_UID_KEY = 'authentication.kubernetes.io/pod-uid';
export const NODE_NAME_KEY = 'authentication.kubernetes.io/node-name';
export const NODE_UID_KEY = 'authentication.kubernetes.io/node-uid';
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';

/** A legacy token Secret with this label (a date) no longer authenticates. */
export const LEGACY_TOKEN_INVALID_SINCE = 'kubernetes.io/legacy-token-invalid-since';

/** upstream jwt.DefaultLeeway: objects deleted before now - 1 minute invalidate their tokens. */
const LEEWAY_MS = 60_000;

export interface ServiceAccountTokenAuthenticatorOptions {
  issuer: TokenIssuer;
  getter: ServiceAccountTokenGetter;
  /** The API audiences: what a legacy token (which has none) is valid for. */
  apiAudiences: readonly string[];
  now?: () => number;
}

interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUID?: string;
  nodeName?: string;
  nodeUID?: string;
  credentialID?: string;
}

/** ServiceAccountInfo.UserInfo() */
export function serviceAccountUser(info: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (info.podName && info.podUID) {
    extra[POD_NAME_KEY] = [info.podName];
    extra[POD_UID_KEY] = [info.podUID];
  }
  if (info.nodeName) {
    extra[NODE_NAME_KEY] = [info.nodeName];
    if (info.nodeUID) extra[NODE_UID_KEY] = [info.nodeUID];
  }
  if (info.credentialID) extra[CREDENTIAL_ID_KEY] = [info.credentialID];
  return {
    name: `system:serviceaccount:${info.namespace}:${info.name}`,
    uid: info.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${info.namespace}`],
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  readonly #issuer: TokenIssuer;
  readonly #getter: ServiceAccountTokenGetter;
  readonly #apiAudiences: readonly string[];
  readonly #now: () => number;

  constructor(options: ServiceAccountTokenAuthenticatorOptions) {
    this.#issuer = options.issuer;
    this.#getter = options.getter;
    this.#apiAudiences = options.apiAudiences;
    this.#now = options.now ?? Date.now;
  }

  async authenticateToken(token: string, audiences: readonly string[]): Promise<TokenResponse | undefined> {
    const iss = unverifiedIssuer(token);
    if (iss === this.#issuer.issuer) return this.#bound(token, audiences);
    if (iss === LEGACY_ISSUER) return this.#legacy(token, audiences);
    return undefined;
  }

  async #bound(token: string, audiences: readonly string[]): Promise<TokenResponse> {
    const claims = await this.#issuer.verify(token);
    const auds = intersectAudiences(audiences, claims.audiences);
    if (auds.length === 0) throw audienceError(claims.audiences, audiences);
    const { namespace } = claims;
    this.#validateServiceAccount(namespace, claims.serviceAccountName, claims.serviceAccountUID);
    if (claims.secret) this.#validateBound('secret', this.#getter.secret(namespace, claims.secret.name), claims.secret);
    if (claims.pod) this.#validateBound('pod', this.#getter.pod(namespace, claims.pod.name), claims.pod);
    if (claims.node && !claims.pod) this.#validateBound('node', this.#getter.node(claims.node.name), claims.node);
    const user = serviceAccountUser({
      namespace,
      name: claims.serviceAccountName,
      uid: claims.serviceAccountUID,
      ...(claims.pod ? { podName: claims.pod.name, podUID: claims.pod.uid } : {}),
      ...(claims.node ? { nodeName: claims.node.name, nodeUID: claims.node.uid } : {}),
      ...(claims.id ? { credentialID: `JTI=${claims.id}` } : {}),
    });
    return { user, audiences: auds };
  }

  async #legacy(token: string, audiences: readonly string[]): Promise<TokenResponse> {
    const claims = await verifyLegacyToken(token, this.#issuer.publicKey);
    // a legacy token has no audience: it is good for the API's own
    const auds = intersectAudiences(audiences, this.#apiAudiences);
    if (auds.length === 0) throw audienceError(this.#apiAudiences, audiences);
    const secret = this.#getter.secret(claims.namespace, claims.secretName);
    // legacy tokens get no leeway: a Secret or account being deleted ends them at once
    if (!secret || secret.metadata.deletionTimestamp) throw new Error('token has been invalidated');
    if (secretString(secret, 'token') !== token) throw new Error("token does not match server's copy");
    const { namespace, serviceAccountName: name, serviceAccountUID: uid } = claims;
    if (secret.metadata.labels?.[LEGACY_TOKEN_INVALID_SINCE]) {
      throw new Error(
        `the token in secret ${namespace}/${claims.secretName} for service account ${namespace}/${name} has been marked invalid. ` +
          `Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${LEGACY_TOKEN_INVALID_SINCE}' label from the secret to re-enable it`,
      );
    }
    const sa = this.#getter.serviceAccount(namespace, name);
    if (!sa) throw new Error(`serviceaccounts "${name}" not found`);
    if (sa.metadata.deletionTimestamp) throw new Error(`service account ${namespace}/${name} has been deleted`);
    if (sa.metadata.uid !== uid) throw new Error(`service account UID (${sa.metadata.uid ?? ''}) does not match claim (${uid})`);
    return { user: serviceAccountUser({ namespace, name, uid }), audiences: auds };
  }

  #validateServiceAccount(namespace: string, name: string, uid: string): void {
    const sa = this.#getter.serviceAccount(namespace, name);
    if (!sa) throw new Error(`serviceaccounts "${name}" not found`);
    if (sa.metadata.uid !== uid) throw new Error(`service account UID (${sa.metadata.uid ?? ''}) does not match claim (${uid})`);
    if (this.#deleted(sa)) throw new Error(`service account ${namespace}/${name} has been deleted`);
  }

  /** The bound object exists with the claim's UID and was not deleted more than the leeway ago. */
  #validateBound(kind: 'secret' | 'pod' | 'node', object: KubeObject | undefined, ref: ObjectRef): void {
    if (!object) throw new Error('service account token has been invalidated');
    if (object.metadata.uid !== ref.uid) {
      throw new Error(`${kind} UID (${object.metadata.uid ?? ''}) does not match service account ${kind} ref claim (${ref.uid})`);
    }
    if (this.#deleted(object)) throw new Error('service account token has been invalidated');
  }

  #deleted(object: KubeObject): boolean {
    const at = object.metadata.deletionTimestamp;
    return typeof at === 'string' && Date.parse(at) < this.#now() - LEEWAY_MS;
  }
}
