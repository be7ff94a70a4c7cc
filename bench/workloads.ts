/**
 * The objects the cluster benchmarks create: bare pods and Deployments with small requests,
 * Nodes without a kubelet, and a bounded closed-loop creator that retries 429/5xx replies a few times.
 */
import type { HttpsClient } from './https-client.js';
import { runLoad, type LoadResult } from './load.js';

const IMAGE = 'registry.k8s.io/pause:3.10';

export const podsPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/pods`;
export const NODES_PATH = '/api/v1/nodes';
export const deploymentsPath = (namespace: string): string => `/apis/apps/v1/namespaces/${namespace}/deployments`;

function podSpec(): Record<string, unknown> {
  return {
    containers: [{ name: 'pause', image: IMAGE, resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    terminationGracePeriodSeconds: 0,
  };
}

/** A bare pod (no owner), as the scheduler benchmark creates them. */
export function podBody(namespace: string, name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'sched-bench' } },
    spec: podSpec(),
  });
}

/**
 * A Node as scheduler_perf's node template writes it: capacity (the simulated nodes' default:
 * 32 CPU, 256Gi, 110 pods) and a Ready condition; no kubelet stands behind it.
 */
export function nodeBody(name: string): string {
  const capacity = { cpu: '32', memory: '256Gi', pods: '110' };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
    spec: {},
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
  });
}

/** A Deployment of `replicas` pause pods. */
export function deploymentBody(namespace: string, name: string, replicas: number): string {
  const labels = { app: name };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec() } },
  });
}

const RETRYABLE = new Set([429, 500, 503, 504]);
const MAX_ATTEMPTS = 5;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** POSTs `body` to `path` expecting 201; retries throttling and server errors up to 5 times. */
export async function createWithRetry(client: HttpsClient, path: string, body: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const reply = await client.request('POST', path, body);
    if (reply.status === 201) return;
    if (!RETRYABLE.has(reply.status) || attempt >= MAX_ATTEMPTS) {
      throw new Error(`POST ${path}: HTTP ${reply.status}: ${reply.body.slice(0, 200)}`);
    }
    await sleep(50 * attempt);
  }
}

/** Creates `count` objects with `concurrency` clients, bounded by count and `maxMs`. */
export function createMany(
  client: HttpsClient,
  options: { count: number; concurrency: number; maxMs: number; path: string; body: (i: number) => string },
): Promise<LoadResult> {
  return runLoad({
    concurrency: options.concurrency,
    maxOps: options.count,
    maxMs: options.maxMs,
    op: (i) => createWithRetry(client, options.path, options.body(i)),
  });
}
