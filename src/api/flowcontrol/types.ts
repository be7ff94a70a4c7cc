/** flowcontrol.apiserver.k8s.io/v1 types (k8s.io/api/flowcontrol/v1); field numbers from upstream's generated.proto. */
import {
  boolean,
  defineTypes,
  field,
  int32,
  list,
  LIST_META,
  OBJECT_META,
  ref,
  string,
  time,
  type TypeDef,
} from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const FLOWCONTROL_V1 = 'io.k8s.api.flowcontrol.v1';
const V = FLOWCONTROL_V1;
const GROUP = 'flowcontrol.apiserver.k8s.io';

const SET = { listType: 'set' } as const;
const ATOMIC = { listType: 'atomic' } as const;
const CONDITIONS = { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] } as const;

function condition(kind: string): TypeDef {
  return {
    name: `${V}.${kind}Condition`,
    description: `${kind}Condition describes conditions for a ${kind}.`,
    fields: {
      type: field(1, string, '`type` is the type of the condition. Required.'),
      status: field(2, string, '`status` is the status of the condition. Can be True, False, Unknown. Required.'),
      lastTransitionTime: field(3, time, '`lastTransitionTime` is the last time the condition transitioned from one status to another.'),
      reason: field(4, string, "`reason` is a unique, one-word, CamelCase reason for the condition's last transition."),
      message: field(5, string, '`message` is a human-readable message indicating details about last transition.'),
    },
  };
}

function kindAndList(kind: string, description: string, itemsDescription: string): TypeDef[] {
  return [
    {
      name: `${V}.${kind}`,
      description,
      gvk: { group: GROUP, version: 'v1', kind },
      fields: {
        metadata: field(1, ref(OBJECT_META), "`metadata` is the standard object's metadata."),
        spec: field(2, ref(`${V}.${kind}Spec`), '`spec` is the specification of the desired behavior.'),
        status: field(3, ref(`${V}.${kind}Status`), '`status` is the current status.'),
      },
    },
    {
      name: `${V}.${kind}List`,
      description: `${kind}List is a list of ${kind} objects.`,
      gvk: { group: GROUP, version: 'v1', kind: `${kind}List` },
      required: ['items'],
      fields: {
        metadata: field(1, ref(LIST_META), '`metadata` is the standard list metadata.'),
        items: field(2, list(ref(`${V}.${kind}`)), itemsDescription),
      },
    },
    {
      name: `${V}.${kind}Status`,
      description: `${kind}Status represents the current state of a ${kind}.`,
      fields: {
        conditions: field(1, list(ref(`${V}.${kind}Condition`)), '`conditions` is a list of the current states.', CONDITIONS),
      },
    },
    condition(kind),
  ];
}

defineTypes(
  ...kindAndList(
    'FlowSchema',
    'FlowSchema defines the schema of a group of flows. Note that a flow is made up of a set of inbound API requests with similar attributes and is identified by a pair of strings: the name of the FlowSchema and a "flow distinguisher".',
    '`items` is a list of FlowSchemas.',
  ),
  ...kindAndList(
    'PriorityLevelConfiguration',
    'PriorityLevelConfiguration represents the configuration of a priority level.',
    '`items` is a list of request-priorities.',
  ),
  {
    name: `${V}.FlowSchemaSpec`,
    description: "FlowSchemaSpec describes how the FlowSchema's specification looks like.",
    required: ['priorityLevelConfiguration'],
    fields: {
      priorityLevelConfiguration: field(
        1,
        ref(`${V}.PriorityLevelConfigurationReference`),
        '`priorityLevelConfiguration` should reference a PriorityLevelConfiguration in the cluster. If the reference cannot be resolved, the FlowSchema will be ignored and marked as invalid in its status. Required.',
      ),
      matchingPrecedence: field(
        2,
        int32,
        '`matchingPrecedence` is used to choose among the FlowSchemas that match a given request. The chosen FlowSchema is among those with the numerically lowest (which we take to be logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in [1,10000]. Note that if the precedence is not specified, it will be set to 1000 as default.',
      ),
      distinguisherMethod: field(
        3,
        ref(`${V}.FlowDistinguisherMethod`),
        '`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema. `nil` specifies that the distinguisher is disabled and thus will always be the empty string.',
      ),
      rules: field(
        4,
        list(ref(`${V}.PolicyRulesWithSubjects`)),
        '`rules` describes which requests will match this flow schema. This FlowSchema matches a request if and only if at least one member of rules matches the request. if it is an empty slice, there will be no requests matching the FlowSchema.',
        ATOMIC,
      ),
    },
  },
  {
    name: `${V}.PriorityLevelConfigurationReference`,
    description: 'PriorityLevelConfigurationReference contains information that points to the "request-priority" being used.',
    required: ['name'],
    fields: { name: field(1, string, '`name` is the name of the priority level configuration being referenced Required.') },
  },
  {
    name: `${V}.FlowDistinguisherMethod`,
    description: 'FlowDistinguisherMethod specifies the method of a flow distinguisher.',
    required: ['type'],
    fields: {
      type: field(
        1,
        string,
        '`type` is the type of flow distinguisher method The supported types are "ByUser" and "ByNamespace". Required.',
      ),
    },
  },
  {
    name: `${V}.PolicyRulesWithSubjects`,
    description:
      'PolicyRulesWithSubjects prescribes a test that applies to a request to an apiserver. The test considers the subject making the request, the verb being requested, and the resource to be acted upon. This PolicyRulesWithSubjects matches a request if and only if both (a) at least one member of subjects matches the request and (b) at least one member of resourceRules or nonResourceRules matches the request.',
    required: ['subjects'],
    fields: {
      subjects: field(
        1,
        list(ref(`${V}.Subject`)),
        'subjects is the list of normal user, serviceaccount, or group that this rule cares about.',
        ATOMIC,
      ),
      resourceRules: field(2, list(ref(`${V}.ResourcePolicyRule`)), '`resourceRules` is a slice of ResourcePolicyRules.', ATOMIC),
      nonResourceRules: field(
        3,
        list(ref(`${V}.NonResourcePolicyRule`)),
        '`nonResourceRules` is a list of NonResourcePolicyRules.',
        ATOMIC,
      ),
    },
  },
  {
    name: `${V}.Subject`,
    description: 'Subject matches the originator of a request, as identified by the request authentication system.',
    required: ['kind'],
    fields: {
      kind: field(1, string, '`kind` indicates which one of the other fields is non-empty. Required', {
        enum: ['Group', 'ServiceAccount', 'User'],
      }),
      user: field(2, ref(`${V}.UserSubject`), '`user` matches based on username.'),
      group: field(3, ref(`${V}.GroupSubject`), '`group` matches based on user group name.'),
      serviceAccount: field(4, ref(`${V}.ServiceAccountSubject`), '`serviceAccount` matches ServiceAccounts.'),
    },
  },
  {
    name: `${V}.UserSubject`,
    description: 'UserSubject holds detailed information for user-kind subject.',
    required: ['name'],
    fields: { name: field(1, string, '`name` is the username that matches, or "*" to match all usernames. Required.') },
  },
  {
    name: `${V}.GroupSubject`,
    description: 'GroupSubject holds detailed information for group-kind subject.',
    required: ['name'],
    fields: { name: field(1, string, 'name is the user group that matches, or "*" to match all user groups. Required.') },
  },
  {
    name: `${V}.ServiceAccountSubject`,
    description: 'ServiceAccountSubject holds detailed information for service-account-kind subject.',
    required: ['namespace', 'name'],
    fields: {
      namespace: field(1, string, '`namespace` is the namespace of matching ServiceAccount objects. Required.'),
      name: field(2, string, '`name` is the name of matching ServiceAccount objects, or "*" to match regardless of name. Required.'),
    },
  },
  {
    name: `${V}.ResourcePolicyRule`,
    description:
      "ResourcePolicyRule is a predicate that matches some resource requests, testing the request's verb and the target resource.",
    required: ['verbs', 'apiGroups', 'resources'],
    fields: {
      verbs: field(1, list(string), '`verbs` is a list of matching verbs and may not be empty. "*" matches all verbs.', SET),
      apiGroups: field(
        2,
        list(string),
        '`apiGroups` is a list of matching API groups and may not be empty. "*" matches all API groups.',
        SET,
      ),
      resources: field(
        3,
        list(string),
        '`resources` is a list of matching resources (i.e., lowercase and plural) with, if desired, subresource.',
        SET,
      ),
      clusterScope: field(4, boolean, '`clusterScope` indicates whether to match requests that do not specify a namespace.'),
      namespaces: field(5, list(string), '`namespaces` is a list of target namespaces that restricts matches.', SET),
    },
  },
  {
    name: `${V}.NonResourcePolicyRule`,
    description:
      'NonResourcePolicyRule is a predicate that matches non-resource requests according to their verb and the target non-resource URL.',
    required: ['verbs', 'nonResourceURLs'],
    fields: {
      verbs: field(1, list(string), '`verbs` is a list of matching verbs and may not be empty. "*" matches all verbs.', SET),
      nonResourceURLs: field(
        6,
        list(string),
        '`nonResourceURLs` is a set of url prefixes that a user should have access to and may not be empty.',
        SET,
      ),
    },
  },
  {
    name: `${V}.PriorityLevelConfigurationSpec`,
    description: 'PriorityLevelConfigurationSpec specifies the configuration of a priority level.',
    required: ['type'],
    fields: {
      type: field(
        1,
        string,
        '`type` indicates whether this priority level is subject to limitation on request execution.  A value of `"Exempt"` means that requests of this priority level are not subject to a limit (and thus are never queued) and do not detract from the capacity made available to other priority levels.  A value of `"Limited"` means that (a) requests of this priority level _are_ subject to limits and (b) some of the server\'s limited capacity is made available exclusively to this priority level. Required.',
        { enum: ['Exempt', 'Limited'] },
      ),
      limited: field(
        2,
        ref(`${V}.LimitedPriorityLevelConfiguration`),
        '`limited` specifies how requests are handled for a Limited priority level.',
      ),
      exempt: field(
        3,
        ref(`${V}.ExemptPriorityLevelConfiguration`),
        '`exempt` specifies how requests are handled for an exempt priority level.',
      ),
    },
  },
  {
    name: `${V}.LimitedPriorityLevelConfiguration`,
    description: 'LimitedPriorityLevelConfiguration specifies how to handle requests that are subject to limits.',
    fields: {
      nominalConcurrencyShares: field(
        1,
        int32,
        '`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level. This is the number of execution seats available at this priority level.',
      ),
      limitResponse: field(
        2,
        ref(`${V}.LimitResponse`),
        '`limitResponse` indicates what to do with requests that can not be executed right now',
      ),
      lendablePercent: field(
        3,
        int32,
        "`lendablePercent` prescribes the fraction of the level's NominalCL that can be borrowed by other priority levels.",
      ),
      borrowingLimitPercent: field(
        4,
        int32,
        '`borrowingLimitPercent`, if present, configures a limit on how many seats this priority level can borrow from other priority levels.',
      ),
    },
  },
  {
    name: `${V}.ExemptPriorityLevelConfiguration`,
    description: 'ExemptPriorityLevelConfiguration describes the configurable aspects of the handling of exempt requests.',
    fields: {
      nominalConcurrencyShares: field(
        1,
        int32,
        '`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level.',
      ),
      lendablePercent: field(
        2,
        int32,
        "`lendablePercent` prescribes the fraction of the level's NominalCL that can be borrowed by other priority levels.",
      ),
    },
  },
  {
    name: `${V}.LimitResponse`,
    description: 'LimitResponse defines how to handle requests that can not be executed right now.',
    required: ['type'],
    fields: {
      type: field(1, string, '`type` is "Queue" or "Reject". Required.', { enum: ['Queue', 'Reject'] }),
      queuing: field(2, ref(`${V}.QueuingConfiguration`), '`queuing` holds the configuration parameters for queuing.'),
    },
  },
  {
    name: `${V}.QueuingConfiguration`,
    description: 'QueuingConfiguration holds the configuration parameters for queuing',
    fields: {
      queues: field(1, int32, '`queues` is the number of queues for this priority level. This field has a default value of 64.'),
      handSize: field(
        2,
        int32,
        '`handSize` is a small positive number that configures the shuffle sharding of requests into queues. This field has a default value of 8.',
      ),
      queueLengthLimit: field(
        3,
        int32,
        '`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time; excess requests are rejected.  If not specified, it will be defaulted to 50.',
      ),
    },
  },
);
