/** Storage keys, `/registry/<resource>/<namespace>/<name>` as upstream lays them out in etcd. */
import type { ResourceType } from '../../api/resource.js';

/** Upstream's storage prefixes where they differ from the plural resource name. */
const SPECIAL_PREFIXES: Record<string, string> = {
  '/services': 'services/specs',
  '/endpoints': 'services/endpoints',
  '/nodes': 'minions',
  'networking.k8s.io/ingresses': 'ingress',
  '/replicationcontrollers': 'controllers',
  'policy/poddisruptionbudgets': 'poddisruptionbudgets',
};

const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'storage.k8s.io',
  'policy',
  'scheduling.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
]);

/** The storage prefix (with trailing slash) of a resource: `/registry/pods/`. */
export function resourcePrefix(type: Pick<ResourceType, 'group' | 'plural' | 'storage'>): string {
  const group = type.storage?.group ?? type.group;
  const plural = type.storage?.plural ?? type.plural;
  const special = SPECIAL_PREFIXES[`${group}/${plural}`];
  if (special) return `/registry/${special}/`;
  if (group === 'apiextensions.k8s.io' || !BUILTIN_GROUPS.has(group)) return `/registry/${group}/${plural}/`;
  return `/registry/${plural}/`;
}

export function objectKey(prefix: string, namespace: string, name: string): string {
  return namespace ? `${prefix}${namespace}/${name}` : `${prefix}${name}`;
}

/** The prefix of one namespace's objects, or of all of them when namespace is empty. */
export function namespacePrefix(prefix: string, namespace: string): string {
  return namespace ? `${prefix}${namespace}/` : prefix;
}
