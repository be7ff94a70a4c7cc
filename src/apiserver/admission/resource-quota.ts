/**
 * ResourceQuota admission (plugin/pkg/admission/resourcequota and the apiserver's
 * admission/plugin/resourcequota controller): every create, and the updates an evaluator charges,
 * is checked against each ResourceQuota of its namespace that tracks it (status.hard, filled by
 * the resource quota controller) and charged to that quota's status.used with a compare-and-swap
 * write before it is admitted, so concurrent requests never overspend a quota. Runs last.
 */
import { asObj } from '../../api/core/access.js';
import { newForbidden } from '../../machinery/errors.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { newQuantity } from '../../machinery/quantity.js';
import { evaluatorFor, quotaMatches } from '../../quota/evaluators.js';
import type { Evaluator } from '../../quota/interface.js';
import {
  addLists,
  isZeroList,
  lessThanOrEqual,
  maskList,
  parseResourceList,
  prettyPrint,
  type ResourceList,
  resourceListJSON,
} from '../../quota/resources.js';
import type { WriteOptions } from '../registry/context.js';
import { namespacePrefix } from '../registry/keys.js';
import type { ResourceStore } from '../registry/store.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

export interface ResourceQuotaAdmissionOptions {
  /** The resourcequotas store (once the registry serves them). */
  quotas: () => ResourceStore | undefined;
  now?: () => Date;
}

/** The apiserver's own write of a quota's status (upstream's loopback client). */
const CHARGE: WriteOptions = {
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  fieldValidation: 'Ignore',
  warnings: [],
};

/** SubtractWithNonNegativeResult: a - b per name of either, never below zero. */
function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, q] of a) {
    const other = b.get(name);
    const left = other ? q.sub(other) : q;
    out.set(name, left.sign() > 0 ? left : newQuantity(0));
  }
  for (const name of b.keys()) if (!out.has(name)) out.set(name, newQuantity(0));
  return out;
}

export class ResourceQuotaAdmission implements AdmissionPlugin {
  readonly name = 'ResourceQuota';
  readonly #options: ResourceQuotaAdmissionOptions;

  constructor(options: ResourceQuotaAdmissionOptions) {
    this.#options = options;
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.subresource || !attrs.namespace || !attrs.object) return;
    const store = this.#options.quotas();
    if (!store) return;
    const quotas = store.cache.list(namespacePrefix(store.cache.prefix, attrs.namespace));
    if (quotas.length === 0) return;
    const evaluator = evaluatorFor(attrs.type.group, attrs.type.plural);
    if (!evaluator?.handles(attrs.operation)) return;
    const delta = this.#delta(evaluator, attrs);
    // every quota is checked from the cache first, so a refused request writes nothing
    const charged = [...quotas]
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
      .filter((quota) => this.#newUsage(quota, evaluator, attrs, delta) !== undefined);
    if (charged.length === 0 || attrs.dryRun) return;
    for (const quota of charged) await this.#charge(store, quota.metadata.name ?? '', evaluator, attrs, delta);
  }

  /** What the request adds: the object's usage, less the old object's on an update. */
  #delta(evaluator: Evaluator, attrs: AdmissionAttributes): ResourceList {
    const now = this.#options.now?.() ?? new Date();
    const usage = evaluator.usage(attrs.object as KubeObject, now);
    const old = attrs.operation === 'UPDATE' ? attrs.oldObject : undefined;
    return old?.metadata.resourceVersion ? subtractNonNegative(usage, evaluator.usage(old, now)) : usage;
  }

  /**
   * checkRequest for one quota: its status.used with the request added when the quota tracks it,
   * undefined when it does not (or the request adds nothing); throws Forbidden over the quota.
   */
  #newUsage(quota: KubeObject, evaluator: Evaluator, attrs: AdmissionAttributes, delta: ResourceList): ResourceList | undefined {
    const name = quota.metadata.name ?? '';
    const status = asObj(quota['status']) ?? {};
    const hard = parseResourceList(status['hard']);
    const used = parseResourceList(status['used']);
    const hardNames = [...hard.keys()];
    const obj = attrs.object as KubeObject;
    if (!quotaMatches(quota, hardNames, evaluator, obj)) return undefined;
    const restricted = evaluator.matchingResources(hardNames);
    const forbid = (why: string) => newForbidden({ group: attrs.type.group, resource: attrs.type.plural }, attrs.name, why);
    const missing = evaluator.constraints(restricted, obj);
    if (missing) throw forbid(`failed quota: ${name}: ${missing}`);
    if (restricted.some((r) => !used.has(r)))
      throw forbid(`status unknown for quota: ${name}, resources: ${[...restricted].sort().join(',')}`);
    if (isZeroList(delta)) return undefined;
    const requested = maskList(delta, hardNames);
    if (requested.size === 0) return undefined;
    const newUsage = addLists(used, requested);
    const { allowed, exceeded } = lessThanOrEqual(maskList(newUsage, requested.keys()), hard);
    if (!allowed) {
      throw forbid(
        `exceeded quota: ${name}, requested: ${prettyPrint(maskList(requested, exceeded))}, used: ${prettyPrint(
          maskList(used, exceeded),
        )}, limited: ${prettyPrint(maskList(hard, exceeded))}`,
      );
    }
    return newUsage;
  }

  /** Charges one quota: checked again on the current object, written only if unchanged since (compare-and-swap, retried). */
  async #charge(store: ResourceStore, name: string, evaluator: Evaluator, attrs: AdmissionAttributes, delta: ResourceList): Promise<void> {
    try {
      await store.update(
        {
          namespace: attrs.namespace,
          name,
          subresource: 'status',
          trackFields: false,
          tryUpdate: (current) => {
            const newUsage = this.#newUsage(current, evaluator, attrs, delta);
            if (!newUsage) return current;
            const status = asObj(current['status']) ?? {};
            current['status'] = { ...status, used: resourceListJSON(newUsage) };
            return current;
          },
        },
        { ...CHARGE, warnings: [] },
      );
    } catch (err) {
      // a quota deleted meanwhile charges nothing
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}
