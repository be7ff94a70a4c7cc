/**
 * admissionregistration.k8s.io/v1 webhook types (k8s.io/api/admissionregistration/v1):
 * Mutating/ValidatingWebhookConfiguration (Rule, RuleWithOperations and MatchCondition, shared with
 * the admission policies, are in types-rules.ts). Field numbers from upstream's generated.proto.
 */
import { ADMISSIONREGISTRATION_V1, MATCH_CONDITION, RULE_WITH_OPERATIONS } from './types-rules.js';
import {
  bytes,
  defineTypes,
  type FieldDef,
  field,
  int32,
  LABEL_SELECTOR,
  LIST_META,
  list,
  OBJECT_META,
  ref,
  string,
} from '../../machinery/schema/dsl.js';

export const SERVICE_REFERENCE = `${ADMISSIONREGISTRATION_V1}.ServiceReference`;
export const WEBHOOK_CLIENT_CONFIG = `${ADMISSIONREGISTRATION_V1}.WebhookClientConfig`;
export const MUTATING_WEBHOOK = `${ADMISSIONREGISTRATION_V1}.MutatingWebhook`;
export const VALIDATING_WEBHOOK = `${ADMISSIONREGISTRATION_V1}.ValidatingWebhook`;
export const MUTATING_WEBHOOK_CONFIGURATION = `${ADMISSIONREGISTRATION_V1}.MutatingWebhookConfiguration`;
export const VALIDATING_WEBHOOK_CONFIGURATION = `${ADMISSIONREGISTRATION_V1}.ValidatingWebhookConfiguration`;

const GROUP = 'admissionregistration.k8s.io';
const atomic = { listType: 'atomic' } as const;

const SELECTOR_DOC = 'Default to the empty LabelSelector, which matches everything.';

/** The fields MutatingWebhook and ValidatingWebhook share (proto numbers differ after 9). */
function webhookFields(objectSelector: number, matchConditions: number): Record<string, FieldDef> {
  return {
    name: field(1, string, 'The name of the admission webhook. Name should be fully qualified, e.g., imagepolicy.kubernetes.io. Required.'),
    clientConfig: field(2, ref(WEBHOOK_CLIENT_CONFIG), 'ClientConfig defines how to communicate with the hook. Required'),
    rules: field(
      3,
      list(ref(RULE_WITH_OPERATIONS)),
      'Rules describes what operations on what resources/subresources the webhook cares about.',
      atomic,
    ),
    failurePolicy: field(
      4,
      string,
      'FailurePolicy defines how unrecognized errors from the admission endpoint are handled - allowed values are Ignore or Fail. Defaults to Fail.',
      {
        enum: ['Fail', 'Ignore'],
      },
    ),
    namespaceSelector: field(
      5,
      ref(LABEL_SELECTOR),
      `NamespaceSelector decides whether to run the webhook on an object based on whether the namespace for that object matches the selector. ${SELECTOR_DOC}`,
    ),
    sideEffects: field(6, string, 'SideEffects states whether this webhook has side effects. Acceptable values are: None, NoneOnDryRun.', {
      enum: ['None', 'NoneOnDryRun', 'Some', 'Unknown'],
    }),
    timeoutSeconds: field(
      7,
      int32,
      'TimeoutSeconds specifies the timeout for this webhook. The timeout value must be between 1 and 30 seconds. Default to 10 seconds.',
    ),
    admissionReviewVersions: field(
      8,
      list(string),
      'AdmissionReviewVersions is an ordered list of preferred `AdmissionReview` versions the Webhook expects.',
      atomic,
    ),
    matchPolicy: field(
      9,
      string,
      'matchPolicy defines how the "rules" list is used to match incoming requests. Allowed values are "Exact" or "Equivalent". Defaults to "Equivalent"',
      {
        enum: ['Equivalent', 'Exact'],
      },
    ),
    objectSelector: field(
      objectSelector,
      ref(LABEL_SELECTOR),
      `ObjectSelector decides whether to run the webhook based on if the object has matching labels. ${SELECTOR_DOC}`,
    ),
    matchConditions: field(
      matchConditions,
      list(ref(MATCH_CONDITION)),
      'MatchConditions is a list of conditions that must be met for a request to be sent to this webhook.',
      {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      },
    ),
  };
}

function configuration(kind: string, webhook: string): Parameters<typeof defineTypes> {
  const name = `${ADMISSIONREGISTRATION_V1}.${kind}`;
  return [
    {
      name,
      description: `${kind} describes the configuration of and admission webhook that accept or reject and may change the object.`,
      gvk: { group: GROUP, version: 'v1', kind },
      fields: {
        metadata: field(
          1,
          ref(OBJECT_META),
          'Standard object metadata; More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata.',
        ),
        webhooks: field(2, list(ref(webhook)), 'Webhooks is a list of webhooks and the affected resources and operations.', {
          patchStrategy: 'merge',
          patchMergeKey: 'name',
          listType: 'map',
          listMapKeys: ['name'],
        }),
      },
    },
    {
      name: `${name}List`,
      description: `${kind}List is a list of ${kind}.`,
      gvk: { group: GROUP, version: 'v1', kind: `${kind}List` },
      required: ['items'],
      fields: {
        metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
        items: field(2, list(ref(name)), `List of ${kind}.`),
      },
    },
  ];
}

defineTypes(
  {
    name: SERVICE_REFERENCE,
    description: 'ServiceReference holds a reference to Service.legacy.k8s.io',
    required: ['namespace', 'name'],
    fields: {
      namespace: field(1, string, '`namespace` is the namespace of the service. Required'),
      name: field(2, string, '`name` is the name of the service. Required'),
      path: field(3, string, '`path` is an optional URL path which will be sent in any request to this service.'),
      port: field(4, int32, 'If specified, the port on the service that hosting webhook. Default to 443 for backward compatibility.'),
    },
  },
  {
    name: WEBHOOK_CLIENT_CONFIG,
    description: 'WebhookClientConfig contains the information to make a TLS connection with the webhook',
    fields: {
      url: field(
        3,
        string,
        '`url` gives the location of the webhook, in standard URL form (`scheme://host:port/path`). Exactly one of `url` or `service` must be specified.',
      ),
      service: field(
        1,
        ref(SERVICE_REFERENCE),
        '`service` is a reference to the service for this webhook. Either `service` or `url` must be specified.',
      ),
      caBundle: field(
        2,
        bytes,
        "`caBundle` is a PEM encoded CA bundle which will be used to validate the webhook's server certificate. If unspecified, system trust roots on the apiserver are used.",
      ),
    },
  },
  {
    name: MUTATING_WEBHOOK,
    description: 'MutatingWebhook describes an admission webhook and the resources and operations it applies to.',
    required: ['name', 'clientConfig', 'sideEffects', 'admissionReviewVersions'],
    fields: {
      ...webhookFields(11, 12),
      reinvocationPolicy: field(
        10,
        string,
        'reinvocationPolicy indicates whether this webhook should be called multiple times as part of a single admission evaluation. Allowed values are "Never" and "IfNeeded". Defaults to "Never".',
        {
          enum: ['IfNeeded', 'Never'],
        },
      ),
    },
  },
  {
    name: VALIDATING_WEBHOOK,
    description: 'ValidatingWebhook describes an admission webhook and the resources and operations it applies to.',
    required: ['name', 'clientConfig', 'sideEffects', 'admissionReviewVersions'],
    fields: webhookFields(10, 11),
  },
  ...configuration('MutatingWebhookConfiguration', MUTATING_WEBHOOK),
  ...configuration('ValidatingWebhookConfiguration', VALIDATING_WEBHOOK),
);
