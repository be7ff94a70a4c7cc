/**
 * Scheduler throughput, two ways:
 *  - in memory: src/scheduler/benchmark.ts' scheduleBatch (real queue, cache, framework and
 *    default plugins; binding is an in-memory call), pods/s over M nodes;
 *  - end to end: a k8ts server plus a `k8ts agent` process with M simulated nodes; bare pods are
 *    POSTed by a bounded client and a watch with `fieldSelector=spec.nodeName!=` counts bindings.
 *    Scheduled pods/s = pods / (first create sent → last pod bound);
 *  - backlog, on the same cluster: the benchmark holds the scheduler's Lease, creates the pods,
 *    then releases the Lease; pods/s = pods / (first pod bound → last pod bound), the scheduler's
 *    own throughput through the API once pods and nodes exist; the agent's kubelets run every
 *    bound pod meanwhile (its status writes double the API's writes per pod) and renew their
 *    Leases (500 writes/s at 5,000 nodes);
 *  - backlog without kubelets, scheduler_perf's setup (SchedulingBasic): a k8ts server alone, the
 *    nodes created as API objects (scheduler_perf's node template: capacity, Ready), so nothing
 *    but the scheduler writes while it binds. scheduler_perf runs no node lifecycle controller;
 *    here it runs with a grace period longer than the run, so it leaves the silent nodes alone.
 */
import { performance } from 'node:perf_hooks';
import { makeNodes, makePods, scheduleBatch } from '../src/scheduler/benchmark.js';
import { type Cluster, startCluster, startServer } from './cluster.js';
import { HttpsClient } from './https-client.js';
import type { LoadResult } from './load.js';
import { ensureNamespace, type Target } from './operations.js';
import { watchPodProgress } from './pod-progress.js';
import { processMemory, type ProcessMemory } from './processes.js';
import { holdScheduler, releaseScheduler } from './scheduler-lease.js';
import { createMany, NODES_PATH, nodeBody, podBody, podsPath } from './workloads.js';

export type Log = (line: string) => void;

export interface InMemoryResult {
  nodes: number;
  pods: number;
  scheduled: number;
  unschedulable: number;
  elapsedMs: number;
  podsPerSecond: number;
  nodesUsed: number;
}

export interface EndToEndResult {
  nodes: number;
  pods: number;
  nodesReadyMs: number;
  creates: LoadResult;
  scheduled: number;
  /** First create sent → last pod seen bound (or the deadline). */
  elapsedMs: number;
  podsPerSecond: number;
  completed: boolean;
  serverMemory: ProcessMemory;
  agentMemory: ProcessMemory;
}

export interface BacklogResult {
  nodes: number;
  /** Whether simulated kubelets ran the bound pods (false: nodes as API objects). */
  kubelets: boolean;
  pods: number;
  /** Creating the backlog while the scheduler is held. */
  creates: LoadResult;
  scheduled: number;
  /** Lease released → first pod bound: the election, and the scheduler's informers syncing. */
  startMs: number;
  /** First pod bound → last pod bound (or the deadline). */
  elapsedMs: number;
  podsPerSecond: number;
  completed: boolean;
}

export interface EndToEndOptions {
  entry: string;
  nodes: number;
  pods: number;
  concurrency: number;
  /** Bound on the whole measured run (creates and scheduling). */
  maxMs: number;
  log: Log;
}

/** scheduleBatch over `nodes` nodes and `pods` pods, one warm-up batch first. */
export async function measureInMemory(nodes: number, pods: number): Promise<InMemoryResult> {
  await scheduleBatch(makeNodes(Math.min(nodes, 100)), makePods(1000));
  const r = await scheduleBatch(makeNodes(nodes), makePods(pods));
  return {
    nodes: r.nodes,
    pods: r.pods,
    scheduled: r.scheduled,
    unschedulable: r.unschedulable,
    elapsedMs: r.elapsedMs,
    podsPerSecond: r.podsPerSecond,
    nodesUsed: r.placement.size,
  };
}

const NAMESPACE = 'sched-bench';
const BACKLOG_NAMESPACE = 'sched-backlog';

async function measureOnCluster(cluster: Cluster, options: EndToEndOptions): Promise<EndToEndResult> {
  const client = new HttpsClient({ baseUrl: cluster.target.url, tls: cluster.target.tls, maxSockets: options.concurrency });
  try {
    await ensureNamespace(client, NAMESPACE);
    const progress = await watchPodProgress(cluster.target, NAMESPACE, 'spec.nodeName!=');
    try {
      const t0 = performance.now();
      const deadline = t0 + options.maxMs;
      const creating = createMany(client, {
        count: options.pods,
        concurrency: options.concurrency,
        maxMs: options.maxMs,
        path: podsPath(NAMESPACE),
        body: (i) => podBody(NAMESPACE, `pod-${i}`),
      });
      const creates = await creating;
      options.log(
        `created ${creates.ops} pods in ${(creates.elapsedMs / 1000).toFixed(1)} s (${Math.round(creates.throughput)}/s, ${creates.errors} errors); ${progress.count} bound so far`,
      );
      const completed = await progress.waitFor(creates.ops, deadline, (n) => options.log(`${n}/${creates.ops} bound`));
      const elapsedMs = (completed ? progress.lastAt : performance.now()) - t0;
      const scheduled = progress.count;
      progress.close();
      return {
        nodes: options.nodes,
        pods: options.pods,
        nodesReadyMs: cluster.nodesReadyMs,
        creates,
        scheduled,
        elapsedMs,
        podsPerSecond: (scheduled * 1000) / elapsedMs,
        completed: completed && creates.ops === options.pods,
        serverMemory: processMemory(cluster.server.pid as number),
        agentMemory: processMemory(cluster.agent.pid as number),
      };
    } finally {
      progress.close();
    }
  } finally {
    client.close();
  }
}

async function measureBacklog(target: Target, kubelets: boolean, options: EndToEndOptions): Promise<BacklogResult> {
  const client = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: options.concurrency });
  try {
    await ensureNamespace(client, BACKLOG_NAMESPACE);
    await holdScheduler(client, 'k8ts-bench');
    const progress = await watchPodProgress(target, BACKLOG_NAMESPACE, 'spec.nodeName!=');
    try {
      const creates = await createMany(client, {
        count: options.pods,
        concurrency: options.concurrency,
        maxMs: options.maxMs,
        path: podsPath(BACKLOG_NAMESPACE),
        body: (i) => podBody(BACKLOG_NAMESPACE, `pod-${i}`),
      });
      if (progress.count > 0) throw new Error(`${progress.count} pods were bound while the scheduler was held`);
      options.log(`held the scheduler and created ${creates.ops} pods (${Math.round(creates.throughput)}/s); releasing its Lease`);
      const released = performance.now();
      await releaseScheduler(client);
      const completed = await progress.waitFor(creates.ops, released + options.maxMs, (n) => options.log(`${n}/${creates.ops} bound`));
      const end = completed ? progress.lastAt : performance.now();
      const first = progress.firstAt || end;
      const elapsedMs = Math.max(1, end - first);
      return {
        nodes: options.nodes,
        kubelets,
        pods: options.pods,
        creates,
        scheduled: progress.count,
        startMs: first - released,
        elapsedMs,
        podsPerSecond: (progress.count * 1000) / elapsedMs,
        completed: completed && creates.ops === options.pods,
      };
    } finally {
      progress.close();
    }
  } finally {
    client.close();
  }
}

/**
 * Starts a cluster with `nodes` nodes, measures end to end and then the backlog on it, and stops
 * it (always). `backlog` is undefined when end to end did not complete.
 */
export async function measureEndToEnd(options: EndToEndOptions): Promise<{ endToEnd: EndToEndResult; backlog?: BacklogResult }> {
  const cluster = await startCluster(options);
  try {
    const endToEnd = await measureOnCluster(cluster, options);
    if (!endToEnd.completed) return { endToEnd };
    return { endToEnd, backlog: await measureBacklog(cluster.target, true, options) };
  } finally {
    await cluster.stop();
  }
}

/** Longer than any run: the node lifecycle controller must not mark the kubelet-less nodes Unknown. */
const NO_KUBELET_GRACE = '1h';

/** The backlog in scheduler_perf's setup: a server alone, `nodes` Node objects, no kubelets. */
export async function measureBacklogWithoutKubelets(options: EndToEndOptions): Promise<BacklogResult> {
  const server = await startServer({ ...options, serverArgs: ['--node-monitor-grace-period', NO_KUBELET_GRACE] });
  try {
    const client = new HttpsClient({ baseUrl: server.target.url, tls: server.target.tls, maxSockets: options.concurrency });
    try {
      const nodes = await createMany(client, {
        count: options.nodes,
        concurrency: options.concurrency,
        maxMs: options.maxMs,
        path: NODES_PATH,
        body: (i) => nodeBody(`node-${i}`),
      });
      if (nodes.ops !== options.nodes) throw new Error(`created ${nodes.ops}/${options.nodes} nodes (${nodes.errors} errors)`);
      options.log(`created ${nodes.ops} Node objects in ${(nodes.elapsedMs / 1000).toFixed(1)} s`);
    } finally {
      client.close();
    }
    return await measureBacklog(server.target, false, options);
  } finally {
    await server.stop();
  }
}
