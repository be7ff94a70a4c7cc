/**
 * The object count evaluator (k8s.io/apiserver/pkg/quota/v1/generic): one `count/<resource>.<group>`
 * (`count/<resource>` for the core group) per stored object, charged on create; configmaps,
 * secrets, replicationcontrollers and resourcequotas also under their legacy names.
 */
import { newQuantity } from '../machinery/quantity.js';
import type { Evaluator } from './interface.js';

/** The legacy names that count objects (install/registry.go legacyObjectCountAliases). */
export const LEGACY_OBJECT_COUNT_ALIASES: Readonly<Record<string, string>> = {
  configmaps: 'configmaps',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
  secrets: 'secrets',
};

/** ObjectCountQuotaResourceNameFor: `count/<resource>.<group>`, or `count/<resource>` in the core group. */
export function objectCountName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

/** Parses `count/<resource>[.<group>]` into the group and resource it counts. */
export function parseObjectCountName(name: string): { group: string; resource: string } | undefined {
  if (!name.startsWith('count/')) return undefined;
  const rest = name.slice('count/'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

export function objectCountEvaluator(group: string, resource: string): Evaluator {
  const names = [objectCountName(group, resource)];
  const alias = group === '' ? LEGACY_OBJECT_COUNT_ALIASES[resource] : undefined;
  if (alias) names.push(alias);
  return {
    group,
    resource,
    handles: (operation) => operation === 'CREATE',
    matchingResources: (quotaNames) => quotaNames.filter((n) => names.includes(n)),
    usage: () => new Map(names.map((n) => [n, newQuantity(1)])),
    constraints: () => undefined,
    matchesScope: () => false,
  };
}
