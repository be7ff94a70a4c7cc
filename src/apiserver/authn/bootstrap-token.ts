/**
 * Bootstrap token authentication (plugin/pkg/auth/authenticator/token/bootstrap): a token
 * `<id>.<secret>` authenticates as system:bootstrap:<id> in system:bootstrappers (plus the
 * Secret's auth-extra-groups) while kube-system/bootstrap-token-<id> exists, is of type
 * bootstrap.kubernetes.io/token, matches, has not expired and allows usage-bootstrap-authentication.
 * Enabled by --enable-bootstrap-token-auth.
 */
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../../machinery/object.js';
import type { UserInfo } from '../registry/context.js';
import {
  BOOTSTRAP_TOKEN_SECRET_PREFIX,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  BOOTSTRAP_USER_PREFIX,
  bootstrapTokenGroups,
  bootstrapTokenTimeLeft,
  parseBootstrapToken,
  secretString,
} from '../../pki/bootstrap-token.js';

export interface BootstrapTokenAuthenticatorOptions {
  /** A Secret of kube-system by name, from the watch cache. */
  secret: (name: string) => KubeObject | undefined;
  now?: () => number;
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export class BootstrapTokenAuthenticator {
  readonly #secret: (name: string) => KubeObject | undefined;
  readonly #now: () => number;

  constructor(options: BootstrapTokenAuthenticatorOptions) {
    this.#secret = options.secret;
    this.#now = options.now ?? Date.now;
  }

  /** undefined for anything but a valid bootstrap token, as upstream (no error either way). */
  async authenticateToken(token: string): Promise<UserInfo | undefined> {
    const parsed = parseBootstrapToken(token);
    if (!parsed) return undefined;
    const secret = this.#secret(BOOTSTRAP_TOKEN_SECRET_PREFIX + parsed.id);
    if (!secret || secret.metadata.deletionTimestamp || secret['type'] !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
    if (!sameText(secretString(secret, 'token-secret'), parsed.secret)) return undefined;
    if (secretString(secret, 'token-id') !== parsed.id) return undefined;
    if (bootstrapTokenTimeLeft(secret, this.#now()) <= 0) return undefined;
    if (secretString(secret, 'usage-bootstrap-authentication') !== 'true') return undefined;
    let groups: string[];
    try {
      groups = bootstrapTokenGroups(secret);
    } catch {
      return undefined;
    }
    return { name: BOOTSTRAP_USER_PREFIX + parsed.id, groups };
  }
}
