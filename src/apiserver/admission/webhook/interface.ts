/**
 * Contracts of the admission webhook plugins (MutatingAdmissionWebhook and
 * ValidatingAdmissionWebhook): a webhook as read from its configuration, what a matched call
 * targets, and the seams for match conditions (CEL) and for reaching services.
 */
import type { Obj } from '../../../api/core/access.js';
import type { Selector } from '../../../machinery/labels.js';
import type { MatchCondition } from '../../cel/match-conditions.js';
import type { KubeObject } from '../../../machinery/object.js';

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** One webhook of a Mutating/ValidatingWebhookConfiguration, defaulted and with parsed selectors. */
export interface Webhook {
  /** Unique per configuration and position: `<configuration>/<webhook>/<index>`. */
  readonly uid: string;
  readonly configurationName: string;
  readonly name: string;
  readonly rules: readonly Obj[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchPolicy: 'Exact' | 'Equivalent';
  readonly sideEffects: string;
  readonly timeoutSeconds: number;
  readonly admissionReviewVersions: readonly string[];
  readonly reinvocationPolicy: 'Never' | 'IfNeeded';
  /** An Error when the selector does not parse (a matching request then fails as upstream's does). */
  readonly namespaceSelector: Selector | Error;
  readonly objectSelector: Selector | Error;
  readonly matchConditions: readonly MatchCondition[];
  readonly clientConfig: WebhookClientConfig;
}

export interface WebhookClientConfig {
  url?: string;
  service?: { namespace: string; name: string; path?: string; port: number };
  /** PEM, decoded from the base64 caBundle; undefined: the system's trust roots. */
  caBundle?: string;
}

/** A webhook that matched a request, and the resource/kind it is called for (Equivalent may change them). */
export interface WebhookInvocation {
  webhook: Webhook;
  resource: GroupVersionResource;
  kind: GroupVersionKind;
  subresource: string;
  /** Set when matched through an equivalent version: the object to and from the invocation's version. */
  conversion?: VersionConversion;
}

export interface VersionConversion {
  toInvocation(obj: KubeObject): KubeObject;
  fromInvocation(obj: KubeObject): KubeObject;
}

/** matchConditions are evaluated by the CEL environment's evaluator (src/apiserver/cel). */
export type { MatchCondition, MatchConditionEvaluator, MatchConditionResult } from '../../cel/match-conditions.js';

/** Where a Service's webhook listens: an endpoint address and port (upstream dials the service). */
export interface ServiceEndpoint {
  host: string;
  port: number;
}

/** Resolves clientConfig.service to a ready endpoint; throws an Error saying why not. */
export interface ServiceResolver {
  resolve(namespace: string, name: string, port: number): ServiceEndpoint;
}
