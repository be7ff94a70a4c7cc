/**
 * Which webhooks a request goes to (upstream's generic.Webhook.ShouldCallHook with its rules,
 * namespace and object matchers): rules (operations, apiGroups, apiVersions, resources with
 * subresources, scope), matchPolicy Equivalent, namespaceSelector, objectSelector. The
 * admissionregistration configurations themselves are never sent to webhooks.
 */
import type { KubeObject } from '../../../machinery/object.js';
import { arr, str, type Obj } from '../../../api/core/access.js';
import { isEverything, type Selector } from '../../../machinery/labels.js';
import { newInternalError, newNotFound, type StatusError } from '../../../machinery/errors.js';
import type { AdmissionAttributes } from '../interface.js';
import type { GroupVersionKind, GroupVersionResource, VersionConversion, Webhook, WebhookInvocation } from './interface.js';

/** Resources whose writes never go to webhooks (upstream's IsExemptAdmissionConfigurationResource). */
const EXEMPT_RESOURCES = new Set([
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies',
  'mutatingadmissionpolicybindings',
]);

export interface MatcherOptions {
  /** A namespace's labels; undefined when it does not exist. */
  namespaceLabels(name: string): Record<string, string> | undefined;
  /** The same resource served under other groups/versions (matchPolicy Equivalent), with their kinds. */
  equivalents?(
    resource: GroupVersionResource,
    subresource: string,
  ): { resource: GroupVersionResource; kind: GroupVersionKind; conversion: VersionConversion }[];
}

/** The request's resource, as the rules see it. */
interface RuleAttributes {
  operation: string;
  resource: GroupVersionResource;
  subresource: string;
  namespace: string;
}

export function isExemptFromWebhooks(attrs: AdmissionAttributes): boolean {
  return attrs.type.group === 'admissionregistration.k8s.io' && EXEMPT_RESOURCES.has(attrs.type.plural);
}

const exactOrWildcard = (items: unknown[], requested: string) => items.some((i) => i === '*' || i === requested);

function isNamespaceResource(r: GroupVersionResource): boolean {
  return r.group === '' && r.version === 'v1' && r.resource === 'namespaces';
}

/** rules.Matcher.Matches for one RuleWithOperations. */
export function ruleMatches(rule: Obj, a: RuleAttributes): boolean {
  const scope = str(rule['scope']) || '*';
  if (scope === 'Namespaced' && (isNamespaceResource(a.resource) || a.namespace === '')) return false;
  if (scope === 'Cluster' && !(isNamespaceResource(a.resource) || a.namespace === '')) return false;
  if (scope !== '*' && scope !== 'Namespaced' && scope !== 'Cluster') return false;
  if (!exactOrWildcard(arr(rule['operations']), a.operation)) return false;
  if (!exactOrWildcard(arr(rule['apiGroups']), a.resource.group)) return false;
  if (!exactOrWildcard(arr(rule['apiVersions']), a.resource.version)) return false;
  return arr(rule['resources']).some((r) => {
    const [res = '', sub = ''] = splitResource(str(r));
    return (res === '*' || res === a.resource.resource) && (sub === '*' || sub === a.subresource);
  });
}

function splitResource(resSub: string): [string, string] {
  const slash = resSub.indexOf('/');
  return slash < 0 ? [resSub, ''] : [resSub.slice(0, slash), resSub.slice(slash + 1)];
}

function labelsMatch(selector: Selector, obj: KubeObject | undefined): boolean {
  return obj !== undefined && selector.matches(obj.metadata?.labels ?? {});
}

/** A selector's verdict: true/false, or the StatusError upstream answers with. */
type Verdict = boolean | StatusError;

function matchNamespaceSelector(hook: Webhook, attrs: AdmissionAttributes, options: MatcherOptions): Verdict {
  const isNamespace = attrs.type.plural === 'namespaces';
  if (!attrs.namespace && !isNamespace) return true; // cluster-scoped objects are never exempted
  const selector = hook.namespaceSelector;
  if (selector instanceof Error) return newInternalError(selector);
  if (isEverything(selector)) return true;
  let labels: Record<string, string> | undefined;
  if (isNamespace && !attrs.subresource && (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE')) {
    labels = attrs.object?.metadata?.labels ?? {};
  } else {
    const name = isNamespace ? attrs.name : attrs.namespace;
    labels = options.namespaceLabels(name);
    if (!labels) return newNotFound({ group: '', resource: 'namespaces' }, name);
  }
  return selector.matches(labels);
}

function matchObjectSelector(hook: Webhook, attrs: AdmissionAttributes): Verdict {
  const selector = hook.objectSelector;
  if (selector instanceof Error) return newInternalError(selector);
  if (isEverything(selector)) return true;
  return labelsMatch(selector, attrs.object) || labelsMatch(selector, attrs.oldObject);
}

/**
 * ShouldCallHook: the invocation when the webhook wants this request, undefined when not;
 * throws the StatusError of a selector that cannot be evaluated. (matchConditions are the
 * dispatcher's, as they need the AdmissionRequest.)
 */
export function shouldCallHook(hook: Webhook, attrs: AdmissionAttributes, options: MatcherOptions): WebhookInvocation | undefined {
  const ns = matchNamespaceSelector(hook, attrs, options);
  if (ns === false) return undefined;
  const obj = matchObjectSelector(hook, attrs);
  if (obj === false) return undefined;
  const { type } = attrs;
  const resource = { group: type.group, version: type.version, resource: type.plural };
  const kind = { group: type.group, version: type.version, kind: type.kind };
  const ruleAttrs: RuleAttributes = { operation: attrs.operation, resource, subresource: attrs.subresource, namespace: attrs.namespace };
  let invocation: WebhookInvocation | undefined;
  if (hook.rules.some((rule) => ruleMatches(rule, ruleAttrs))) {
    invocation = { webhook: hook, resource, kind, subresource: attrs.subresource };
  } else if (hook.matchPolicy === 'Equivalent' && options.equivalents) {
    const equivalents = options.equivalents(resource, attrs.subresource).filter((e) => !sameResource(e.resource, resource));
    // earlier rules first, as upstream
    outer: for (const rule of hook.rules) {
      for (const e of equivalents) {
        if (ruleMatches(rule, { ...ruleAttrs, resource: e.resource })) {
          invocation = { webhook: hook, resource: e.resource, kind: e.kind, subresource: attrs.subresource, conversion: e.conversion };
          break outer;
        }
      }
    }
  }
  if (!invocation) return undefined;
  if (ns !== true) throw ns;
  if (obj !== true) throw obj;
  return invocation;
}

function sameResource(a: GroupVersionResource, b: GroupVersionResource): boolean {
  return a.group === b.group && a.version === b.version && a.resource === b.resource;
}
