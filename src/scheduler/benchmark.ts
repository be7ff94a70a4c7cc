/**
 * Scheduler throughput without I/O: N pods over M in-memory nodes through the real queue,
 * cache, framework and default plugins; binding is an in-memory call that the "informer"
 * confirms at once. Used by bench/ and by tests.
 */
import { performance } from 'node:perf_hooks';
import { SchedulerCache } from './cache/cache.js';
import type { BindPlugin } from './framework/interface.js';
import type { PodInfo } from './framework/pod-info.js';
import { Framework } from './framework/runtime.js';
import { type Status, success } from './framework/status.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { DEFAULT_PLUGINS, inTreeRegistry } from './registry.js';
import { SchedulingLoop } from './schedule-one.js';
import { PodScheduler } from './schedule-pod.js';
import { DEFAULT_SCHEDULER_NAME, LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE, type Node, type Pod } from './types.js';

export interface BatchResult {
  nodes: number;
  pods: number;
  scheduled: number;
  unschedulable: number;
  elapsedMs: number;
  podsPerSecond: number;
  /** Pods per node name. */
  placement: Map<string, number>;
}

/** Simulated nodes as k8ts' fake runtime registers them (32 CPU, 256Gi, 110 pods), over `zones` zones. */
export function makeNodes(count: number, opts: { zones?: number; cpu?: string; memory?: string; pods?: number } = {}): Node[] {
  const zones = opts.zones ?? 3;
  return Array.from({ length: count }, (_, i) => {
    const name = `node-${i}`;
    const allocatable = { cpu: opts.cpu ?? '32', memory: opts.memory ?? '256Gi', pods: String(opts.pods ?? 110) };
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, uid: `uid-${name}`, labels: { [LABEL_HOSTNAME]: name, [LABEL_TOPOLOGY_ZONE]: `zone-${i % zones}` } },
      spec: {},
      status: { capacity: allocatable, allocatable },
    };
  });
}

/** Pods with small requests, as a Deployment's replicas would be. */
export function makePods(
  count: number,
  opts: { namespace?: string; cpu?: string; memory?: string; labels?: Record<string, string> } = {},
): Pod[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: opts.namespace ?? 'default', uid: `uid-pod-${i}`, labels: opts.labels ?? { app: 'bench' } },
    spec: {
      schedulerName: DEFAULT_SCHEDULER_NAME,
      priority: 0,
      containers: [
        {
          name: 'c',
          image: 'registry.k8s.io/pause:3.10',
          resources: { requests: { cpu: opts.cpu ?? '10m', memory: opts.memory ?? '16Mi' } },
        },
      ],
    },
    status: { phase: 'Pending' },
  }));
}

class InMemoryBinder implements BindPlugin {
  readonly name = 'DefaultBinder';
  readonly #cache: SchedulerCache;
  constructor(cache: SchedulerCache) {
    this.#cache = cache;
  }
  async bind(_s: unknown, pod: PodInfo, nodeName: string): Promise<Status> {
    this.#cache.addPod({ ...pod.pod, spec: { ...pod.pod.spec, nodeName } });
    return success();
  }
}

/** Schedules `pods` onto `nodes` and measures pods per second (one attempt per pod). */
export async function scheduleBatch(
  nodes: readonly Node[],
  pods: readonly Pod[],
  opts: { percentageOfNodesToScore?: number } = {},
): Promise<BatchResult> {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addNode(n);
  const fwk = new Framework({
    registry: { ...inTreeRegistry, DefaultBinder: () => new InMemoryBinder(cache) },
    plugins: DEFAULT_PLUGINS,
    schedulerName: DEFAULT_SCHEDULER_NAME,
    snapshot: () => cache,
  });
  const queue = new SchedulingQueue({ less: (a, b) => fwk.queueSortLess(a, b), preEnqueue: (p) => fwk.runPreEnqueuePlugins(p) });
  fwk.nominator = queue;
  const loop = new SchedulingLoop({
    queue,
    cache,
    profiles: new Map([[DEFAULT_SCHEDULER_NAME, fwk]]),
    podScheduler: new PodScheduler({ percentageOfNodesToScore: opts.percentageOfNodesToScore }),
  });
  const start = performance.now();
  for (const p of pods) queue.add(p);
  for (let q = queue.tryPop(); q; q = queue.tryPop()) await loop.scheduleQueued(q);
  await loop.waitForBindings();
  const elapsedMs = performance.now() - start;
  const placement = new Map<string, number>();
  for (const ni of cache.list()) if (ni.pods.length > 0) placement.set(ni.name, ni.pods.length);
  return {
    nodes: nodes.length,
    pods: pods.length,
    scheduled: loop.scheduled,
    unschedulable: loop.failed,
    elapsedMs,
    podsPerSecond: (loop.scheduled / elapsedMs) * 1000,
    placement,
  };
}
