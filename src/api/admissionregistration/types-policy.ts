/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
 * (k8s.io/api/admissionregistration/v1); field numbers from upstream's generated.proto.
 */
import {
  CONDITION,
  defineTypes,
  embed,
  field,
  int64,
  LABEL_SELECTOR,
  list,
  LIST_META,
  OBJECT_META,
  ref,
  string,
} from '../../machinery/schema/dsl.js';
import { ADMISSIONREGISTRATION_V1, MATCH_CONDITION, RULE_WITH_OPERATIONS, ruleWithOperationsFields } from './types-rules.js';

const V1 = ADMISSIONREGISTRATION_V1;
const GROUP = 'admissionregistration.k8s.io';
export const VALIDATING_ADMISSION_POLICY = `${V1}.ValidatingAdmissionPolicy`;
export const VALIDATING_ADMISSION_POLICY_BINDING = `${V1}.ValidatingAdmissionPolicyBinding`;
const NAMED_RULE = `${V1}.NamedRuleWithOperations`;

defineTypes(
  {
    name: VALIDATING_ADMISSION_POLICY,
    description:
      'ValidatingAdmissionPolicy describes the definition of an admission validation policy that accepts or rejects an object without changing it.',
    gvk: { group: GROUP, version: 'v1', kind: 'ValidatingAdmissionPolicy' },
    fields: {
      metadata: field(1, ref(OBJECT_META), 'Standard object metadata.'),
      spec: field(2, ref(`${V1}.ValidatingAdmissionPolicySpec`), 'Specification of the desired behavior of the ValidatingAdmissionPolicy.'),
      status: field(3, ref(`${V1}.ValidatingAdmissionPolicyStatus`), 'The status of the ValidatingAdmissionPolicy.'),
    },
  },
  {
    name: `${V1}.ValidatingAdmissionPolicyList`,
    description: 'ValidatingAdmissionPolicyList is a list of ValidatingAdmissionPolicy.',
    gvk: { group: GROUP, version: 'v1', kind: 'ValidatingAdmissionPolicyList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(VALIDATING_ADMISSION_POLICY)), 'List of ValidatingAdmissionPolicy.'),
    },
  },
  {
    name: `${V1}.ValidatingAdmissionPolicySpec`,
    description: 'ValidatingAdmissionPolicySpec is the specification of the desired behavior of the AdmissionPolicy.',
    fields: {
      paramKind: field(1, ref(`${V1}.ParamKind`), 'ParamKind specifies the kind of resources used to parameterize this policy.'),
      matchConstraints: field(
        2,
        ref(`${V1}.MatchResources`),
        'MatchConstraints specifies what resources this policy is designed to validate.',
      ),
      validations: field(3, list(ref(`${V1}.Validation`)), 'Validations contain CEL expressions which is used to apply the validation.', {
        listType: 'atomic',
      }),
      failurePolicy: field(
        4,
        string,
        'failurePolicy defines how to handle failures for the admission policy: Ignore or Fail (the default).',
        {
          enum: ['Fail', 'Ignore'],
        },
      ),
      auditAnnotations: field(
        5,
        list(ref(`${V1}.AuditAnnotation`)),
        'auditAnnotations contains CEL expressions which are used to produce audit annotations.',
        {
          listType: 'atomic',
        },
      ),
      matchConditions: field(
        6,
        list(ref(MATCH_CONDITION)),
        'MatchConditions is a list of conditions that must be met for a request to be validated.',
        {
          patchStrategy: 'merge',
          patchMergeKey: 'name',
          listType: 'map',
          listMapKeys: ['name'],
        },
      ),
      variables: field(
        7,
        list(ref(`${V1}.Variable`)),
        'Variables contain definitions of variables that can be used in composition of other expressions.',
        {
          patchStrategy: 'merge',
          patchMergeKey: 'name',
          listType: 'map',
          listMapKeys: ['name'],
        },
      ),
    },
  },
  {
    name: `${V1}.ValidatingAdmissionPolicyStatus`,
    description: 'ValidatingAdmissionPolicyStatus represents the status of an admission validation policy.',
    fields: {
      observedGeneration: field(1, int64, 'The generation observed by the controller.'),
      typeChecking: field(2, ref(`${V1}.TypeChecking`), 'The results of type checking for each expression.'),
      conditions: field(
        3,
        list(ref(CONDITION)),
        "The conditions represent the latest available observations of a policy's current state.",
        {
          listType: 'map',
          listMapKeys: ['type'],
        },
      ),
    },
  },
  {
    name: `${V1}.TypeChecking`,
    description: 'TypeChecking contains results of type checking the expressions in the ValidatingAdmissionPolicy',
    fields: {
      expressionWarnings: field(1, list(ref(`${V1}.ExpressionWarning`)), 'The type checking warnings for each expression.', {
        listType: 'atomic',
      }),
    },
  },
  {
    name: `${V1}.ExpressionWarning`,
    description: 'ExpressionWarning is a warning information that targets a specific expression.',
    required: ['fieldRef', 'warning'],
    fields: {
      fieldRef: field(2, string, 'The path to the field that refers the expression.'),
      warning: field(3, string, 'The content of type checking information in a human-readable form.'),
    },
  },
  {
    name: `${V1}.ParamKind`,
    description: 'ParamKind is a tuple of Group Kind and Version.',
    fields: {
      apiVersion: field(1, string, 'APIVersion is the API group version the resources belong to.'),
      kind: field(2, string, 'Kind is the API kind the resources belong to.'),
    },
  },
  {
    name: `${V1}.ParamRef`,
    description: 'ParamRef describes how to locate the params to be used as input to expressions of rules applied by a policy binding.',
    fields: {
      name: field(1, string, 'name is the name of the resource being referenced.'),
      namespace: field(2, string, 'namespace is the namespace of the referenced resource.'),
      selector: field(3, ref(LABEL_SELECTOR), 'selector can be used to match multiple param objects based on their labels.'),
      parameterNotFoundAction: field(
        4,
        string,
        'parameterNotFoundAction controls the behavior of the binding when the resource exists but no params are found: Allow or Deny.',
      ),
    },
  },
  {
    name: `${V1}.MatchResources`,
    description:
      'MatchResources decides whether to run the admission control policy on an object based on whether it meets the match criteria.',
    fields: {
      namespaceSelector: field(
        1,
        ref(LABEL_SELECTOR),
        'NamespaceSelector decides whether to run the admission control policy on an object based on whether the namespace for that object matches the selector.',
      ),
      objectSelector: field(
        2,
        ref(LABEL_SELECTOR),
        'ObjectSelector decides whether to run the validation based on if the object has matching labels.',
      ),
      resourceRules: field(
        3,
        list(ref(NAMED_RULE)),
        'ResourceRules describes what operations on what resources/subresources the policy matches.',
        {
          listType: 'atomic',
        },
      ),
      excludeResourceRules: field(
        4,
        list(ref(NAMED_RULE)),
        'ExcludeResourceRules describes what operations on what resources/subresources the policy should not care about.',
        {
          listType: 'atomic',
        },
      ),
      matchPolicy: field(
        7,
        string,
        'matchPolicy defines how the "MatchResources" list is used to match incoming requests: Exact or Equivalent (the default).',
        {
          enum: ['Equivalent', 'Exact'],
        },
      ),
    },
  },
  {
    name: NAMED_RULE,
    description: 'NamedRuleWithOperations is a tuple of Operations and Resources with ResourceNames.',
    fields: {
      resourceNames: field(1, list(string), 'ResourceNames is an optional white list of names that the rule applies to.', {
        listType: 'atomic',
      }),
      ...embed(NAMED_RULE, 2, RULE_WITH_OPERATIONS, ruleWithOperationsFields),
    },
  },
  {
    name: `${V1}.Validation`,
    description: 'Validation specifies the CEL expression which is used to apply the validation.',
    required: ['expression'],
    fields: {
      expression: field(1, string, 'Expression represents the expression which will be evaluated by CEL.'),
      message: field(2, string, 'Message represents the message displayed when validation fails.'),
      reason: field(3, string, 'Reason represents a machine-readable description of why this validation failed.'),
      messageExpression: field(4, string, 'messageExpression declares a CEL expression that evaluates to the validation failure message.'),
    },
  },
  {
    name: `${V1}.AuditAnnotation`,
    description: 'AuditAnnotation describes how to produce an audit annotation for an API request.',
    required: ['key', 'valueExpression'],
    fields: {
      key: field(1, string, 'key specifies the audit annotation key.'),
      valueExpression: field(
        2,
        string,
        'valueExpression represents the expression which is evaluated by CEL to produce an audit annotation value.',
      ),
    },
  },
  {
    name: `${V1}.Variable`,
    description: 'Variable is the definition of a variable that is used for composition.',
    required: ['name', 'expression'],
    fields: {
      name: field(1, string, 'Name is the name of the variable.'),
      expression: field(2, string, 'Expression is the expression that will be evaluated as the value of the variable.'),
    },
  },
  {
    name: VALIDATING_ADMISSION_POLICY_BINDING,
    description: 'ValidatingAdmissionPolicyBinding binds the ValidatingAdmissionPolicy with paramerized resources.',
    gvk: { group: GROUP, version: 'v1', kind: 'ValidatingAdmissionPolicyBinding' },
    fields: {
      metadata: field(1, ref(OBJECT_META), 'Standard object metadata.'),
      spec: field(
        2,
        ref(`${V1}.ValidatingAdmissionPolicyBindingSpec`),
        'Specification of the desired behavior of the ValidatingAdmissionPolicyBinding.',
      ),
    },
  },
  {
    name: `${V1}.ValidatingAdmissionPolicyBindingList`,
    description: 'ValidatingAdmissionPolicyBindingList is a list of ValidatingAdmissionPolicyBinding.',
    gvk: { group: GROUP, version: 'v1', kind: 'ValidatingAdmissionPolicyBindingList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(VALIDATING_ADMISSION_POLICY_BINDING)), 'List of PolicyBinding.'),
    },
  },
  {
    name: `${V1}.ValidatingAdmissionPolicyBindingSpec`,
    description: 'ValidatingAdmissionPolicyBindingSpec is the specification of the ValidatingAdmissionPolicyBinding.',
    fields: {
      policyName: field(
        1,
        string,
        'PolicyName references a ValidatingAdmissionPolicy name which the ValidatingAdmissionPolicyBinding binds to.',
      ),
      paramRef: field(
        2,
        ref(`${V1}.ParamRef`),
        'paramRef specifies the parameter resource used to configure the admission control policy.',
      ),
      matchResources: field(
        3,
        ref(`${V1}.MatchResources`),
        'MatchResources declares what resources match this binding and will be validated by it.',
      ),
      validationActions: field(
        4,
        list(string),
        'validationActions declares how Validations of the referenced ValidatingAdmissionPolicy are enforced: Deny, Warn, Audit.',
        {
          listType: 'set',
        },
      ),
    },
  },
);
