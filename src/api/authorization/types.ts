/** authorization.k8s.io/v1 types (k8s.io/api/authorization/v1); field numbers from upstream's generated.proto.
 *
 * The authentication.k8s.io/v1 reviews (TokenReview, SelfSubjectReview) live beside it in types-authentication.ts. */
import { boolean, defineTypes, field, list, map, META, OBJECT_META, ref, string } from '../../machinery/schema/dsl.js';
import './types-authentication.js';

export { AUTHENTICATION_V1, TOKEN_REVIEW, SELF_SUBJECT_REVIEW, USER_INFO } from './types-authentication.js';

/** Definition-name prefix of this group version. */
export const AUTHORIZATION_V1 = 'io.k8s.api.authorization.v1';

export const SELF_SUBJECT_ACCESS_REVIEW = `${AUTHORIZATION_V1}.SelfSubjectAccessReview`;
export const SUBJECT_ACCESS_REVIEW = `${AUTHORIZATION_V1}.SubjectAccessReview`;
export const LOCAL_SUBJECT_ACCESS_REVIEW = `${AUTHORIZATION_V1}.LocalSubjectAccessReview`;
export const SELF_SUBJECT_RULES_REVIEW = `${AUTHORIZATION_V1}.SelfSubjectRulesReview`;
export const FIELD_SELECTOR_REQUIREMENT = `${META}.FieldSelectorRequirement`;

defineTypes(
  {
    name: `${AUTHORIZATION_V1}.SelfSubjectAccessReview`,
    description:
      'SelfSubjectAccessReview checks whether or the current user can perform an action. Not filling in a spec.namespace means "in all namespaces".',
    gvk: { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' },
    required: ['spec'],
    fields: {
      metadata: field(1, ref(OBJECT_META), 'Standard list metadata.'),
      spec: field(
        2,
        ref(`${AUTHORIZATION_V1}.SelfSubjectAccessReviewSpec`),
        'Spec holds information about the request being evaluated. user and groups must be empty',
      ),
      status: field(
        3,
        ref(`${AUTHORIZATION_V1}.SubjectAccessReviewStatus`),
        'Status is filled in by the server and indicates whether the request is allowed or not',
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.SubjectAccessReview`,
    description: 'SubjectAccessReview checks whether or not a user or group can perform an action.',
    gvk: { group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview' },
    required: ['spec'],
    fields: {
      metadata: field(1, ref(OBJECT_META), 'Standard list metadata.'),
      spec: field(2, ref(`${AUTHORIZATION_V1}.SubjectAccessReviewSpec`), 'Spec holds information about the request being evaluated'),
      status: field(
        3,
        ref(`${AUTHORIZATION_V1}.SubjectAccessReviewStatus`),
        'Status is filled in by the server and indicates whether the request is allowed or not',
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.LocalSubjectAccessReview`,
    description:
      'LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given namespace. Having a namespace scoped resource makes it much easier to grant namespace scoped policy that includes permissions checking.',
    gvk: { group: 'authorization.k8s.io', version: 'v1', kind: 'LocalSubjectAccessReview' },
    required: ['spec'],
    fields: {
      metadata: field(1, ref(OBJECT_META), 'Standard list metadata.'),
      spec: field(
        2,
        ref(`${AUTHORIZATION_V1}.SubjectAccessReviewSpec`),
        'Spec holds information about the request being evaluated. spec.namespace must be equal to the namespace you made the request against. If empty, it is defaulted.',
      ),
      status: field(
        3,
        ref(`${AUTHORIZATION_V1}.SubjectAccessReviewStatus`),
        'Status is filled in by the server and indicates whether the request is allowed or not',
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.SelfSubjectRulesReview`,
    description:
      "SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace. The returned list of actions may be incomplete depending on the server's authorization mode, and any errors experienced during the evaluation.",
    gvk: { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview' },
    required: ['spec'],
    fields: {
      metadata: field(1, ref(OBJECT_META), 'Standard list metadata.'),
      spec: field(2, ref(`${AUTHORIZATION_V1}.SelfSubjectRulesReviewSpec`), 'Spec holds information about the request being evaluated.'),
      status: field(
        3,
        ref(`${AUTHORIZATION_V1}.SubjectRulesReviewStatus`),
        'Status is filled in by the server and indicates the set of actions a user can perform.',
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.SelfSubjectAccessReviewSpec`,
    description:
      'SelfSubjectAccessReviewSpec is a description of the access request. Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set',
    fields: {
      resourceAttributes: field(
        1,
        ref(`${AUTHORIZATION_V1}.ResourceAttributes`),
        'ResourceAuthorizationAttributes describes information for a resource access request',
      ),
      nonResourceAttributes: field(
        2,
        ref(`${AUTHORIZATION_V1}.NonResourceAttributes`),
        'NonResourceAttributes describes information for a non-resource access request',
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.SubjectAccessReviewStatus`,
    description: 'SubjectAccessReviewStatus',
    required: ['allowed'],
    fields: {
      allowed: field(1, boolean, 'Allowed is required. True if the action would be allowed, false otherwise.'),
      denied: field(4, boolean, 'Denied is optional. True if the action would be denied, otherwise false.'),
      reason: field(2, string, 'Reason is optional. It indicates why a request was allowed or denied.'),
      evaluationError: field(
        3,
        string,
        'EvaluationError is an indication that some error occurred during the authorization check. It is entirely possible to get an error and be able to continue determine authorization status in spite of it.',
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.SubjectAccessReviewSpec`,
    description:
      'SubjectAccessReviewSpec is a description of the access request. Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set',
    fields: {
      resourceAttributes: field(
        1,
        ref(`${AUTHORIZATION_V1}.ResourceAttributes`),
        'ResourceAuthorizationAttributes describes information for a resource access request',
      ),
      nonResourceAttributes: field(
        2,
        ref(`${AUTHORIZATION_V1}.NonResourceAttributes`),
        'NonResourceAttributes describes information for a non-resource access request',
      ),
      user: field(
        3,
        string,
        'User is the user you\'re testing for. If you specify "User" but not "Groups", then is it interpreted as "What if User were not a member of any groups',
      ),
      groups: field(4, list(string), "Groups is the groups you're testing for.", { listType: 'atomic' }),
      extra: field(
        5,
        map(list(string)),
        'Extra corresponds to the user.Info.GetExtra() method from the authenticator. Since that is input to the authorizer it needs a reflection here.',
      ),
      uid: field(6, string, 'UID information about the requesting user.'),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.SelfSubjectRulesReviewSpec`,
    description: 'SelfSubjectRulesReviewSpec defines the specification for SelfSubjectRulesReview.',
    fields: {
      namespace: field(1, string, 'Namespace to evaluate rules for. Required.'),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.SubjectRulesReviewStatus`,
    description:
      'SubjectRulesReviewStatus contains the result of a rules check. This check can be incomplete depending on the set of authorizers the server is configured with and any errors experienced during evaluation.',
    required: ['resourceRules', 'nonResourceRules', 'incomplete'],
    fields: {
      resourceRules: field(
        1,
        list(ref(`${AUTHORIZATION_V1}.ResourceRule`)),
        "ResourceRules is the list of actions the subject is allowed to perform on resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
        { listType: 'atomic' },
      ),
      nonResourceRules: field(
        2,
        list(ref(`${AUTHORIZATION_V1}.NonResourceRule`)),
        "NonResourceRules is the list of actions the subject is allowed to perform on non-resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
        { listType: 'atomic' },
      ),
      incomplete: field(
        3,
        boolean,
        "Incomplete is true when the rules returned by this call are incomplete. This is most commonly encountered when an authorizer, such as an external authorizer, doesn't support rules evaluation.",
      ),
      evaluationError: field(
        4,
        string,
        "EvaluationError can appear in combination with Rules. It indicates an error occurred during rule evaluation, such as an authorizer that doesn't support rule evaluation, and that ResourceRules and/or NonResourceRules may be incomplete.",
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.ResourceAttributes`,
    description: 'ResourceAttributes includes the authorization attributes available for resource requests to the Authorizer interface',
    fields: {
      namespace: field(1, string, 'Namespace is the namespace of the action being requested.'),
      verb: field(
        2,
        string,
        'Verb is a kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy. "*" means all.',
      ),
      group: field(3, string, 'Group is the API Group of the Resource. "*" means all.'),
      version: field(4, string, 'Version is the API Version of the Resource. "*" means all.'),
      resource: field(5, string, 'Resource is one of the existing resource types. "*" means all.'),
      subresource: field(6, string, 'Subresource is one of the existing resource types. "" means none.'),
      name: field(
        7,
        string,
        'Name is the name of the resource being requested for a "get" or deleted for a "delete". "" (empty) means all.',
      ),
      fieldSelector: field(
        8,
        ref(`${AUTHORIZATION_V1}.FieldSelectorAttributes`),
        'fieldSelector describes the limitation on access based on field. It can only limit access, not broaden it.',
      ),
      labelSelector: field(
        9,
        ref(`${AUTHORIZATION_V1}.LabelSelectorAttributes`),
        'labelSelector describes the limitation on access based on labels. It can only limit access, not broaden it.',
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.NonResourceAttributes`,
    description:
      'NonResourceAttributes includes the authorization attributes available for non-resource requests to the Authorizer interface',
    fields: {
      path: field(1, string, 'Path is the URL path of the request'),
      verb: field(2, string, 'Verb is the standard HTTP verb'),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.ResourceRule`,
    description:
      "ResourceRule is the list of actions the subject is allowed to perform on resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
    required: ['verbs'],
    fields: {
      verbs: field(
        1,
        list(string),
        'Verb is a list of kubernetes resource API verbs, like: get, list, watch, create, update, delete, proxy. "*" means all.',
        { listType: 'atomic' },
      ),
      apiGroups: field(
        2,
        list(string),
        'APIGroups is the name of the APIGroup that contains the resources. If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed.',
        { listType: 'atomic' },
      ),
      resources: field(
        3,
        list(string),
        'Resources is a list of resources this rule applies to. "*" means all in the specified apiGroups.',
        { listType: 'atomic' },
      ),
      resourceNames: field(
        4,
        list(string),
        'ResourceNames is an optional white list of names that the rule applies to. An empty set means that everything is allowed.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.NonResourceRule`,
    description: 'NonResourceRule holds information that describes a rule for the non-resource',
    required: ['verbs'],
    fields: {
      verbs: field(
        1,
        list(string),
        'Verb is a list of kubernetes non-resource API verbs, like: get, post, put, delete, patch, head, options. "*" means all.',
        { listType: 'atomic' },
      ),
      nonResourceURLs: field(
        2,
        list(string),
        'NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path. "*" means all.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.FieldSelectorAttributes`,
    description:
      'FieldSelectorAttributes indicates a field limited access. Webhook authors are encouraged to * ensure rawSelector and requirements are not both set * consider the requirements field if set * not try to parse or consider the rawSelector field if set.',
    fields: {
      rawSelector: field(
        1,
        string,
        'rawSelector is the serialization of a field selector that would be included in a query parameter. Webhook implementations are encouraged to ignore rawSelector.',
      ),
      requirements: field(
        2,
        list(ref(`${META}.FieldSelectorRequirement`)),
        'requirements is the parsed interpretation of a field selector. All requirements must be met for a resource instance to match the selector.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${AUTHORIZATION_V1}.LabelSelectorAttributes`,
    description:
      'LabelSelectorAttributes indicates a label limited access. Webhook authors are encouraged to * ensure rawSelector and requirements are not both set * consider the requirements field if set * not try to parse or consider the rawSelector field if set.',
    fields: {
      rawSelector: field(
        1,
        string,
        'rawSelector is the serialization of a field selector that would be included in a query parameter. Webhook implementations are encouraged to ignore rawSelector.',
      ),
      requirements: field(
        2,
        list(ref(`${META}.LabelSelectorRequirement`)),
        'requirements is the parsed interpretation of a label selector. All requirements must be met for a resource instance to match the selector.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${META}.FieldSelectorRequirement`,
    description: 'FieldSelectorRequirement is a selector that contains values, a key, and an operator that relates the key and values.',
    required: ['key', 'operator'],
    fields: {
      key: field(1, string, 'key is the field selector key that the requirement applies to.'),
      operator: field(
        2,
        string,
        "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist.",
        { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
      ),
      values: field(
        3,
        list(string),
        'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty.',
        { listType: 'atomic' },
      ),
    },
  },
);
