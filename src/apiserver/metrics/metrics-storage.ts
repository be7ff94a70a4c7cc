/**
 * What the metrics API serves, kept as metrics-server's storage keeps it: the last two points of
 * each node and container, each a cumulative CPU counter and the memory working set at the time
 * of a scrape. CPU usage is the counter's growth over the window between the two points, so a
 * container has a usage from its second scrape on (the kubelet's Summary times are whole seconds:
 * too coarse to count from a container's start). A counter that went backwards or a container
 * that restarted gives no usage until the next scrape. Pods appear only when every container
 * has a usage.
 */

export interface MetricsPoint {
  /** When the point was scraped, epoch ms. */
  timestamp: number;
  /** Cumulative CPU time, nanoseconds. */
  cumulativeCpuNs: number;
  /** Memory working set, bytes. */
  memoryBytes: number;
  /** When the container started, epoch ms (0: unknown); a new start begins a new counter. */
  startTime: number;
}

/** One scrape round: nodes by name, pods by "namespace/name" with their containers by name. */
export interface MetricsBatch {
  nodes: Map<string, MetricsPoint>;
  pods: Map<string, Map<string, MetricsPoint>>;
}

export interface Usage {
  timestamp: number;
  windowMs: number;
  /** CPU, nanocores. */
  cpu: number;
  /** Memory working set, bytes. */
  memory: number;
}

export interface PodUsage {
  timestamp: number;
  windowMs: number;
  containers: { name: string; cpu: number; memory: number }[];
}

/** The usage between two points, or undefined when there is no window or the counter was reset. */
function usageBetween(prev: MetricsPoint, last: MetricsPoint): Usage | undefined {
  const windowMs = last.timestamp - prev.timestamp;
  const used = last.cumulativeCpuNs - prev.cumulativeCpuNs;
  if (windowMs <= 0 || used < 0) return undefined;
  return { timestamp: last.timestamp, windowMs, cpu: Math.round((used * 1000) / windowMs), memory: last.memoryBytes };
}

/** The new previous point of a key: the old last one when the new one is later, else the old previous. */
function advance(prev: MetricsPoint | undefined, last: MetricsPoint | undefined, point: MetricsPoint): MetricsPoint | undefined {
  if (!last) return undefined;
  return point.timestamp > last.timestamp ? last : prev;
}

export class MetricsStorage {
  #lastNodes = new Map<string, MetricsPoint>();
  #prevNodes = new Map<string, MetricsPoint>();
  #lastPods = new Map<string, Map<string, MetricsPoint>>();
  #prevPods = new Map<string, Map<string, MetricsPoint>>();
  /** Stores a round; nodes and pods not in it are forgotten. */
  store(batch: MetricsBatch): void {
    const prevNodes = new Map<string, MetricsPoint>();
    for (const [name, point] of batch.nodes) {
      const prev = advance(this.#prevNodes.get(name), this.#lastNodes.get(name), point);
      if (prev) prevNodes.set(name, prev);
    }
    const prevPods = new Map<string, Map<string, MetricsPoint>>();
    for (const [key, containers] of batch.pods) {
      const lastPod = this.#lastPods.get(key);
      const prevPod = this.#prevPods.get(key);
      const prev = new Map<string, MetricsPoint>();
      for (const [name, point] of containers) {
        const p = advance(prevPod?.get(name), lastPod?.get(name), point);
        if (p && p.startTime === point.startTime) prev.set(name, p);
      }
      prevPods.set(key, prev);
    }
    this.#lastNodes = new Map(batch.nodes);
    this.#prevNodes = prevNodes;
    this.#lastPods = new Map(batch.pods);
    this.#prevPods = prevPods;
  }

  /** metric-storage-ready: some node was scraped in the last two rounds, so usages can be served. */
  ready(): boolean {
    return this.#prevNodes.size > 0;
  }

  node(name: string): Usage | undefined {
    const last = this.#lastNodes.get(name);
    const prev = this.#prevNodes.get(name);
    return last && prev ? usageBetween(prev, last) : undefined;
  }

  /** A pod's usage by "namespace/name"; undefined unless every container has one. */
  pod(key: string): PodUsage | undefined {
    const last = this.#lastPods.get(key);
    const prev = this.#prevPods.get(key);
    if (!last || !prev || last.size === 0) return undefined;
    const out: PodUsage = { timestamp: 0, windowMs: 0, containers: [] };
    for (const [name, point] of last) {
      const p = prev.get(name);
      const usage = p && usageBetween(p, point);
      if (!usage) return undefined;
      out.timestamp = Math.max(out.timestamp, usage.timestamp);
      out.windowMs = Math.max(out.windowMs, usage.windowMs);
      out.containers.push({ name, cpu: usage.cpu, memory: usage.memory });
    }
    out.containers.sort((a, b) => a.name.localeCompare(b.name));
    return out;
  }
}
