/**
 * The ResourceQuota admission plugin's configuration (apiserver.config.k8s.io/v1
 * ResourceQuotaConfiguration, given in the AdmissionConfiguration): `limitedResources` whose
 * consumption needs a covering quota — a request using a resource name that contains one of
 * `matchContains`, or a pod in one of `matchScopes`, is refused unless a quota tracks it.
 */
import { arr, objs, str, type Obj } from '../../api/core/access.js';
import type { ScopeSelectorRequirement } from '../../quota/interface.js';

export interface LimitedResource {
  apiGroup: string;
  resource: string;
  matchContains: string[];
  matchScopes: ScopeSelectorRequirement[];
}

export interface ResourceQuotaConfiguration {
  limitedResources: LimitedResource[];
}

const KINDS = new Set([
  'apiserver.config.k8s.io/v1/ResourceQuotaConfiguration',
  'resourcequota.admission.k8s.io/v1beta1/Configuration',
  'resourcequota.admission.k8s.io/v1alpha1/Configuration',
]);
const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Parses and checks the configuration object; throws on a wrong kind or selector. */
export function parseResourceQuotaConfiguration(config: Obj): ResourceQuotaConfiguration {
  if (!KINDS.has(`${str(config['apiVersion'])}/${str(config['kind'])}`)) {
    throw new Error('ResourceQuota: want an apiserver.config.k8s.io/v1 ResourceQuotaConfiguration');
  }
  const limitedResources = objs(config['limitedResources']).map((r, i) => {
    const matchScopes = objs(r['matchScopes']).map((s, j) => {
      const operator = str(s['operator']);
      if (!OPERATORS.has(operator))
        throw new Error(`ResourceQuota: limitedResources[${i}].matchScopes[${j}]: invalid operator "${operator}"`);
      return { scopeName: str(s['scopeName']), operator, values: arr(s['values']).map(str) } as ScopeSelectorRequirement;
    });
    return { apiGroup: str(r['apiGroup']), resource: str(r['resource']), matchContains: arr(r['matchContains']).map(str), matchScopes };
  });
  return { limitedResources };
}

/** limitedByDefault: the names of a usage that one of the kind's limited resources' matchContains names. */
export function limitedByDefault(usageNames: Iterable<string>, limited: readonly LimitedResource[]): string[] {
  const out: string[] = [];
  for (const name of usageNames) {
    if (limited.some((l) => l.matchContains.some((m) => name.includes(m)))) out.push(name);
  }
  return out;
}

/** The limited resources of one group and resource. */
export function limitedFor(config: ResourceQuotaConfiguration, group: string, resource: string): LimitedResource[] {
  return config.limitedResources.filter((l) => l.apiGroup === group && l.resource === resource);
}
