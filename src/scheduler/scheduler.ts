/**
 * The Scheduler (upstream pkg/scheduler.Scheduler): watches unbound pods for its schedulerName,
 * bound pods, nodes and PriorityClasses through shared informers, keeps the cache and the queue,
 * and runs the scheduling loop until the signal aborts. Binds through pods/binding and records
 * Scheduled / FailedScheduling events.
 */
import { performance } from 'node:perf_hooks';
import type { Clientset, EventsV1Recorder, GroupVersionResource, SharedInformer, SharedInformerFactory } from '../client/interface.js';
import { type LabelSelector, labelSelectorFromMeta, type Selector, selectorFromSet } from '../machinery/labels.js';
import { SchedulerCache } from './cache/cache.js';
import { nodeEventHandler, podEventHandler } from './event-handlers.js';
import { Framework } from './framework/runtime.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { DEFAULT_PLUGINS, inTreeRegistry, type PluginConfig } from './registry.js';
import { SchedulingLoop } from './schedule-one.js';
import { PodScheduler } from './schedule-pod.js';
import { DEFAULT_SCHEDULER_NAME, type Pod, type PodDisruptionBudget, type PriorityClass } from './types.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../api/storage/volume-helpers.js';

const gvr = (group: string, resource: string, version = 'v1'): GroupVersionResource => ({ group, version, resource });
export const SCHEDULER_RESOURCES = {
  pods: gvr('', 'pods'),
  nodes: gvr('', 'nodes'),
  namespaces: gvr('', 'namespaces'),
  services: gvr('', 'services'),
  replicationControllers: gvr('', 'replicationcontrollers'),
  replicaSets: gvr('apps', 'replicasets'),
  statefulSets: gvr('apps', 'statefulsets'),
  priorityClasses: gvr('scheduling.k8s.io', 'priorityclasses'),
  podDisruptionBudgets: gvr('policy', 'poddisruptionbudgets'),
  persistentVolumeClaims: gvr('', 'persistentvolumeclaims'),
  persistentVolumes: gvr('', 'persistentvolumes'),
  storageClasses: gvr('storage.k8s.io', 'storageclasses'),
} as const;

export interface SchedulerProfile {
  schedulerName: string;
  plugins?: readonly PluginConfig[];
}

export interface SchedulerOptions {
  clientset: Clientset;
  informers: SharedInformerFactory;
  recorder: EventsV1Recorder;
  schedulerName?: string;
  signal: AbortSignal;
  /** More profiles (each a schedulerName with its plugins); default: one default profile. */
  profiles?: readonly SchedulerProfile[];
  /** 0 (default) = adaptive, as upstream. */
  percentageOfNodesToScore?: number;
  now?: () => number;
}

/** How long the scheduling loop runs before it lets other work of the event loop through. */
const YIELD_EVERY_MS = 5;

export class Scheduler {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly profiles = new Map<string, Framework>();
  readonly loop: SchedulingLoop;
  readonly #o: SchedulerOptions;
  readonly #informers: Record<keyof typeof SCHEDULER_RESOURCES, SharedInformer>;

  constructor(opts: SchedulerOptions) {
    this.#o = opts;
    const now = opts.now ?? Date.now;
    const inf = opts.informers;
    this.#informers = Object.fromEntries(Object.entries(SCHEDULER_RESOURCES).map(([k, r]) => [k, inf.forResource(r)])) as Record<
      keyof typeof SCHEDULER_RESOURCES,
      SharedInformer
    >;
    this.cache = new SchedulerCache({ now });
    const profiles = opts.profiles ?? [{ schedulerName: opts.schedulerName ?? DEFAULT_SCHEDULER_NAME }];
    for (const p of profiles) {
      this.profiles.set(
        p.schedulerName,
        new Framework({
          registry: inTreeRegistry,
          plugins: p.plugins ?? DEFAULT_PLUGINS,
          schedulerName: p.schedulerName,
          snapshot: () => this.cache,
          clientset: opts.clientset,
          recorder: opts.recorder,
          namespaceLabels: (ns) => this.#informers.namespaces.lister.get('', ns)?.metadata.labels,
          defaultSelector: (pod) => this.defaultSelector(pod),
          podDisruptionBudgets: () => this.#informers.podDisruptionBudgets.lister.list() as PodDisruptionBudget[],
          volumeListers: {
            claim: (ns, name) => this.#informers.persistentVolumeClaims.lister.get(ns, name) as PersistentVolumeClaim | undefined,
            volumes: () => this.#informers.persistentVolumes.lister.list() as PersistentVolume[],
            storageClass: (name) => this.#informers.storageClasses.lister.get('', name) as StorageClass | undefined,
          },
          now,
        }),
      );
    }
    const first = [...this.profiles.values()][0]!;
    this.queue = new SchedulingQueue({
      less: (a, b) => first.queueSortLess(a, b),
      preEnqueue: (pod) => (this.profiles.get(pod.spec.schedulerName || DEFAULT_SCHEDULER_NAME) ?? first).runPreEnqueuePlugins(pod),
      eventsOf: (plugin) => first.eventsOf(plugin),
      now,
    });
    for (const f of this.profiles.values()) f.nominator = this.queue;
    this.loop = new SchedulingLoop({
      queue: this.queue,
      cache: this.cache,
      profiles: this.profiles,
      podScheduler: new PodScheduler({ percentageOfNodesToScore: opts.percentageOfNodesToScore }),
      clientset: opts.clientset,
      recorder: opts.recorder,
      currentPod: (pod) => this.#informers.pods.lister.get(pod.metadata.namespace ?? '', pod.metadata.name ?? '') as Pod | undefined,
      now,
    });
    const deps = {
      cache: this.cache,
      queue: this.queue,
      responsibleFor: (pod: Pod) => this.profiles.has(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME),
      withPriority: (pod: Pod) => this.withPriority(pod),
    };
    this.#informers.pods.addEventHandler(podEventHandler(deps));
    this.#informers.nodes.addEventHandler(nodeEventHandler(deps));
    for (const [informer, resource] of [
      [this.#informers.persistentVolumeClaims, 'PersistentVolumeClaim'],
      [this.#informers.persistentVolumes, 'PersistentVolume'],
      [this.#informers.storageClasses, 'StorageClass'],
    ] as const) {
      informer.addEventHandler({
        onAdd: () => this.queue.moveAllToActiveOrBackoffQueue(resource, 'Add'),
        onUpdate: () => this.queue.moveAllToActiveOrBackoffQueue(resource, 'Update'),
      });
    }
    this.#informers.namespaces.addEventHandler({
      onAdd: () => this.queue.moveAllToActiveOrBackoffQueue('Namespace', 'Add'),
      onUpdate: () => this.queue.moveAllToActiveOrBackoffQueue('Namespace', 'Update'),
    });
  }

  /** The pod with spec.priority (and preemptionPolicy) from its PriorityClass, when admission did not set it. */
  withPriority(pod: Pod): Pod {
    if (pod.spec?.priority !== undefined) return pod;
    const classes = this.#informers.priorityClasses.lister;
    const name = pod.spec?.priorityClassName;
    const pc = (name ? classes.get('', name) : classes.list().find((c) => (c as PriorityClass).globalDefault)) as PriorityClass | undefined;
    const spec = { ...pod.spec, priority: pc?.value ?? 0 };
    if (pc?.preemptionPolicy && !spec.preemptionPolicy) spec.preemptionPolicy = pc.preemptionPolicy;
    return { ...pod, spec };
  }

  /** Upstream helper.DefaultSelector: the Services' selectors plus the controller's selector. */
  defaultSelector(pod: Pod): Selector {
    const ns = pod.metadata.namespace ?? '';
    const labels = pod.metadata.labels ?? {};
    const set: Record<string, string> = {};
    for (const svc of this.#informers.services.lister.list(ns)) {
      const sel = (svc['spec'] as { selector?: Record<string, string> } | undefined)?.selector;
      if (!sel || Object.keys(sel).length === 0) continue;
      if (Object.entries(sel).every(([k, v]) => labels[k] === v)) Object.assign(set, sel);
    }
    let selector = selectorFromSet(set);
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (!owner) return selector;
    const spec = (i: SharedInformer) => i.lister.get(ns, owner.name)?.['spec'] as { selector?: unknown } | undefined;
    try {
      if (owner.kind === 'ReplicationController' && owner.apiVersion === 'v1') {
        const sel = spec(this.#informers.replicationControllers)?.selector as Record<string, string> | undefined;
        if (sel) selector = selectorFromSet({ ...set, ...sel });
      } else if (owner.apiVersion === 'apps/v1' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
        const i = owner.kind === 'ReplicaSet' ? this.#informers.replicaSets : this.#informers.statefulSets;
        const sel = spec(i)?.selector as LabelSelector | undefined;
        if (sel) selector = selector.add(...labelSelectorFromMeta(sel).requirements);
      }
    } catch {
      // an invalid controller selector adds nothing
    }
    return selector;
  }

  /** Starts the informers for the scheduler's lifetime (its options' signal) and waits for their caches. */
  async syncCaches(): Promise<void> {
    const { signal, informers } = this.#o;
    informers.start(signal);
    await informers.waitForCacheSync(signal);
  }

  /**
   * Schedules until `leading` (a leadership term) or the scheduler's own signal aborts, after
   * the caches synced. The informers keep feeding the cache and the queue between terms, so
   * the next term (another run) starts from warm caches, as a standby kube-scheduler does.
   */
  async run(leading: AbortSignal = this.#o.signal): Promise<void> {
    await this.syncCaches();
    const signal = AbortSignal.any([leading, this.#o.signal]);
    if (signal.aborted) return;
    this.queue.run(signal);
    const cleanup = setInterval(() => this.cache.cleanupAssumedPods(), 1000);
    cleanup.unref?.();
    signal.addEventListener('abort', () => clearInterval(cleanup), { once: true });
    let ranSince = performance.now();
    while (!signal.aborted) {
      try {
        if (!(await this.loop.scheduleOne())) break;
      } catch {
        // one pod's unexpected failure must not stop the scheduler
      }
      // With pods queued, a cycle never waits for I/O: every few milliseconds the loop lets the
      // binding cycles' requests and the informers' events through (upstream runs them as goroutines).
      if (performance.now() - ranSince >= YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        ranSince = performance.now();
      }
    }
    clearInterval(cleanup);
  }
}
