/**
 * The quota registry (pkg/quota/v1/install): the evaluator for a group and resource — pods,
 * services and PersistentVolumeClaims have their own, any other resource counts objects — and
 * the quota-wide rules: scope selectors and whether a quota applies to an object.
 */
import { arr, asObj, objs, str } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import type { Evaluator, ScopeSelectorRequirement } from './interface.js';
import { objectCountEvaluator } from './object-count.js';
import { persistentVolumeClaimEvaluator } from './persistent-volume-claims.js';
import { podEvaluator } from './pods.js';
import { serviceEvaluator } from './services.js';

/** DefaultIgnoredResources: what quota never charges. */
const IGNORED_RESOURCES = new Set([
  '/events',
  'events.k8s.io/events',
  'authentication.k8s.io/tokenreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
]);

const BY_RESOURCE = new Map<string, Evaluator>(
  [podEvaluator, serviceEvaluator, persistentVolumeClaimEvaluator].map((e) => [`${e.group}/${e.resource}`, e]),
);

/** The evaluator of a group and resource, or undefined for the ignored ones. */
export function evaluatorFor(group: string, resource: string): Evaluator | undefined {
  const key = `${group}/${resource}`;
  if (IGNORED_RESOURCES.has(key)) return undefined;
  return BY_RESOURCE.get(key) ?? objectCountEvaluator(group, resource);
}

/** getScopeSelectorsFromQuota: spec.scopes as `Exists` requirements, then spec.scopeSelector's expressions. */
export function scopeSelectors(quota: KubeObject): ScopeSelectorRequirement[] {
  const spec = asObj(quota['spec']) ?? {};
  const selectors: ScopeSelectorRequirement[] = arr(spec['scopes']).map((s) => ({ scopeName: str(s), operator: 'Exists' }));
  for (const e of objs(asObj(spec['scopeSelector'])?.['matchExpressions'])) {
    selectors.push({
      scopeName: str(e['scopeName']),
      operator: str(e['operator']) as ScopeSelectorRequirement['operator'],
      values: arr(e['values']).map(str),
    });
  }
  return selectors;
}

/** Matches: the quota tracks one of the evaluator's names and the object is in every one of its scopes. */
export function quotaMatches(quota: KubeObject, hardNames: readonly string[], evaluator: Evaluator, obj: KubeObject): boolean {
  if (evaluator.matchingResources(hardNames).length === 0) return false;
  return scopeSelectors(quota).every((s) => evaluator.matchesScope(s, obj));
}
