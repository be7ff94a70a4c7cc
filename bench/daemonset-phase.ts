/**
 * DaemonSet coverage: a k8ts server plus a `k8ts agent` process with N simulated nodes; one
 * DaemonSet is created and the run lasts until a pod Runs on every node (watches count bound and
 * Running pods) and the DaemonSet's status says so (numberAvailable = N, what `kubectl rollout
 * status` waits for); then its image changes and the rolling update (maxUnavailable 10%) is
 * timed until every node runs the new template. Each wait is bounded by `maxMs`.
 */
import { performance } from 'node:perf_hooks';
import type { PhaseOutcome } from './api-phase.js';
import { startCluster } from './cluster.js';
import { HttpsClient } from './https-client.js';
import { ensureNamespace } from './operations.js';
import { watchPodProgress } from './pod-progress.js';

export interface DaemonSetPhaseOptions {
  entry: string;
  nodes: number;
  maxMs: number;
  log: (line: string) => void;
}

export interface DaemonSetResult {
  nodes: number;
  nodesReadyMs: number;
  /** DaemonSet POST → the last pod bound / Running / status numberAvailable = N. */
  boundMs: number;
  runningMs: number;
  availableMs: number;
  running: number;
  /** Image change → updatedNumberScheduled = numberAvailable = N (undefined when not reached). */
  rolloutMs?: number;
}

const NAMESPACE = 'daemonset-bench';
const NAME = 'node-agent';
const PATH = `/apis/apps/v1/namespaces/${NAMESPACE}/daemonsets`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function daemonSetBody(): string {
  const labels = { app: NAME };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: NAME, namespace: NAMESPACE },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'agent', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          terminationGracePeriodSeconds: 0,
        },
      },
    },
  });
}

interface DaemonSetView {
  metadata: { generation?: number };
  spec: { template: { spec: { containers: { image: string }[] } } };
  status?: { observedGeneration?: number; updatedNumberScheduled?: number; numberAvailable?: number };
}

/** Polls the DaemonSet until every one of `n` nodes runs an available pod of its current generation. */
async function waitRolledOut(client: HttpsClient, n: number, deadline: number): Promise<number | undefined> {
  while (performance.now() < deadline) {
    const ds = JSON.parse((await client.expect([200], 'GET', `${PATH}/${NAME}`)).body) as DaemonSetView;
    const s = ds.status ?? {};
    if ((s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 1) && s.updatedNumberScheduled === n && s.numberAvailable === n) {
      return performance.now();
    }
    await sleep(100);
  }
  return undefined;
}

async function measure(options: DaemonSetPhaseOptions): Promise<DaemonSetResult> {
  const { log, nodes } = options;
  const cluster = await startCluster({ entry: options.entry, nodes, log });
  try {
    const client = new HttpsClient({ baseUrl: cluster.target.url, tls: cluster.target.tls, maxSockets: 4 });
    try {
      await ensureNamespace(client, NAMESPACE);
      const bound = await watchPodProgress(cluster.target, NAMESPACE, 'spec.nodeName!=');
      const running = await watchPodProgress(cluster.target, NAMESPACE, 'status.phase=Running');
      const t0 = performance.now();
      let availableAt: number | undefined;
      try {
        await client.expect([201], 'POST', PATH, daemonSetBody());
        await running.waitFor(nodes, t0 + options.maxMs, (c) => log(`${bound.count} bound, ${c} Running of ${nodes}`));
        availableAt = await waitRolledOut(client, nodes, t0 + options.maxMs);
      } finally {
        bound.close();
        running.close();
      }
      const result: DaemonSetResult = {
        nodes,
        nodesReadyMs: cluster.nodesReadyMs,
        boundMs: bound.lastAt - t0,
        runningMs: running.lastAt - t0,
        availableMs: availableAt === undefined ? Number.NaN : availableAt - t0,
        running: running.count,
      };
      if (availableAt === undefined) return result;
      const ds = JSON.parse((await client.expect([200], 'GET', `${PATH}/${NAME}`)).body) as DaemonSetView;
      ds.spec.template.spec.containers[0]!.image = 'registry.k8s.io/pause:3.9';
      const t1 = performance.now();
      await client.expect([200], 'PUT', `${PATH}/${NAME}`, JSON.stringify(ds));
      const rolledAt = await waitRolledOut(client, nodes, t1 + options.maxMs);
      if (rolledAt !== undefined) result.rolloutMs = rolledAt - t1;
      return result;
    } finally {
      client.close();
    }
  } finally {
    await cluster.stop();
  }
}

const seconds = (ms: number | undefined): string => (ms === undefined || Number.isNaN(ms) ? 'not reached' : `${(ms / 1000).toFixed(1)} s`);

export async function runDaemonSetPhase(options: DaemonSetPhaseOptions): Promise<PhaseOutcome> {
  console.log(`\ndaemonset: one DaemonSet over ${options.nodes} simulated nodes (agent process), each wait ≤ ${options.maxMs / 1000} s`);
  let result: DaemonSetResult | undefined;
  let error: string | undefined;
  try {
    result = await measure(options);
  } catch (err) {
    error = (err as Error).message;
    options.log(`daemonset failed: ${error}`);
  }
  const r = result;
  return {
    failed: r === undefined || Number.isNaN(r.availableMs) || r.rolloutMs === undefined,
    print: () => {
      if (!r) return console.log(`daemonset: no results (${error ?? 'unknown error'})`);
      console.log(`nodes Ready: ${r.nodes} in ${seconds(r.nodesReadyMs)}`);
      console.log(`cover every node: last pod bound ${seconds(r.boundMs)}, Running ${seconds(r.runningMs)} (${r.running}/${r.nodes})`);
      console.log(`status numberAvailable = ${r.nodes} (rollout status done): ${seconds(r.availableMs)}`);
      console.log(`rolling update of the image, maxUnavailable 10%: ${seconds(r.rolloutMs)}`);
    },
  };
}
