/**
 * The statefulset phase: how long a StatefulSet of N replicas takes from creation until every
 * pod is Ready (status.readyReplicas = N), on simulated nodes (one agent process), once with
 * podManagementPolicy OrderedReady (one pod at a time, each after its predecessor is Ready)
 * and once Parallel. Status is polled every 100 ms; each set is bounded by maxMs.
 */
import { performance } from 'node:perf_hooks';
import type { PhaseOutcome } from './api-phase.js';
import { startCluster } from './cluster.js';
import { HttpsClient } from './https-client.js';
import { ensureNamespace } from './operations.js';
import { fixed, renderTable } from './report.js';

export interface StatefulSetPhaseOptions {
  entry: string;
  nodes: number;
  replicas: number;
  maxMs: number;
  log: (line: string) => void;
}

const NAMESPACE = 'sts-bench';
const POLICIES = ['OrderedReady', 'Parallel'] as const;
const setsPath = `/apis/apps/v1/namespaces/${NAMESPACE}/statefulsets`;

interface SetResult {
  policy: string;
  ready: number;
  elapsedMs: number;
}

function statefulSetBody(name: string, replicas: number, policy: string): string {
  const labels = { app: name };
  const container = { name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      replicas,
      serviceName: name,
      podManagementPolicy: policy,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [container], terminationGracePeriodSeconds: 0 } },
    },
  });
}

async function timeToReady(client: HttpsClient, options: StatefulSetPhaseOptions, policy: string): Promise<SetResult> {
  const name = `web-${policy.toLowerCase()}`;
  const t0 = performance.now();
  await client.expect([201], 'POST', setsPath, statefulSetBody(name, options.replicas, policy));
  let ready = 0;
  let lastLog = t0;
  while (ready < options.replicas && performance.now() - t0 < options.maxMs) {
    await new Promise((r) => setTimeout(r, 100));
    const set = JSON.parse((await client.expect([200], 'GET', `${setsPath}/${name}`)).body) as { status?: { readyReplicas?: number } };
    ready = set.status?.readyReplicas ?? 0;
    if (performance.now() - lastLog > 5000) {
      lastLog = performance.now();
      options.log(`${policy}: ${ready}/${options.replicas} Ready`);
    }
  }
  const elapsedMs = performance.now() - t0;
  options.log(`${policy}: ${ready}/${options.replicas} Ready after ${fixed(elapsedMs / 1000)} s`);
  return { policy, ready, elapsedMs };
}

function render(results: readonly SetResult[], replicas: number): string {
  const rows = results.map((r) => [
    r.policy,
    `${r.ready}/${replicas}`,
    fixed(r.elapsedMs / 1000),
    r.ready > 0 ? fixed(r.elapsedMs / r.ready, 0) : '-',
  ]);
  const columns = [
    { title: 'podManagementPolicy' },
    { title: 'Ready', right: true },
    { title: 'seconds', right: true },
    { title: 'ms per pod', right: true },
  ];
  return renderTable(columns, rows);
}

export async function runStatefulSetPhase(options: StatefulSetPhaseOptions): Promise<PhaseOutcome> {
  console.log(
    `\n== statefulset: ${options.replicas} replicas until Ready, OrderedReady then Parallel, on ${options.nodes} simulated nodes, ≤ ${options.maxMs / 1000} s each`,
  );
  const results: SetResult[] = [];
  let error: string | undefined;
  try {
    const cluster = await startCluster({ entry: options.entry, nodes: options.nodes, log: options.log });
    const client = new HttpsClient({ baseUrl: cluster.target.url, tls: cluster.target.tls, maxSockets: 2 });
    try {
      await ensureNamespace(client, NAMESPACE);
      for (const policy of POLICIES) results.push(await timeToReady(client, options, policy));
    } finally {
      client.close();
      await cluster.stop();
    }
  } catch (err) {
    error = (err as Error).message;
    options.log(`statefulset failed: ${error}`);
  }
  const failed = error !== undefined || results.some((r) => r.ready < options.replicas);
  return {
    failed,
    print: () => console.log(results.length > 0 ? render(results, options.replicas) : `statefulset: no results (${error ?? 'unknown'})`),
  };
}
