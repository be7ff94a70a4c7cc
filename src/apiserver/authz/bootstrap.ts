/**
 * The authorizer before RBAC: system:masters may do everything; every user may read the
 * public information (health, version) and, when authenticated, discovery and OpenAPI —
 * as upstream's bootstrap roles system:public-info-viewer and system:discovery allow.
 */
import type { UserInfo } from '../registry/context.js';
import type { Attributes, Authorizer, Decision, SubjectRules } from './interface.js';

const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version'];
const DISCOVERY_PATHS = ['/api', '/apis', '/openapi'];

function underAny(path: string, prefixes: string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

export class BootstrapAuthorizer implements Authorizer {
  authorize(attrs: Attributes): Decision {
    if (attrs.user.groups.includes('system:masters')) return { allowed: true, reason: '' };
    if (!attrs.isResourceRequest && attrs.verb === 'get') {
      if (underAny(attrs.path, PUBLIC_PATHS)) return { allowed: true, reason: '' };
      if (attrs.user.groups.includes('system:authenticated') && underAny(attrs.path, DISCOVERY_PATHS)) return { allowed: true, reason: '' };
    }
    // anyone may ask what they themselves may do
    if (
      attrs.isResourceRequest &&
      attrs.verb === 'create' &&
      attrs.group === 'authorization.k8s.io' &&
      attrs.resource.startsWith('selfsubject')
    ) {
      return { allowed: attrs.user.groups.includes('system:authenticated'), reason: '' };
    }
    if (
      attrs.isResourceRequest &&
      attrs.verb === 'create' &&
      attrs.group === 'authentication.k8s.io' &&
      attrs.resource === 'selfsubjectreviews'
    ) {
      return { allowed: attrs.user.groups.includes('system:authenticated'), reason: '' };
    }
    return { allowed: false, reason: '' };
  }

  /** system:masters hold everything; the rest is RBAC's to tell. */
  rulesFor(user: UserInfo): SubjectRules {
    if (!user.groups.includes('system:masters')) return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
}

/** Upstream's Forbidden message for a denied request. */
export function forbiddenMessage(attrs: Attributes): string {
  const user = `User "${attrs.user.name}"`;
  if (!attrs.isResourceRequest) return `${user} cannot ${attrs.verb} path "${attrs.path}"`;
  const res = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? ` in the namespace "${attrs.namespace}"` : ' at the cluster scope';
  return `${user} cannot ${attrs.verb} resource "${res}" in API group "${attrs.group}"${scope}`;
}
