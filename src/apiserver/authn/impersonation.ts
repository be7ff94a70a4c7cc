/**
 * Impersonation (upstream endpoints/filters/impersonation.go): the Impersonate-User,
 * Impersonate-Group (repeated), Impersonate-Uid and Impersonate-Extra-<key> headers make the
 * request act as another user. Each requested part is authorized for the authenticated user with
 * the verb `impersonate` on users, serviceaccounts (system:serviceaccount:<ns>:<name> users),
 * groups, uids or userextras/<key>; the first refusal answers 403. The impersonated user gets
 * system:authenticated (system:unauthenticated for system:anonymous) unless named already, and a
 * ServiceAccount's groups when no group is asked for.
 */
import type { IncomingMessage } from 'node:http';
import { newForbidden, StatusError } from '../../machinery/errors.js';
import type { Attributes, Authorizer } from '../authz/interface.js';
import { forbiddenMessage } from '../authz/bootstrap.js';
import type { UserInfo } from '../registry/context.js';

const USER_HEADER = 'impersonate-user';
const GROUP_HEADER = 'impersonate-group';
const UID_HEADER = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/** One thing asked to be impersonated (upstream uses an ObjectReference per part). */
export interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace?: string;
  name: string;
  /** UserExtra: the extra's key. */
  key?: string;
}

/** upstream serviceaccount.SplitUsername: namespace and name of a ServiceAccount's user name, if it is one. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** The header's values, every repetition apart (Node joins repeated unknown headers with ", "). */
function headerValues(req: IncomingMessage, name: string): string[] {
  return (req.headersDistinct[name] ?? []).filter((v) => v !== '');
}

/** upstream unescapeExtraKey: %-encoded bytes decoded, a malformed key kept as it is. */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** Go's %v of the ObjectReferences, for upstream's error text. */
function describe(requests: ImpersonationRequest[]): string {
  const version = (r: ImpersonationRequest) => (r.kind === 'UserExtra' || r.kind === 'UID' ? `${AUTHENTICATION_GROUP}/v1` : '');
  return `[${requests.map((r) => `{${[r.kind, r.namespace ?? '', r.name, '', version(r), '', r.key ?? ''].join(' ')}}`).join(' ')}]`;
}

/** upstream buildImpersonationRequests: the parts asked for, in upstream's order (user, groups, extras, uid). */
export function impersonationRequests(req: IncomingMessage): ImpersonationRequest[] {
  const requests: ImpersonationRequest[] = [];
  const user = headerValues(req, USER_HEADER)[0];
  if (user) {
    const sa = splitServiceAccountUsername(user);
    requests.push(sa ? { kind: 'ServiceAccount', ...sa } : { kind: 'User', name: user });
  }
  for (const group of headerValues(req, GROUP_HEADER)) requests.push({ kind: 'Group', name: group });
  for (const header of Object.keys(req.headersDistinct)) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    const key = unescapeExtraKey(header.slice(EXTRA_PREFIX.length).toLowerCase());
    for (const value of req.headersDistinct[header] ?? []) requests.push({ kind: 'UserExtra', name: value, key });
  }
  const uid = headerValues(req, UID_HEADER)[0];
  if (uid) requests.push({ kind: 'UID', name: uid });
  if (requests.length > 0 && !user) {
    // upstream answers with responsewriters.InternalError: a plain-text 500
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Internal Server Error: "${req.url ?? '/'}": requested ${describe(requests)} without impersonating a user`,
      reason: 'InternalError',
      code: 500,
    });
  }
  return requests;
}

function actingAsAttributes(requestor: UserInfo, r: ImpersonationRequest): Attributes {
  const base = { user: requestor, verb: 'impersonate', isResourceRequest: true, path: '', version: '', subresource: '', namespace: '' };
  switch (r.kind) {
    case 'ServiceAccount':
      return { ...base, group: '', resource: 'serviceaccounts', namespace: r.namespace ?? '', name: r.name };
    case 'User':
      return { ...base, group: '', resource: 'users', name: r.name };
    case 'Group':
      return { ...base, group: '', resource: 'groups', name: r.name };
    case 'UserExtra':
      return { ...base, group: AUTHENTICATION_GROUP, resource: 'userextras', subresource: r.key ?? '', name: r.name };
    case 'UID':
      return { ...base, group: AUTHENTICATION_GROUP, resource: 'uids', name: r.name };
  }
}

/**
 * The user the request acts as: `requestor` itself without impersonation headers, else the
 * impersonated user once every part is authorized (a 403 StatusError otherwise).
 */
export async function impersonate(req: IncomingMessage, requestor: UserInfo, authorizer: Authorizer): Promise<UserInfo> {
  const requests = impersonationRequests(req);
  if (requests.length === 0) return requestor;
  const groupsSpecified = requests.some((r) => r.kind === 'Group');
  let name = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const attrs = actingAsAttributes(requestor, r);
    if (r.kind === 'ServiceAccount') {
      name = `${SERVICE_ACCOUNT_PREFIX}${r.namespace}:${r.name}`;
      if (!groupsSpecified) groups = ['system:serviceaccounts', `system:serviceaccounts:${r.namespace}`];
    } else if (r.kind === 'User') name = r.name;
    else if (r.kind === 'Group') groups.push(r.name);
    else if (r.kind === 'UserExtra') (extra[r.key ?? ''] ??= []).push(r.name);
    else uid = r.name;
    const decision = await authorizer.authorize(attrs);
    if (!decision.allowed) {
      const message = forbiddenMessage(attrs) + (decision.reason ? `: ${decision.reason}` : '');
      throw newForbidden({ group: attrs.group, resource: attrs.resource }, attrs.name, message);
    }
  }
  if (name !== 'system:anonymous') {
    if (!groups.includes('system:authenticated') && !groups.includes('system:unauthenticated')) groups.push('system:authenticated');
  } else if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
  return { name, groups, ...(uid ? { uid } : {}), ...(Object.keys(extra).length > 0 ? { extra } : {}) };
}
