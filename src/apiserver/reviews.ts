/**
 * Review resources that are answered, not stored: SelfSubjectAccessReview,
 * SelfSubjectRulesReview, SubjectAccessReview, LocalSubjectAccessReview (authorization.k8s.io)
 * and SelfSubjectReview and TokenReview (authentication.k8s.io).
 */
import type { ResourceType } from '../api/resource.js';
import { defineResource } from '../api/define.js';
import type { KubeObject } from '../machinery/object.js';
import { isPlainObject } from '../machinery/object.js';
import { newBadRequest, newInvalid } from '../machinery/errors.js';
import type { Authorizer } from './authz/interface.js';
import type { UserInfo } from './registry/context.js';
import { reviewToken, type TokenReviewer } from './authn/token-review.js';

const authz = { group: 'authorization.k8s.io', version: 'v1', verbs: ['create'] };

export const reviewResources: ResourceType[] = [
  defineResource({ ...authz, kind: 'LocalSubjectAccessReview', plural: 'localsubjectaccessreviews', namespaced: true }),
  defineResource({ ...authz, kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false }),
  defineResource({ ...authz, kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', namespaced: false }),
  defineResource({ ...authz, kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', namespaced: false }),
  defineResource({
    group: 'authentication.k8s.io',
    version: 'v1',
    verbs: ['create'],
    kind: 'SelfSubjectReview',
    plural: 'selfsubjectreviews',
    namespaced: false,
  }),
  defineResource({
    group: 'authentication.k8s.io',
    version: 'v1',
    verbs: ['create'],
    kind: 'TokenReview',
    plural: 'tokenreviews',
    namespaced: false,
  }),
];

export function findReview(group: string, version: string, plural: string): ResourceType | undefined {
  return reviewResources.find((r) => r.group === group && r.version === version && r.plural === plural);
}

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

async function accessReview(
  authorizer: Authorizer,
  user: UserInfo,
  spec: Record<string, unknown>,
  kind: string,
): Promise<Record<string, unknown>> {
  const ra = spec['resourceAttributes'] as ResourceAttributes | undefined;
  const nra = spec['nonResourceAttributes'] as { path?: string; verb?: string } | undefined;
  if (!ra && !nra) {
    throw newInvalid({ group: 'authorization.k8s.io', kind }, '', [
      {
        type: 'FieldValueRequired',
        field: 'spec.resourceAttributes',
        message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  const decision = await authorizer.authorize({
    user,
    verb: ra?.verb ?? nra?.verb ?? '',
    isResourceRequest: Boolean(ra),
    path: nra?.path ?? '',
    group: ra?.group ?? '',
    version: ra?.version ?? '',
    resource: ra?.resource ?? '',
    subresource: ra?.subresource ?? '',
    namespace: ra?.namespace ?? '',
    name: ra?.name ?? '',
  });
  return { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
}

/** Answers a review: the body with its status filled in. */
export async function answerReview(
  type: ResourceType,
  body: Record<string, unknown>,
  user: UserInfo,
  authorizer: Authorizer,
  namespace: string,
  tokenReviewer?: TokenReviewer,
): Promise<KubeObject> {
  const spec = isPlainObject(body['spec']) ? body['spec'] : {};
  const metadata = isPlainObject(body['metadata']) ? body['metadata'] : {};
  const out: KubeObject = {
    kind: type.kind,
    apiVersion: `${type.group}/${type.version}`,
    metadata: { ...metadata, creationTimestamp: null },
    spec,
  };
  switch (type.kind) {
    case 'SelfSubjectAccessReview':
      out['status'] = await accessReview(authorizer, user, spec, type.kind);
      break;
    case 'LocalSubjectAccessReview':
    case 'SubjectAccessReview': {
      const subject: UserInfo = {
        name: String(spec['user'] ?? ''),
        groups: Array.isArray(spec['groups']) ? (spec['groups'] as string[]) : [],
      };
      if (type.kind === 'LocalSubjectAccessReview') {
        const ra = spec['resourceAttributes'] as ResourceAttributes | undefined;
        if (ra && ra.namespace !== namespace) {
          throw newBadRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
        }
      }
      out['status'] = await accessReview(authorizer, subject, spec, type.kind);
      break;
    }
    case 'SelfSubjectRulesReview': {
      const namespace = typeof spec['namespace'] === 'string' ? spec['namespace'] : '';
      out['status'] = authorizer.rulesFor
        ? authorizer.rulesFor(user, namespace)
        : { resourceRules: [], nonResourceRules: [], incomplete: true };
      break;
    }
    case 'TokenReview':
      if (!tokenReviewer) throw newBadRequest('token review is not configured');
      out['status'] = await reviewToken(tokenReviewer, spec);
      break;
    case 'SelfSubjectReview':
      delete out['spec'];
      out['status'] = {
        userInfo: {
          username: user.name,
          groups: user.groups,
          ...(user.uid ? { uid: user.uid } : {}),
          ...(user.extra ? { extra: user.extra } : {}),
        },
      };
      break;
  }
  return out;
}
