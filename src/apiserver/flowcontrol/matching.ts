/**
 * Request classification of API Priority and Fairness (upstream's util/flowcontrol/match.go):
 * whether a FlowSchema's rules match a request's user and attributes, and the flow
 * distinguisher (ByUser: the user name, ByNamespace: the namespace) of a matched request.
 */
import type { RequestInfo } from '../request-info.js';
import type { UserInfo } from '../registry/context.js';
import type { NonResourcePolicyRule, PolicyRulesWithSubjects, ResourcePolicyRule, Subject } from './bootstrap-objects.js';

/** What classification looks at: the authenticated user and the request's attributes. */
export interface RequestDigest {
  user: UserInfo;
  info: RequestInfo;
}

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

function matchesSubject(user: UserInfo, s: Subject): boolean {
  switch (s.kind) {
    case 'User':
      return s.user?.name === '*' || s.user?.name === user.name;
    case 'Group':
      return s.group?.name === '*' || (s.group !== undefined && user.groups.includes(s.group.name));
    case 'ServiceAccount': {
      if (!s.serviceAccount || !user.name.startsWith(SERVICE_ACCOUNT_PREFIX)) return false;
      const [namespace, name, ...rest] = user.name.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
      if (rest.length > 0 || !namespace || !name) return false;
      return s.serviceAccount.namespace === namespace && (s.serviceAccount.name === '*' || s.serviceAccount.name === name);
    }
    default:
      return false;
  }
}

const has = (list: readonly string[] | undefined, value: string): boolean =>
  list !== undefined && (list.includes('*') || list.includes(value));

function matchesResourceRule(info: RequestInfo, r: ResourcePolicyRule): boolean {
  if (!has(r.verbs, info.verb) || !has(r.apiGroups, info.group)) return false;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  if (!has(r.resources, resource)) return false;
  return info.namespace === '' ? r.clusterScope === true : has(r.namespaces, info.namespace);
}

function matchesNonResourceURL(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === path) return true;
  return pattern.endsWith('/*') && path.startsWith(pattern.slice(0, -1));
}

function matchesNonResourceRule(info: RequestInfo, r: NonResourcePolicyRule): boolean {
  return has(r.verbs, info.verb) && r.nonResourceURLs.some((u) => matchesNonResourceURL(u, info.path));
}

/** One PolicyRulesWithSubjects: a subject matches and a rule of the request's kind matches. */
export function matchesPolicyRule(digest: RequestDigest, rule: PolicyRulesWithSubjects): boolean {
  if (!rule.subjects.some((s) => matchesSubject(digest.user, s))) return false;
  if (digest.info.isResourceRequest) return (rule.resourceRules ?? []).some((r) => matchesResourceRule(digest.info, r));
  return (rule.nonResourceRules ?? []).some((r) => matchesNonResourceRule(digest.info, r));
}

/** A FlowSchema matches when any of its rules does. */
export function matchesFlowSchema(digest: RequestDigest, rules: readonly PolicyRulesWithSubjects[]): boolean {
  return rules.some((r) => matchesPolicyRule(digest, r));
}

/** computeFlowDistinguisher. */
export function flowDistinguisher(digest: RequestDigest, method: string | undefined): string {
  if (method === 'ByUser') return digest.user.name;
  if (method === 'ByNamespace') return digest.info.namespace;
  return '';
}
