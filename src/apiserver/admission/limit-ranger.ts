/**
 * LimitRanger admission (upstream plugin/pkg/admission/limitranger): the LimitRanges of a
 * namespace give new pods' containers their default requests and limits (recorded in the
 * `kubernetes.io/limit-ranger` annotation, the QoS class following from them), and bound
 * containers, pods and PersistentVolumeClaims by min, max and maxLimitRequestRatio.
 */
import { asObj, child, objs, str, type Obj } from '../../api/core/access.js';
import { podQOSClass } from '../../api/core/pod-qos.js';
import { newForbidden } from '../../machinery/errors.js';
import { parseQuantity, type Quantity } from '../../machinery/quantity.js';
import { namespacePrefix } from '../registry/keys.js';
import type { WatchCache } from '../watch/cache.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

export interface LimitRangerOptions {
  /** The limitranges' watch cache (available once the registry serves them). */
  limitRanges: () => WatchCache | undefined;
}

type ResourceList = Map<string, Quantity>;

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

function quantity(v: unknown): Quantity | undefined {
  try {
    return parseQuantity(String(v));
  } catch {
    return undefined;
  }
}

function resourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, raw] of Object.entries(asObj(v) ?? {})) {
    const q = quantity(raw);
    if (q) out.set(name, q);
  }
  return out;
}

function addInto(sum: ResourceList, list: ResourceList): void {
  for (const [name, q] of list) sum.set(name, sum.get(name)?.add(q) ?? q);
}

function maxInto(max: ResourceList, list: ResourceList): void {
  for (const [name, q] of list) {
    const cur = max.get(name);
    if (!cur || q.cmp(cur) > 0) max.set(name, q);
  }
}

/** minConstraint: a request must exist and be at least min; a limit, when set, too. */
function minConstraint(kind: string, name: string, min: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (!req) return `minimum ${name} usage per ${kind} is ${min}.  No request is specified`;
  if (req.cmp(min) < 0) return `minimum ${name} usage per ${kind} is ${min}, but request is ${req}`;
  if (lim && lim.cmp(min) < 0) return `minimum ${name} usage per ${kind} is ${min}, but limit is ${lim}`;
  return undefined;
}

/** maxConstraint: a limit must exist and be at most max; a request, when set, too. */
function maxConstraint(kind: string, name: string, max: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (!lim) return `maximum ${name} usage per ${kind} is ${max}.  No limit is specified`;
  if (lim.cmp(max) > 0) return `maximum ${name} usage per ${kind} is ${max}, but limit is ${lim}`;
  if (req && req.cmp(max) > 0) return `maximum ${name} usage per ${kind} is ${max}, but request is ${req}`;
  return undefined;
}

/** maxRequestConstraint (claims): the request must exist and be at most max. */
function maxRequestConstraint(kind: string, name: string, max: Quantity, requests: ResourceList): string | undefined {
  const req = requests.get(name);
  if (!req) return `maximum ${name} usage per ${kind} is ${max}.  No request is specified`;
  if (req.cmp(max) > 0) return `maximum ${name} usage per ${kind} is ${max}, but request is ${req}`;
  return undefined;
}

function ratioConstraint(kind: string, name: string, ratio: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const prefix = `${name} max limit to request ratio per ${kind} is ${ratio}`;
  if (!req || req.isZero()) return `${prefix}, but no request is specified or request is 0`;
  if (!lim || lim.isZero()) return `${prefix}, but no limit is specified or limit is 0`;
  const observed = lim.milliValue() / req.milliValue();
  if (observed * 1000 > ratio.milliValue()) return `${prefix}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

/** Every constraint of one LimitRange item against the given requests and limits. */
function checkItem(item: Obj, kind: string, requests: ResourceList, limits: ResourceList): string[] {
  const errs: (string | undefined)[] = [];
  for (const [name, min] of resourceList(item['min'])) errs.push(minConstraint(kind, name, min, requests, limits));
  for (const [name, max] of resourceList(item['max'])) {
    errs.push(
      kind === 'PersistentVolumeClaim' ? maxRequestConstraint(kind, name, max, requests) : maxConstraint(kind, name, max, requests, limits),
    );
  }
  for (const [name, ratio] of resourceList(item['maxLimitRequestRatio'])) errs.push(ratioConstraint(kind, name, ratio, requests, limits));
  return errs.filter((e): e is string => e !== undefined);
}

export class LimitRanger implements AdmissionPlugin {
  readonly name = 'LimitRanger';
  readonly #options: LimitRangerOptions;

  constructor(options: LimitRangerOptions) {
    this.#options = options;
  }

  #items(namespace: string, type: string): Obj[] {
    const cache = this.#options.limitRanges();
    if (!cache) return [];
    const ranges = cache.list(namespacePrefix(cache.prefix, namespace));
    return ranges.flatMap((lr) => objs(asObj(lr['spec'])?.['limits'])).filter((item) => str(item['type']) === type);
  }

  #applies(attrs: AdmissionAttributes): 'pod' | 'claim' | undefined {
    const { type } = attrs;
    if (type.group !== '' || attrs.subresource || !attrs.object) return undefined;
    if (type.plural === 'pods' && attrs.operation === 'CREATE') return 'pod';
    if (type.plural === 'persistentvolumeclaims' && attrs.operation !== 'DELETE') return 'claim';
    return undefined;
  }

  /** Sets the containers' missing requests and limits from the Container items' defaults. */
  admit(attrs: AdmissionAttributes): void {
    if (this.#applies(attrs) !== 'pod' || !attrs.object) return;
    const items = this.#items(attrs.namespace, 'Container');
    if (items.length === 0) return;
    const defaults = { requests: {} as Obj, limits: {} as Obj };
    for (const item of items) {
      Object.assign(defaults.requests, asObj(item['defaultRequest']) ?? {});
      Object.assign(defaults.limits, asObj(item['default']) ?? {});
    }
    const spec = child(attrs.object, 'spec');
    const notes: string[] = [];
    const merge = (c: Obj, prefix: string): void => {
      const resources = child(c, 'resources');
      for (const [field, word] of [
        ['requests', 'request'],
        ['limits', 'limit'],
      ] as const) {
        const set: string[] = [];
        const list = child(resources, field);
        for (const [name, v] of Object.entries(defaults[field])) {
          if (list[name] === undefined) {
            list[name] = v;
            set.push(name);
          }
        }
        if (Object.keys(list).length === 0) delete resources[field];
        if (set.length > 0) notes.push(`${set.sort().join(', ')} ${word} for ${prefix} ${str(c['name'])}`);
      }
      if (Object.keys(resources).length === 0) delete c['resources'];
    };
    for (const c of objs(spec['containers'])) merge(c, 'container');
    for (const c of objs(spec['initContainers'])) merge(c, 'init container');
    if (notes.length === 0) return;
    const annotations = (attrs.object.metadata.annotations ??= {});
    annotations[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${notes.join('; ')}`;
    // the QoS class was computed before admission; upstream's admission runs first
    const status = asObj(attrs.object['status']);
    if (status?.['qosClass']) status['qosClass'] = podQOSClass(spec);
  }

  validate(attrs: AdmissionAttributes): void {
    const applies = this.#applies(attrs);
    if (!applies || !attrs.object) return;
    const spec = asObj(attrs.object['spec']) ?? {};
    const errs: string[] = [];
    if (applies === 'claim') {
      const resources = asObj(spec['resources']) ?? {};
      for (const item of this.#items(attrs.namespace, 'PersistentVolumeClaim')) {
        errs.push(...checkItem(item, 'PersistentVolumeClaim', resourceList(resources['requests']), resourceList(resources['limits'])));
      }
    } else {
      const containers = objs(spec['containers']);
      const inits = objs(spec['initContainers']);
      for (const item of this.#items(attrs.namespace, 'Container')) {
        for (const c of [...containers, ...inits]) {
          const resources = asObj(c['resources']) ?? {};
          errs.push(...checkItem(item, 'Container', resourceList(resources['requests']), resourceList(resources['limits'])));
        }
      }
      const podItems = this.#items(attrs.namespace, 'Pod');
      if (podItems.length > 0) {
        // the pod's usage: its containers' sum, or the largest init container when that is more
        const totals = { requests: new Map() as ResourceList, limits: new Map() as ResourceList };
        for (const field of ['requests', 'limits'] as const) {
          for (const c of containers) addInto(totals[field], resourceList(asObj(c['resources'])?.[field]));
          for (const c of inits) maxInto(totals[field], resourceList(asObj(c['resources'])?.[field]));
        }
        for (const item of podItems) errs.push(...checkItem(item, 'Pod', totals.requests, totals.limits));
      }
    }
    if (errs.length === 0) return;
    const resource = applies === 'pod' ? 'pods' : 'persistentvolumeclaims';
    throw newForbidden({ group: '', resource }, attrs.name, errs.length === 1 ? (errs[0] ?? '') : `[${errs.join(', ')}]`);
  }
}
