/**
 * The replica calculator (upstream podautoscaler/replica_calculator.go) for resource metrics:
 * from the pods' usage and requests, the replica count that brings the average to the target.
 * Pods being deleted or failed are ignored; pending ones, and for CPU ones not yet ready (within
 * the CPU initialization period, or unready since their start within the initial readiness
 * delay), count as unready; pods without a sample are missing. A scale-up counts unready and
 * missing pods at 0, a scale-down counts missing ones at their request (or the target, if over
 * 100 %), and no change is made inside the tolerance or when these assumptions flip the
 * direction.
 */
import { asObj, objs, str } from '../../api/core/access.js';
import type { Pod } from '../controller-utils/types.js';
import { parseQuantity } from '../../machinery/quantity.js';
import type { HorizontalControllerTimings } from './options.js';
import type { PodMetricsInfo } from './metrics-client.js';

export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

type Timings = Pick<HorizontalControllerTimings, 'tolerance' | 'cpuInitializationPeriodMs' | 'initialReadinessDelayMs'>;

/** groupPods. */
export function groupPods(pods: readonly Pod[], metrics: PodMetricsInfo, resource: string, t: Timings, now: number): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const start = Date.parse(str(pod.status?.['startTime']));
      let unready: boolean;
      if (!ready || Number.isNaN(start)) unready = true;
      else {
        const transition = Date.parse(ready.lastTransitionTime ?? '') || 0;
        if (start + t.cpuInitializationPeriodMs > now) {
          // within the initialization period: only samples taken a whole window after becoming ready count
          unready = ready.status === 'False' || metric.timestamp < transition + metric.windowMs;
        } else {
          // after it: a pod that never became ready
          unready = ready.status === 'False' && start + t.initialReadinessDelayMs > transition;
        }
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** calculatePodRequests: each pod's request of the resource in milli-units (its containers' and sidecars', or one container's). */
export function calculatePodRequests(pods: readonly Pod[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const spec = pod.spec ?? {};
    const containers = [...objs(spec['containers']), ...objs(spec['initContainers']).filter((c) => c['restartPolicy'] === 'Always')];
    let sum = 0;
    for (const c of containers) {
      if (container && container !== c['name']) continue;
      const request = asObj(asObj(c['resources'])?.['requests'])?.[resource];
      if (request === undefined)
        throw new Error(`missing request for ${resource} in container ${str(c['name'])} of Pod ${pod.metadata.name}`);
      sum += parseQuantity(str(request)).milliValue();
    }
    requests.set(pod.metadata.name ?? '', sum);
  }
  return requests;
}

/** GetResourceUtilizationRatio: usage over requests of the pods having both, against the target percentage. */
export function resourceUtilizationRatio(
  metrics: PodMetricsInfo,
  requests: Map<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, m] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / entries) };
}

function metricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}

export interface ReplicaInput {
  currentReplicas: number;
  pods: readonly Pod[];
  metrics: PodMetricsInfo;
  resource: string;
  timings: Timings;
  now: number;
}

/**
 * The calculation both target types share: `usageOf` measures a set of samples (its `ratio`
 * against the target) and `missingOnScaleDown` is what a pod without a sample counts on a
 * scale-down. Returns the replica count and the measure of the ready pods' own samples.
 */
function calculate<T extends { ratio: number }>(
  input: ReplicaInput,
  usageOf: (metrics: PodMetricsInfo) => T,
  missingOnScaleDown: (pod: string) => number,
  beforeUsage: () => void = () => {},
): { replicas: number; usage: T } {
  const { currentReplicas, pods, resource, timings, now } = input;
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics: PodMetricsInfo = new Map(input.metrics);
  const g = groupPods(pods, metrics, resource, timings, now);
  for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  beforeUsage();
  const within = (r: number): boolean => Math.abs(1 - r) <= timings.tolerance;
  const usage = usageOf(metrics);
  const scaleUpWithUnready = g.unready.size > 0 && usage.ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    return { replicas: within(usage.ratio) ? currentReplicas : Math.ceil(usage.ratio * g.readyPodCount), usage };
  }
  for (const name of g.missing) {
    if (usage.ratio < 1) metrics.set(name, { timestamp: 0, windowMs: 0, value: missingOnScaleDown(name) });
    else if (usage.ratio > 1) metrics.set(name, { timestamp: 0, windowMs: 0, value: 0 });
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { timestamp: 0, windowMs: 0, value: 0 });
  const newRatio = usageOf(metrics).ratio;
  const unchanged = { replicas: currentReplicas, usage };
  if (within(newRatio) || (usage.ratio < 1 && newRatio > 1) || (usage.ratio > 1 && newRatio < 1)) return unchanged;
  const replicas = Math.ceil(newRatio * metrics.size);
  // a change in the number of samples must not turn the direction either
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return unchanged;
  return { replicas, usage };
}

/** GetResourceReplicas: a Utilization target (percent of request). */
export function resourceReplicas(
  input: ReplicaInput,
  targetUtilization: number,
  container: string,
): { replicas: number; utilization: number; rawAverage: number } {
  let requests = new Map<string, number>();
  const { replicas, usage } = calculate(
    input,
    (m) => resourceUtilizationRatio(m, requests, targetUtilization),
    (name) => ((requests.get(name) ?? 0) * Math.max(100, targetUtilization)) / 100,
    () => {
      requests = calculatePodRequests(input.pods, container, input.resource);
    },
  );
  return { replicas, utilization: usage.utilization, rawAverage: usage.rawAverage };
}

/** GetRawResourceReplicas: an AverageValue target (milli-units per pod). */
export function rawResourceReplicas(input: ReplicaInput, targetUsage: number): { replicas: number; usage: number } {
  const { replicas, usage } = calculate(
    input,
    (m) => metricUsageRatio(m, targetUsage),
    () => targetUsage,
  );
  return { replicas, usage: usage.usage };
}
