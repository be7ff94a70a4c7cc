/**
 * Taint-based eviction (pkg/controller/tainteviction): a pod on a node with NoExecute taints it
 * does not tolerate is deleted at once; one that tolerates them for tolerationSeconds is deleted
 * that long after the taint was added (the shortest of the matching tolerations); a toleration
 * without tolerationSeconds keeps it forever. Keys are pod keys (`namespace/name`).
 */
import {
  type Clientset,
  type EventRecorder,
  type Lister,
  objectKey,
  type ResourceClient,
  type SharedInformerFactory,
  splitKey,
  type WorkQueue,
} from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { ensurePodNodeNameIndex, NODES, POD_NODE_NAME_INDEX, PODS } from './node-lifecycle-controller.js';
import { type Taint, type Toleration, toleratesTaint } from './taints.js';
import { cloneJson } from '../../machinery/clone.js';
import { rfc3339 } from '../../machinery/time.js';

export interface TaintEvictionControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  recorder: EventRecorder;
  now?: () => number;
  workers?: number;
  log?: (message: string) => void;
}

const noExecuteTaints = (node: KubeObject | undefined): Taint[] =>
  ((node?.['spec'] as { taints?: Taint[] } | undefined)?.taints ?? []).filter((t) => t.effect === 'NoExecute');

/**
 * How long a pod may stay with these taints: 0 when some taint is not tolerated, Infinity when
 * a matching toleration has no tolerationSeconds, else the shortest tolerationSeconds (ms).
 */
export function minTolerationTimeMs(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let min = Infinity;
  for (const taint of taints) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return 0;
    for (const t of matching) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      min = Math.min(min, Math.max(0, t.tolerationSeconds) * 1000);
    }
  }
  return min;
}

export class TaintEvictionController {
  readonly queue: WorkQueue;
  readonly #podsClient: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #pods: Lister;
  readonly #nodes: Lister;
  readonly #recorder: EventRecorder;
  readonly #now: () => number;
  readonly #workers: number;
  readonly #log: (message: string) => void;
  /** Pods with an eviction scheduled, and when a taint without timeAdded was first seen. */
  readonly #scheduled = new Map<string, number>();

  constructor(options: TaintEvictionControllerOptions) {
    this.#podsClient = options.client.resource(PODS);
    this.#informers = options.informers;
    this.#recorder = options.recorder;
    this.#now = options.now ?? Date.now;
    this.#workers = options.workers ?? 8;
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const pods = options.informers.forResource(PODS);
    const nodes = options.informers.forResource(NODES);
    ensurePodNodeNameIndex(pods);
    this.#pods = pods.lister;
    this.#nodes = nodes.lister;
    const enqueuePod = (pod: KubeObject): void => {
      if ((pod['spec'] as { nodeName?: string } | undefined)?.nodeName) this.queue.add(objectKey(pod));
    };
    pods.addEventHandler({ onAdd: enqueuePod, onUpdate: (_o, p) => enqueuePod(p), onDelete: (p) => this.queue.add(objectKey(p)) });
    const enqueueNode = (old: KubeObject | undefined, node: KubeObject): void => {
      if (old && JSON.stringify(noExecuteTaints(old)) === JSON.stringify(noExecuteTaints(node))) return;
      for (const pod of this.#pods.byIndex(POD_NODE_NAME_INDEX, node.metadata.name ?? '')) this.queue.add(objectKey(pod));
    };
    nodes.addEventHandler({ onAdd: (n) => enqueueNode(undefined, n), onUpdate: enqueueNode });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.#workers,
      signal,
      onError: (key, err) => this.#log(`taint eviction ${key}: ${(err as Error).message}`),
    });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.#pods.get(namespace, name);
    const nodeName = (pod?.['spec'] as { nodeName?: string } | undefined)?.nodeName;
    if (!pod || !nodeName || pod.metadata.deletionTimestamp) {
      this.#scheduled.delete(key);
      return;
    }
    const taints = noExecuteTaints(this.#nodes.get('', nodeName));
    const tolerations = (pod['spec'] as { tolerations?: Toleration[] }).tolerations ?? [];
    const allowed = taints.length === 0 ? Infinity : minTolerationTimeMs(taints, tolerations);
    const now = this.#now();
    if (allowed === Infinity) {
      if (this.#scheduled.delete(key)) this.#recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      return;
    }
    // the eviction clock starts when the (earliest) taint was added
    const added = taints.map((t) => Date.parse(t.timeAdded ?? '')).filter((t) => !Number.isNaN(t));
    const firstSeen = this.#scheduled.get(key) ?? now;
    this.#scheduled.set(key, firstSeen);
    const start = added.length > 0 ? Math.min(...added) : firstSeen;
    const due = start + allowed;
    if (now < due) {
      this.queue.addAfter(key, due - now);
      return;
    }
    await this.#deletePod(pod, key, now);
  }

  /** upstream addConditionAndDeletePod: a DisruptionTarget condition, then the deletion. */
  async #deletePod(pod: KubeObject, key: string, now: number): Promise<void> {
    this.#recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const ns = pod.metadata.namespace ?? '';
    const next = cloneJson(pod);
    const status = ((next['status'] as { conditions?: Array<Record<string, unknown>> } | undefined) ?? {}) as {
      conditions?: Array<Record<string, unknown>>;
    };
    next['status'] = status;
    const conditions = (status.conditions ??= []).filter((c) => c['type'] !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      lastTransitionTime: rfc3339(now),
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
    });
    status.conditions = conditions;
    try {
      await this.#podsClient.updateStatus(ns, next);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err; // a conflicting write is retried
      this.#scheduled.delete(key);
      return;
    }
    try {
      await this.#podsClient.delete(ns, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      // gone, or replaced by another pod of that name (the uid precondition fails)
      if (!isStatusError(err, 'NotFound') && !isStatusError(err, 'Conflict')) throw err;
    }
    this.#scheduled.delete(key);
  }
}
