/**
 * In-memory scheduling of Deployment-shaped pods: like src/scheduler/benchmark.ts'
 * scheduleBatch, but the framework's default selector is the pod's `app` label, as the real
 * scheduler derives it from the owning ReplicaSet. That turns on PodTopologySpread's system
 * default constraints (hostname and zone, ScheduleAnyway), which count matching pods across
 * the cluster in every cycle — the cost density runs pay and bare pods do not.
 * Bounded by `maxMs`: pods still queued at the deadline are left unscheduled.
 */
import { performance } from 'node:perf_hooks';
import { selectorFromSet } from '../src/machinery/labels.js';
import { makeNodes, makePods } from '../src/scheduler/benchmark.js';
import { SchedulerCache } from '../src/scheduler/cache/cache.js';
import type { BindPlugin } from '../src/scheduler/framework/interface.js';
import type { PodInfo } from '../src/scheduler/framework/pod-info.js';
import { Framework } from '../src/scheduler/framework/runtime.js';
import { type Status, success } from '../src/scheduler/framework/status.js';
import { SchedulingQueue } from '../src/scheduler/queue/scheduling-queue.js';
import { DEFAULT_PLUGINS, inTreeRegistry } from '../src/scheduler/registry.js';
import { SchedulingLoop } from '../src/scheduler/schedule-one.js';
import { PodScheduler } from '../src/scheduler/schedule-pod.js';
import { DEFAULT_SCHEDULER_NAME, type Pod } from '../src/scheduler/types.js';

export interface SpreadBatchResult {
  nodes: number;
  pods: number;
  deployments: number;
  scheduled: number;
  elapsedMs: number;
  podsPerSecond: number;
  /** Pods/s over the last 10% of the pods scheduled (the cost grows with the pods placed). */
  tailPodsPerSecond: number;
  completed: boolean;
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

/** `pods` pods in `deployments` groups (label app=dep-<i>), as Deployments' replicas would be. */
export function makeDeploymentPods(pods: number, deployments: number): Pod[] {
  const perDeployment = Math.ceil(pods / deployments);
  return makePods(pods).map((p, i) => ({
    ...p,
    metadata: { ...p.metadata, name: `dep-${Math.floor(i / perDeployment)}-${i}`, labels: { app: `dep-${Math.floor(i / perDeployment)}` } },
  }));
}

export async function scheduleSpreadBatch(nodes: number, pods: number, deployments: number, maxMs: number): Promise<SpreadBatchResult> {
  const cache = new SchedulerCache();
  for (const n of makeNodes(nodes)) cache.addNode(n);
  const fwk = new Framework({
    registry: { ...inTreeRegistry, DefaultBinder: () => new InMemoryBinder(cache) },
    plugins: DEFAULT_PLUGINS,
    schedulerName: DEFAULT_SCHEDULER_NAME,
    snapshot: () => cache,
    defaultSelector: (pod) => selectorFromSet({ app: pod.metadata.labels?.['app'] ?? '' }),
  });
  const queue = new SchedulingQueue({ less: (a, b) => fwk.queueSortLess(a, b), preEnqueue: (p) => fwk.runPreEnqueuePlugins(p) });
  fwk.nominator = queue;
  const loop = new SchedulingLoop({
    queue,
    cache,
    profiles: new Map([[DEFAULT_SCHEDULER_NAME, fwk]]),
    podScheduler: new PodScheduler({}),
  });
  // interleave the groups, as Deployments created together produce their pods
  const all = makeDeploymentPods(pods, deployments);
  const perDeployment = Math.ceil(pods / deployments);
  const order: Pod[] = [];
  for (let k = 0; k < perDeployment; k++)
    for (let d = 0; d < deployments; d++) if (all[d * perDeployment + k]) order.push(all[d * perDeployment + k] as Pod);
  const start = performance.now();
  const deadline = start + maxMs;
  const tailFrom = Math.floor(pods * 0.9);
  let tailStart = start;
  for (const p of order) queue.add(p);
  let attempts = 0;
  for (let q = queue.tryPop(); q && performance.now() < deadline; q = queue.tryPop()) {
    if (attempts++ === tailFrom) tailStart = performance.now();
    await loop.scheduleQueued(q);
  }
  await loop.waitForBindings();
  const end = performance.now();
  const elapsedMs = end - start;
  const completed = loop.scheduled + loop.failed >= pods;
  return {
    nodes,
    pods,
    deployments,
    scheduled: loop.scheduled,
    elapsedMs,
    podsPerSecond: (loop.scheduled * 1000) / elapsedMs,
    tailPodsPerSecond: completed && end > tailStart ? ((pods - tailFrom) * 1000) / (end - tailStart) : Number.NaN,
    completed,
  };
}
