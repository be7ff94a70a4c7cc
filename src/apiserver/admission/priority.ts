/**
 * Priority admission (upstream plugin/pkg/admission/priority): a pod's spec.priority and
 * spec.preemptionPolicy come from its PriorityClass (or the global default class, else 0);
 * naming a class that does not exist is forbidden; a pod may not set priority itself.
 */
import { newForbidden } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { WatchCache } from '../watch/cache.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

interface PodSpec {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
}

interface PriorityClass extends KubeObject {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

/** The classes every cluster has (upstream's SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES = [
  {
    name: 'system-node-critical',
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2000000000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

export class PriorityAdmission implements AdmissionPlugin {
  readonly name = 'Priority';
  readonly #classes: () => WatchCache | undefined;

  /** `classes` gives the priorityclasses' watch cache. */
  constructor(classes: () => WatchCache | undefined) {
    this.#classes = classes;
  }

  admit(attrs: AdmissionAttributes): void {
    const { type } = attrs;
    if (attrs.operation !== 'CREATE' || type.group !== '' || type.plural !== 'pods' || attrs.subresource || !attrs.object) return;
    const spec = (attrs.object['spec'] ??= {}) as PodSpec;
    const cache = this.#classes();
    if (!cache) return;
    let cls: PriorityClass | undefined;
    if (spec.priorityClassName) {
      cls = cache.get(`${cache.prefix}${spec.priorityClassName}`) as PriorityClass | undefined;
      if (!cls) {
        throw newForbidden({ group: '', resource: 'pods' }, attrs.name, `no PriorityClass with name ${spec.priorityClassName} was found`);
      }
    } else {
      cls = (cache.list(cache.prefix) as PriorityClass[]).filter((c) => c.globalDefault).sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
      if (cls) spec.priorityClassName = cls.metadata.name ?? '';
    }
    const value = cls?.value ?? 0;
    if (spec.priority !== undefined && spec.priority !== value) {
      throw newForbidden(
        { group: '', resource: 'pods' },
        attrs.name,
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
      );
    }
    spec.priority = value;
    spec.preemptionPolicy = cls?.preemptionPolicy ?? spec.preemptionPolicy ?? 'PreemptLowerPriority';
  }
}
