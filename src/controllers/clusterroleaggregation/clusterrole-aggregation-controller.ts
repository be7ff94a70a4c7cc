/**
 * The ClusterRole aggregation controller (pkg/controller/clusterroleaggregation): a ClusterRole
 * with an aggregationRule gets as rules the union of the rules of every other ClusterRole its
 * selectors match, kept up to date as those change. Keys are ClusterRole names.
 */
import type { Clientset, GroupVersionResource, Lister, ResourceClient, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import type { KubeObject } from '../../machinery/object.js';
import { type LabelSelector, labelSelectorFromMeta } from '../../machinery/labels.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { isStatusError } from '../../machinery/errors.js';

export const CLUSTER_ROLES: GroupVersionResource = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' };

export interface ClusterRoleAggregationControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  workers?: number;
  log?: (message: string) => void;
}

function selectorsOf(role: KubeObject): LabelSelector[] | undefined {
  const rule = role['aggregationRule'] as { clusterRoleSelectors?: LabelSelector[] } | undefined;
  return rule ? (rule.clusterRoleSelectors ?? []) : undefined;
}

/** The union of the matched roles' rules, in name order, without repeats (upstream's order). */
export function aggregatedRules(role: KubeObject, all: readonly KubeObject[]): unknown[] {
  const selectors = (selectorsOf(role) ?? []).map((s) => labelSelectorFromMeta(s));
  const matched = all
    .filter((r) => r.metadata.name !== role.metadata.name && selectors.some((s) => s.matches(r.metadata.labels)))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const rules: unknown[] = [];
  const seen = new Set<string>();
  for (const r of matched) {
    for (const rule of (r['rules'] as unknown[] | undefined) ?? []) {
      const key = JSON.stringify(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push(rule);
    }
  }
  return rules;
}

export class ClusterRoleAggregationController {
  readonly queue: WorkQueue;
  readonly #client: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #roles: Lister;
  readonly #workers: number;
  readonly #log: (message: string) => void;

  constructor(options: ClusterRoleAggregationControllerOptions) {
    this.#client = options.client.resource(CLUSTER_ROLES);
    this.#informers = options.informers;
    this.#workers = options.workers ?? 1;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const informer = options.informers.forResource(CLUSTER_ROLES);
    this.#roles = informer.lister;
    // any change may change what some aggregated role selects: enqueue them all
    const enqueueAggregated = (): void => {
      for (const r of this.#roles.list()) if (selectorsOf(r)) this.queue.add(r.metadata.name ?? '');
    };
    informer.addEventHandler({ onAdd: enqueueAggregated, onUpdate: enqueueAggregated, onDelete: enqueueAggregated });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`clusterrole-aggregation ${key}: ${(err as Error).message}`),
    });
  }

  async sync(name: string): Promise<void> {
    const role = this.#roles.get('', name);
    if (!role || !selectorsOf(role)) return;
    const rules = aggregatedRules(role, this.#roles.list());
    if (JSON.stringify(rules) === JSON.stringify(role['rules'] ?? [])) return;
    try {
      await this.#client.update('', { ...role, rules });
    } catch (err) {
      // a newer version is on its way through the informer and will be synced again
      if (!isStatusError(err, 'Conflict')) throw err;
    }
  }
}
