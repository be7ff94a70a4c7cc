/** Authorization: may this user do this verb on this resource or path? (upstream authorizer.Attributes) */
import type { UserInfo } from '../registry/context.js';

export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

/** What a SelfSubjectRulesReview answers (authorization.k8s.io SubjectRulesReviewStatus). */
export interface SubjectRules {
  resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface Authorizer {
  authorize(attrs: Attributes): Decision | Promise<Decision>;
  /** The rules the user holds in a namespace (upstream's RuleResolver); absent: unknown. */
  rulesFor?(user: UserInfo, namespace: string): SubjectRules;
}
