/**
 * CalculateUsage (k8s.io/apiserver/pkg/quota/v1/resources.go with the evaluators' UsageStats):
 * a quota's usage in its namespace — every evaluator that tracks one of its hard names lists
 * the namespace's objects, keeps those in all of the quota's scopes and sums their usage.
 */
import type { KubeObject } from '../../machinery/object.js';
import { newQuantity } from '../../machinery/quantity.js';
import { scopeSelectors } from '../../quota/evaluators.js';
import type { Evaluator } from '../../quota/interface.js';
import { LEGACY_OBJECT_COUNT_ALIASES, objectCountEvaluator, parseObjectCountName } from '../../quota/object-count.js';
import { persistentVolumeClaimEvaluator } from '../../quota/persistent-volume-claims.js';
import { podEvaluator } from '../../quota/pods.js';
import { addLists, maskList, type ResourceList } from '../../quota/resources.js';
import { serviceEvaluator } from '../../quota/services.js';

/** Lists a namespace's objects of one group and resource; undefined when the resource is not served. */
export type NamespaceLister = (group: string, resource: string, namespace: string) => Promise<KubeObject[]> | undefined;

const OWN_EVALUATORS = [podEvaluator, serviceEvaluator, persistentVolumeClaimEvaluator];

/** The evaluators a quota's hard names need: pods, services and claims, plus object counts for the rest. */
export function evaluatorsFor(hardNames: readonly string[]): Evaluator[] {
  const out = [...OWN_EVALUATORS];
  const counted = new Set(OWN_EVALUATORS.map((e) => `${e.group}/${e.resource}`));
  const add = (group: string, resource: string): void => {
    if (counted.has(`${group}/${resource}`)) return;
    counted.add(`${group}/${resource}`);
    out.push(objectCountEvaluator(group, resource));
  };
  for (const name of hardNames) {
    const counts = parseObjectCountName(name);
    if (counts) add(counts.group, counts.resource);
    else if (LEGACY_OBJECT_COUNT_ALIASES[name]) add('', name);
  }
  return out;
}

/** The usage of the quota's hard names in its namespace (names no served resource tracks are left out). */
export async function calculateUsage(
  quota: KubeObject,
  hardNames: readonly string[],
  list: NamespaceLister,
  now: Date,
): Promise<ResourceList> {
  const namespace = quota.metadata.namespace ?? '';
  const selectors = scopeSelectors(quota);
  let used: ResourceList = new Map();
  for (const evaluator of evaluatorsFor(hardNames)) {
    const names = evaluator.matchingResources(hardNames);
    if (names.length === 0) continue;
    const listing = list(evaluator.group, evaluator.resource, namespace);
    if (!listing) continue;
    let stats: ResourceList = new Map(names.map((n) => [n, newQuantity(0)]));
    for (const obj of await listing) {
      if (selectors.every((s) => evaluator.matchesScope(s, obj))) stats = addLists(stats, evaluator.usage(obj, now));
    }
    used = addLists(used, maskList(stats, names));
  }
  return used;
}
