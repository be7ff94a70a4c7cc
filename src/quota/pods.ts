/**
 * The pod quota evaluator (pkg/quota/v1/evaluator/core/pods.go): compute resources (requests,
 * limits, the cpu/memory short names, hugepages, extended resources as `requests.<name>`),
 * `pods` for pods not yet terminal and `count/pods` for every stored pod, the pod scopes
 * (Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity)
 * and the rule that a quota on cpu or memory needs each container to state it.
 */
import { asObj, num, objs, str, type Obj } from '../api/core/access.js';
import { podQOSClass } from '../api/core/pod-qos.js';
import type { KubeObject } from '../machinery/object.js';
import { newQuantity } from '../machinery/quantity.js';
import type { Evaluator, ScopeSelectorRequirement } from './interface.js';
import { addLists, containsPrefix, parseResourceList, type ResourceList } from './resources.js';

const POD_RESOURCES = new Set([
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
]);
const POD_RESOURCE_PREFIXES = ['hugepages-', 'requests.hugepages-'];
/** The quota names that require every container to state the matching request or limit. */
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** IsExtendedResourceName: a qualified name outside the kubernetes.io domain, not a `requests.` name. */
export function isExtendedResourceName(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash < 0 || name.startsWith('requests.')) return false;
  const domain = name.slice(0, slash);
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

/** podComputeUsageHelper: one container's (or the pod's summed) requests and limits as quota names. */
export function computeUsageHelper(requests: ResourceList, limits: ResourceList): ResourceList {
  const result: ResourceList = new Map([['pods', newQuantity(1)]]);
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) {
    const request = requests.get(name);
    if (request) {
      result.set(name, request);
      result.set(`requests.${name}`, request);
    }
    const limit = limits.get(name);
    if (limit) result.set(`limits.${name}`, limit);
  }
  for (const [name, request] of requests) {
    if (name.startsWith('hugepages-')) {
      result.set(name, request);
      result.set(`requests.${name}`, request);
    }
    if (isExtendedResourceName(name)) result.set(`requests.${name}`, request);
  }
  return result;
}

function maxInto(max: ResourceList, list: ResourceList): void {
  for (const [name, q] of list) {
    const cur = max.get(name);
    if (!cur || q.cmp(cur) > 0) max.set(name, q);
  }
}

/** PodRequests / PodLimits: containers summed, init containers (sidecars added) as a maximum, plus overhead. */
export function podResources(spec: Obj, field: 'requests' | 'limits'): ResourceList {
  let total: ResourceList = new Map();
  for (const c of objs(spec['containers'])) total = addLists(total, parseResourceList(asObj(c['resources'])?.[field]));
  let sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of objs(spec['initContainers'])) {
    const own = parseResourceList(asObj(c['resources'])?.[field]);
    if (str(c['restartPolicy']) === 'Always') {
      total = addLists(total, own);
      sidecars = addLists(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      maxInto(initMax, addLists(own, sidecars));
    }
  }
  maxInto(total, initMax);
  for (const [name, q] of parseResourceList(spec['overhead'])) {
    const cur = total.get(name);
    // limits only grow by the overhead of what they limit already
    if (field === 'requests' || cur) total.set(name, cur ? cur.add(q) : q);
  }
  return total;
}

/** QuotaV1Pod: whether the pod still counts against compute quota (not terminal, not stuck past its grace period). */
export function podCountsForQuota(pod: KubeObject, now: Date): boolean {
  const phase = str(asObj(pod['status'])?.['phase']);
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && typeof deletionGracePeriodSeconds === 'number') {
    if (now.getTime() > Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

function isTerminating(spec: Obj): boolean {
  const deadline = num(spec['activeDeadlineSeconds']);
  return deadline !== undefined && deadline >= 0;
}

/** usesCrossNamespacePodAffinity: an affinity or anti-affinity term names namespaces or has a namespace selector. */
export function usesCrossNamespacePodAffinity(spec: Obj): boolean {
  const affinity = asObj(spec['affinity']);
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = asObj(affinity?.[kind]);
    if (!a) continue;
    const terms = [
      ...objs(a['requiredDuringSchedulingIgnoredDuringExecution']),
      ...objs(a['preferredDuringSchedulingIgnoredDuringExecution']).map((w) => asObj(w['podAffinityTerm']) ?? {}),
    ];
    for (const term of terms) {
      const namespaces = term['namespaces'];
      if ((Array.isArray(namespaces) && namespaces.length > 0) || asObj(term['namespaceSelector'])) return true;
    }
  }
  return false;
}

/**
 * podMatchesSelector: upstream matches the requirement as a label selector against
 * `{PriorityClass: spec.priorityClassName}`, a set that always has the key (so DoesNotExist never matches).
 */
function priorityClassMatches(selector: ScopeSelectorRequirement, priorityClassName: string): boolean {
  const values = selector.values ?? [];
  switch (selector.operator) {
    case 'Exists':
      return priorityClassName !== '';
    case 'In':
      return values.includes(priorityClassName);
    case 'NotIn':
      return !values.includes(priorityClassName);
    default:
      return false;
  }
}

export const podEvaluator: Evaluator = {
  group: '',
  resource: 'pods',
  handles: (operation) => operation === 'CREATE',
  matchingResources(names) {
    return names.filter(
      (n) =>
        POD_RESOURCES.has(n) ||
        containsPrefix(POD_RESOURCE_PREFIXES, n) ||
        (n.startsWith('requests.') && isExtendedResourceName(n.slice('requests.'.length))),
    );
  },
  usage(pod, now) {
    const result: ResourceList = new Map([['count/pods', newQuantity(1)]]);
    if (!podCountsForQuota(pod, now)) return result;
    const spec = asObj(pod['spec']) ?? {};
    return addLists(result, computeUsageHelper(podResources(spec, 'requests'), podResources(spec, 'limits')));
  },
  constraints(required, pod) {
    const requiredSet = required.filter((n) => VALIDATION_SET.has(n));
    if (requiredSet.length === 0) return undefined;
    const spec = asObj(pod['spec']) ?? {};
    const missing = new Map<string, Set<string>>();
    for (const c of [...objs(spec['containers']), ...objs(spec['initContainers'])]) {
      const resources = asObj(c['resources']);
      const usage = computeUsageHelper(parseResourceList(resources?.['requests']), parseResourceList(resources?.['limits']));
      for (const name of requiredSet) {
        if (usage.has(name)) continue;
        const names = missing.get(name) ?? new Set<string>();
        names.add(str(c['name']));
        missing.set(name, names);
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((name) => `${name} for: ${[...(missing.get(name) ?? [])].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
  matchesScope(selector, pod) {
    const spec = asObj(pod['spec']) ?? {};
    switch (selector.scopeName) {
      case 'Terminating':
        return isTerminating(spec);
      case 'NotTerminating':
        return !isTerminating(spec);
      case 'BestEffort':
        return podQOSClass(spec) === 'BestEffort';
      case 'NotBestEffort':
        return podQOSClass(spec) !== 'BestEffort';
      case 'PriorityClass':
        return priorityClassMatches(selector, str(spec['priorityClassName']));
      case 'CrossNamespacePodAffinity':
        return usesCrossNamespacePodAffinity(spec);
      default:
        return false;
    }
  },
};
