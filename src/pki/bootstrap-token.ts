/**
 * Bootstrap tokens (k8s.io/cluster-bootstrap): `<id>.<secret>` bearer tokens kept in kube-system
 * Secrets `bootstrap-token-<id>` of type bootstrap.kubernetes.io/token, with the keys token-id,
 * token-secret, expiration (RFC 3339), usage-bootstrap-authentication and auth-extra-groups.
 * Shared by the apiserver's authenticator and the controller manager's tokencleaner.
 */
import type { KubeObject } from '../machinery/object.js';

export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
/** The group every bootstrap token's user is in. */
export const BOOTSTRAP_DEFAULT_GROUP = 'system:bootstrappers';
/** The extra group of the node join tokens `k8ts token create` makes (kubeadm: system:bootstrappers:kubeadm:default-node-token). */
export const DEFAULT_NODE_TOKEN_GROUP = 'system:bootstrappers:k8ts:default-node-token';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';

const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const EXTRA_GROUP = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

/** The id and secret of a bootstrap token; undefined when the text is not one. */
export function parseBootstrapToken(token: string): { id: string; secret: string } | undefined {
  const m = TOKEN.exec(token);
  return m ? { id: m[1] as string, secret: m[2] as string } : undefined;
}

/** A key of the Secret's data as text ('' when absent). */
export function secretString(secret: KubeObject, key: string): string {
  const data = secret['data'] as Record<string, string> | undefined;
  const value = data?.[key];
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '';
}

/**
 * Milliseconds until the token's expiration (Infinity without one); ≤ 0 once expired. An
 * expiration that does not parse counts as expired, as upstream.
 */
export function bootstrapTokenTimeLeft(secret: KubeObject, nowMs: number): number {
  const expiration = secretString(secret, 'expiration');
  if (expiration === '') return Number.POSITIVE_INFINITY;
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(expiration) ? Date.parse(expiration) : Number.NaN;
  return Number.isNaN(at) ? 0 : at - nowMs;
}

/** system:bootstrappers and the valid auth-extra-groups, sorted; throws on an invalid extra group. */
export function bootstrapTokenGroups(secret: KubeObject): string[] {
  const groups = new Set([BOOTSTRAP_DEFAULT_GROUP]);
  const extra = secretString(secret, 'auth-extra-groups');
  for (const group of extra === '' ? [] : extra.split(',')) {
    if (!EXTRA_GROUP.test(group)) throw new Error(`bootstrap-group "${group}" is invalid (must match ${EXTRA_GROUP.source})`);
    groups.add(group);
  }
  return [...groups].sort();
}
