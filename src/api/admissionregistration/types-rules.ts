/**
 * admissionregistration.k8s.io/v1 types that webhooks and policies share (k8s.io/api/admissionregistration/v1):
 * Rule, RuleWithOperations, MatchCondition. Field numbers from upstream's generated.proto.
 */
import { defineTypes, embed, field, list, string, type FieldDef } from '../../machinery/schema/dsl.js';

/** Definition-name prefix of this group version. */
export const ADMISSIONREGISTRATION_V1 = 'io.k8s.api.admissionregistration.v1';

export const RULE = `${ADMISSIONREGISTRATION_V1}.Rule`;
export const RULE_WITH_OPERATIONS = `${ADMISSIONREGISTRATION_V1}.RuleWithOperations`;
export const MATCH_CONDITION = `${ADMISSIONREGISTRATION_V1}.MatchCondition`;

const ruleFields: Readonly<Record<string, FieldDef>> = {
  apiGroups: field(1, list(string), "APIGroups is the API groups the resources belong to. '*' is all groups.", { listType: 'atomic' }),
  apiVersions: field(2, list(string), "APIVersions is the API versions the resources belong to. '*' is all versions.", {
    listType: 'atomic',
  }),
  resources: field(
    3,
    list(string),
    "Resources is a list of resources this rule applies to. '*' means all resources, 'pods/*' all subresources of pods.",
    {
      listType: 'atomic',
    },
  ),
  scope: field(4, string, 'scope specifies the scope of this rule: "Cluster", "Namespaced" or "*" (the default).'),
};

/** RuleWithOperations' own fields (operations) and its inlined Rule, for types that inline it in turn. */
export const ruleWithOperationsFields: Readonly<Record<string, FieldDef>> = {
  operations: field(
    1,
    list(string),
    'Operations is the operations the admission hook cares about - CREATE, UPDATE, DELETE, CONNECT or * for all.',
    {
      listType: 'atomic',
    },
  ),
  ...embed(RULE_WITH_OPERATIONS, 2, RULE, ruleFields),
};

defineTypes(
  // declared on its own too: protobuf encodes the inlined Rule as its own message (field 2)
  { name: RULE, description: 'Rule is a tuple of APIGroups, APIVersion, and Resources.', fields: ruleFields },
  {
    name: RULE_WITH_OPERATIONS,
    description:
      'RuleWithOperations is a tuple of Operations and Resources. It is recommended to make sure that all the tuple expansions are valid.',
    fields: ruleWithOperationsFields,
  },
  {
    name: MATCH_CONDITION,
    description: 'MatchCondition represents a condition which must by fulfilled for a request to be sent to a webhook.',
    required: ['name', 'expression'],
    fields: {
      name: field(1, string, 'Name is an identifier for this match condition, used for strategic merging of MatchConditions.'),
      expression: field(2, string, 'Expression represents the expression which will be evaluated by CEL. Must evaluate to bool.'),
    },
  },
);
