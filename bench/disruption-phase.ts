/**
 * Disruption: a Deployment of R pods on N simulated nodes under a PodDisruptionBudget
 * (maxUnavailable 10%). Measures how long the disruption controller takes to count every pod
 * healthy after the Deployment is created, then evicts every original pod as a drain of every
 * node would (C concurrent clients; a refused eviction — 429 — is retried after 100 ms, as the
 * budget frees up when replacements turn Ready), bounded by maxMs: evictions/s, the latency of
 * an accepted eviction, and how many were refused on the way.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PhaseOutcome } from './api-phase.js';
import { startCluster } from './cluster.js';
import { HttpsClient } from './https-client.js';
import { ensureNamespace } from './operations.js';
import { fixed } from './report.js';
import { type LatencySummary, summarize } from './stats.js';
import { createWithRetry, deploymentBody, deploymentsPath, podsPath } from './workloads.js';

export interface DisruptionPhaseOptions {
  entry: string;
  nodes: number;
  replicas: number;
  concurrency: number;
  maxMs: number;
  log: (line: string) => void;
}

interface DisruptionResult {
  /** Deployment created → the budget counts every pod healthy. */
  healthyMs: number;
  evicted: number;
  refused: number;
  errors: number;
  evictMs: number;
  accepted: LatencySummary;
}

const NAMESPACE = 'disruption';
const PDB_PATH = `/apis/policy/v1/namespaces/${NAMESPACE}/poddisruptionbudgets`;

function pdbBody(): string {
  return JSON.stringify({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: NAMESPACE },
    spec: { maxUnavailable: '10%', selector: { matchLabels: { app: 'web' } } },
  });
}

async function waitForHealthy(client: HttpsClient, replicas: number, deadline: number): Promise<boolean> {
  while (performance.now() < deadline) {
    const reply = await client.request('GET', `${PDB_PATH}/web`);
    const status = reply.status === 200 ? (JSON.parse(reply.body) as { status?: { currentHealthy?: number } }).status : undefined;
    if (status?.currentHealthy === replicas) return true;
    await sleep(100);
  }
  return false;
}

/** Evicts every named pod with `concurrency` workers until all are gone or the deadline passes. */
async function evictAll(client: HttpsClient, names: string[], concurrency: number, deadline: number) {
  const pending = [...names];
  const latencies = new Float64Array(names.length);
  let evicted = 0;
  let refused = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    for (let name = pending.shift(); name !== undefined && performance.now() < deadline; name = pending.shift()) {
      const body = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NAMESPACE } });
      const t = performance.now();
      const reply = await client.request('POST', `${podsPath(NAMESPACE)}/${name}/eviction`, body);
      if (reply.status === 201 || reply.status === 404) {
        latencies[evicted++] = performance.now() - t;
      } else if (reply.status === 429) {
        refused++;
        pending.push(name);
        await sleep(100);
      } else {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { evicted, refused, errors, accepted: summarize(latencies, evicted) };
}

export async function runDisruptionPhase(options: DisruptionPhaseOptions): Promise<PhaseOutcome> {
  const { log } = options;
  console.log(
    `\n== disruption: ${options.replicas} pods on ${options.nodes} simulated nodes under a PDB (maxUnavailable 10%), every pod evicted by ${options.concurrency} clients, ≤ ${options.maxMs / 1000} s`,
  );
  let result: DisruptionResult | undefined;
  let failed = false;
  const cluster = await startCluster({ entry: options.entry, nodes: options.nodes, log });
  const client = new HttpsClient({ baseUrl: cluster.target.url, tls: cluster.target.tls, maxSockets: options.concurrency });
  try {
    await ensureNamespace(client, NAMESPACE);
    const deadline = performance.now() + options.maxMs;
    const t0 = performance.now();
    await createWithRetry(client, PDB_PATH, pdbBody());
    await createWithRetry(client, deploymentsPath(NAMESPACE), deploymentBody(NAMESPACE, 'web', options.replicas));
    if (!(await waitForHealthy(client, options.replicas, deadline)))
      throw new Error(`the budget never counted ${options.replicas} healthy pods`);
    const healthyMs = performance.now() - t0;
    log(`PDB counts ${options.replicas} healthy pods ${fixed(healthyMs / 1000)} s after the Deployment was created`);
    const list = JSON.parse((await client.expect([200], 'GET', `${podsPath(NAMESPACE)}?labelSelector=app%3Dweb`)).body) as {
      items: { metadata: { name: string } }[];
    };
    const t1 = performance.now();
    const evictions = await evictAll(
      client,
      list.items.map((p) => p.metadata.name),
      options.concurrency,
      deadline,
    );
    result = { healthyMs, evictMs: performance.now() - t1, ...evictions };
    log(`${evictions.evicted} evicted, ${evictions.refused} refused (429), ${evictions.errors} errors`);
    failed = evictions.errors > 0 || evictions.evicted < list.items.length;
  } catch (err) {
    failed = true;
    log(`disruption phase failed: ${(err as Error).message}`);
  } finally {
    client.close();
    await cluster.stop();
  }
  return {
    failed,
    print() {
      if (!result) return console.log('not measured');
      const a = result.accepted;
      console.log(
        `PDB status counts ${options.replicas} pods healthy: ${fixed(result.healthyMs / 1000)} s after the Deployment's creation`,
      );
      console.log(
        `evicted ${result.evicted} pods in ${fixed(result.evictMs / 1000)} s (${fixed(result.evicted / (result.evictMs / 1000))}/s), ${result.refused} refusals (429) while the budget was spent, ${result.errors} errors`,
      );
      console.log(`accepted eviction: p50 ${fixed(a.p50, 1)} ms, p99 ${fixed(a.p99, 1)} ms, max ${fixed(a.max, 1)} ms`);
    },
  };
}
