/**
 * MatchResources of policies and bindings (upstream validatingadmissionpolicy/matching): resource
 * rules with operations, groups, versions, resources and subresources, scope and resourceNames;
 * exclude rules first; namespace and object label selectors.
 */
import { arr, asObj, objs, str, type Obj } from '../../../api/core/access.js';
import { labelSelectorFromMeta, type LabelSelector, type Labels } from '../../../machinery/labels.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { AdmissionAttributes } from '../interface.js';

const has = (list: unknown, value: string): boolean => arr(list).some((x) => x === '*' || x === value);

/** Does `rule` (a NamedRuleWithOperations) cover this request? */
export function ruleMatches(rule: Obj, attrs: AdmissionAttributes): boolean {
  const { type } = attrs;
  if (!has(rule['operations'], attrs.operation)) return false;
  if (!has(rule['apiGroups'], type.group) || !has(rule['apiVersions'], type.version)) return false;
  const scope = str(rule['scope']) || '*';
  if (scope === 'Cluster' && type.namespaced) return false;
  if (scope === 'Namespaced' && !type.namespaced) return false;
  const resource = attrs.subresource ? `${type.plural}/${attrs.subresource}` : type.plural;
  const resourceMatches = arr(rule['resources']).some((r) => {
    const [res = '', sub] = str(r).split('/', 2);
    if (sub === undefined) return !attrs.subresource && (res === '*' || res === type.plural);
    return (res === '*' || res === type.plural) && (sub === '*' || sub === attrs.subresource);
  });
  if (!resourceMatches && !arr(rule['resources']).includes(resource)) return false;
  const names = arr(rule['resourceNames']);
  return names.length === 0 || names.includes(attrs.name);
}

function selects(selector: unknown, labels: Labels): boolean {
  const s = asObj(selector) as LabelSelector | undefined;
  if (!s) return true;
  return labelSelectorFromMeta(s).matches(labels);
}

export interface MatchContext {
  /** The namespace of a namespaced request (or the Namespace itself when one is written). */
  namespace: KubeObject | undefined;
}

/**
 * Does `match` (a MatchResources) select this request? `requireRules`: a binding without
 * resourceRules leaves the rules to its policy, a policy's constraints must name them.
 */
export function matchResources(match: Obj | undefined, attrs: AdmissionAttributes, ctx: MatchContext, requireRules: boolean): boolean {
  if (!match) return true;
  const rules = objs(match['resourceRules']);
  if (objs(match['excludeResourceRules']).some((r) => ruleMatches(r, attrs))) return false;
  if ((rules.length > 0 || requireRules) && !rules.some((r) => ruleMatches(r, attrs))) return false;
  // the namespace selector applies to namespaced objects and to Namespaces themselves
  const isNamespace = attrs.type.group === '' && attrs.type.plural === 'namespaces';
  if (attrs.type.namespaced || isNamespace) {
    const ns = isNamespace ? (attrs.object ?? attrs.oldObject) : ctx.namespace;
    if (!selects(match['namespaceSelector'], ns?.metadata.labels)) return false;
  }
  const objectSelector = match['objectSelector'];
  return (
    selects(objectSelector, attrs.object?.metadata.labels) ||
    (attrs.oldObject !== undefined && selects(objectSelector, attrs.oldObject.metadata.labels))
  );
}
