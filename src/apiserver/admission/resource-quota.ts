/**
 * ResourceQuota admission (plugin/pkg/admission/resourcequota): every create, and the updates an
 * evaluator charges (services, claims), is checked against each ResourceQuota of its namespace
 * that tracks it (status.hard and status.used, kept by the resource quota controller) and charged
 * to those quotas' status.used before it is admitted (resource-quota-evaluator.ts), so concurrent
 * requests never overspend a quota. Subresources and cluster-scoped objects are not charged.
 * The ResourceQuotaConfiguration's limitedResources need a covering quota even where there is none.
 * Runs last among the plugins, after LimitRanger's defaults.
 */
import type { KubeObject } from '../../machinery/object.js';
import { newQuantity } from '../../machinery/quantity.js';
import { evaluatorFor } from '../../quota/evaluators.js';
import type { Evaluator } from '../../quota/interface.js';
import type { ResourceList } from '../../quota/resources.js';
import { namespacePrefix } from '../registry/keys.js';
import type { ResourceStore } from '../registry/store.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';
import { type ResourceQuotaConfiguration, limitedByDefault, limitedFor, parseResourceQuotaConfiguration } from './resource-quota-config.js';
import type { Obj } from '../../api/core/access.js';
import { QuotaEvaluator, type QuotaWaiter } from './resource-quota-evaluator.js';

export interface ResourceQuotaAdmissionOptions {
  /** The resourcequotas store (once the registry serves them). */
  quotas: () => ResourceStore | undefined;
  /** The plugin's configuration in --admission-control-config-file (a ResourceQuotaConfiguration). */
  configuration?: Obj;
  now?: () => Date;
}

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
  readonly #evaluator: QuotaEvaluator;
  readonly #config: ResourceQuotaConfiguration;

  /** Throws when the configuration is not a valid ResourceQuotaConfiguration. */
  constructor(options: ResourceQuotaAdmissionOptions) {
    this.#options = options;
    this.#evaluator = new QuotaEvaluator({ quotas: options.quotas });
    this.#config = options.configuration ? parseResourceQuotaConfiguration(options.configuration) : { limitedResources: [] };
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.subresource || !attrs.namespace || !attrs.object) return;
    const store = this.#options.quotas();
    if (!store) return;
    const limited = this.#config.limitedResources;
    // a namespace without quotas costs one cache lookup, unless consumption is limited by default
    if (limited.length === 0 && store.cache.list(namespacePrefix(store.cache.prefix, attrs.namespace)).length === 0) return;
    const evaluator = evaluatorFor(attrs.type.group, attrs.type.plural);
    if (!evaluator?.handles(attrs.operation)) return;
    const waiter: QuotaWaiter = { attrs, evaluator, delta: this.#delta(evaluator, attrs) };
    if (limited.length > 0) {
      const obj = attrs.object;
      const own = limitedFor(this.#config, attrs.type.group, attrs.type.plural);
      // getMatchedLimitedScopes looks at every limited resource's scopes
      waiter.limitedScopes = limited.flatMap((l) => l.matchScopes.filter((s) => evaluator.matchesScope(s, obj)));
      if (own.length > 0) waiter.limitedNames = limitedByDefault(evaluator.usage(obj, this.#options.now?.() ?? new Date()).keys(), own);
    }
    await this.#evaluator.evaluate(attrs.namespace, waiter);
  }

  /** What the request adds: the object's usage, less the old object's on an update. */
  #delta(evaluator: Evaluator, attrs: AdmissionAttributes): ResourceList {
    const now = this.#options.now?.() ?? new Date();
    const usage = evaluator.usage(attrs.object as KubeObject, now);
    const old = attrs.operation === 'UPDATE' ? attrs.oldObject : undefined;
    return old?.metadata.resourceVersion ? subtractNonNegative(usage, evaluator.usage(old, now)) : usage;
  }
}
