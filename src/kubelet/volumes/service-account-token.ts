/**
 * Projected serviceAccountToken sources (pkg/kubelet/token manager): a TokenRequest for the pod's
 * ServiceAccount, bound to the pod, kept per pod and requested again once 80 % of its lifetime
 * passed (or after 24 h), as upstream's token manager does.
 */
import { asObj, num, str, type Obj } from '../../api/core/access.js';
import type { CachedToken, VolumeContext } from './interface.js';

const DEFAULT_EXPIRATION_SECONDS = 3600;
const MAX_TTL_MS = 24 * 3600 * 1000;

/** When a token must be replaced: at 80 % of its lifetime, and no later than 24 h after issue. */
export function tokenRefreshAt(t: CachedToken): number {
  return Math.min(t.issuedAt + 0.8 * (t.expiresAt - t.issuedAt), t.issuedAt + MAX_TTL_MS);
}

/** The pod-bound token for a serviceAccountToken source, from the cache while it is fresh. */
export async function serviceAccountToken(ctx: VolumeContext, source: Obj): Promise<CachedToken> {
  const pod = ctx.pod;
  const serviceAccount = str(asObj(pod['spec'])?.['serviceAccountName']) || 'default';
  const audience = str(source['audience']);
  const expirationSeconds = num(source['expirationSeconds']) ?? DEFAULT_EXPIRATION_SECONDS;
  const key = `${serviceAccount}\n${audience}\n${expirationSeconds}`;
  const cached = ctx.tokens.get(key);
  if (cached && ctx.now < tokenRefreshAt(cached)) return cached;
  const issued = await ctx.objects.serviceAccountToken(pod.metadata.namespace ?? '', serviceAccount, {
    audiences: audience ? [audience] : [],
    expirationSeconds,
    boundPod: { name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  });
  const token: CachedToken = { token: issued.token, expiresAt: issued.expiresAt, issuedAt: issued.expiresAt - expirationSeconds * 1000 };
  ctx.tokens.set(key, token);
  return token;
}
