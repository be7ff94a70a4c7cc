/**
 * The hpa phase: HPA reaction time on simulated nodes. One `k8ts server --runtime fake` with a
 * short --metric-resolution and --horizontal-pod-autoscaler-sync-period runs a Deployment whose
 * pods' simulated CPU usage (k8ts.io/simulate-usage on the template) alternates between 400 %
 * and 25 % of their request; an HPA targets 50 % (scale-down window 0). Each round measures the
 * time from the usage change (the template patched) until the HPA changed the Deployment's
 * replicas. What bounds it: the rollout of the new pods, two scrapes for a usage (a window), and
 * the HPA's next sync.
 */
import { performance } from 'node:perf_hooks';
import { HttpsClientset } from '../src/client/rest.js';
import type { PhaseOutcome } from './api-phase.js';
import { startServer } from './cluster.js';
import { fixed, renderTable } from './report.js';
import { median } from './stats.js';

export interface AutoscalingPhaseOptions {
  entry: string;
  /** --metric-resolution and --horizontal-pod-autoscaler-sync-period, in seconds. */
  periodSeconds: number;
  rounds: number;
  log: (line: string) => void;
}

const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };
const HPAS = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const ROUND_TIMEOUT_MS = 120_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function deployment(cpu: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'load' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'load' } },
      template: {
        metadata: { labels: { app: 'load' }, annotations: { 'k8ts.io/simulate-usage': `cpu=${cpu}` } },
        spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '200m' } } }] },
      },
    },
  };
}

async function replicas(client: HttpsClientset): Promise<number> {
  const d = await client.resource(DEPLOYMENTS).get('default', 'load');
  return (d['spec'] as { replicas: number }).replicas;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Until the replicas stayed the same for three sync periods (bounded): the HPA is done with the last change. */
async function settle(client: HttpsClientset, periodMs: number): Promise<void> {
  const deadline = performance.now() + ROUND_TIMEOUT_MS;
  let last = await replicas(client);
  let same = 0;
  while (same < 3 && performance.now() < deadline) {
    await sleep(periodMs);
    const now = await replicas(client);
    same = now === last ? same + 1 : 0;
    last = now;
  }
}

export async function runAutoscalingPhase(options: AutoscalingPhaseOptions): Promise<PhaseOutcome> {
  const { log } = options;
  const period = `${options.periodSeconds}s`;
  console.log(
    `\n== hpa: ${options.rounds} usage changes, --metric-resolution ${period}, --horizontal-pod-autoscaler-sync-period ${period}`,
  );
  const server = await startServer({
    entry: options.entry,
    serverArgs: [
      '--runtime',
      'fake',
      '--fake-nodes',
      '4',
      '--metric-resolution',
      period,
      '--horizontal-pod-autoscaler-sync-period',
      period,
    ],
    log,
  });
  const client = new HttpsClientset({ kubeconfig: server.kubeconfig });
  const rows: string[][] = [];
  const times: number[] = [];
  let failed = false;
  try {
    await waitFor('4 nodes', async () => (await client.resource(NODES).list('')).items.length === 4, 60_000);
    await client.resource(DEPLOYMENTS).create('default', deployment('100m'));
    await client.resource(HPAS).create('default', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'load' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'load' },
        minReplicas: 2,
        maxReplicas: 16,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
      },
    });
    await waitFor(
      'the HPA reading the metrics',
      async () =>
        ((await client.resource(HPAS).get('default', 'load'))['status'] as { currentMetrics?: unknown[] }).currentMetrics !== undefined,
      ROUND_TIMEOUT_MS,
    );
    await settle(client, options.periodSeconds * 1000);
    for (let round = 0; round < options.rounds; round++) {
      const up = round % 2 === 0;
      const before = await replicas(client);
      const started = performance.now();
      const cpu = up ? '800m' : '50m';
      await client.resource(DEPLOYMENTS).patch('default', 'load', 'merge', {
        spec: { template: { metadata: { annotations: { 'k8ts.io/simulate-usage': `cpu=${cpu}` } } } },
      });
      await waitFor(
        `round ${round + 1}`,
        async () => (up ? (await replicas(client)) > before : (await replicas(client)) < before),
        ROUND_TIMEOUT_MS,
      );
      const ms = performance.now() - started;
      const after = await replicas(client);
      times.push(ms);
      rows.push([String(round + 1), up ? `up (usage ${cpu})` : `down (usage ${cpu})`, `${before} → ${after}`, fixed(ms / 1000)]);
      log(`round ${round + 1}: ${before} → ${after} replicas in ${fixed(ms / 1000)} s`);
      await settle(client, options.periodSeconds * 1000);
    }
  } catch (err) {
    failed = true;
    log(`hpa phase failed: ${(err as Error).message}`);
  } finally {
    client.close();
    await server.stop();
  }
  return {
    failed,
    print() {
      console.log(
        renderTable([{ title: 'round' }, { title: 'change' }, { title: 'replicas' }, { title: 'reaction s', right: true }], rows),
      );
      if (times.length > 0) {
        console.log(
          `median ${fixed(median(times) / 1000)} s, max ${fixed(Math.max(...times) / 1000)} s (bound: rollout + 2 × ${period} for a usage + ${period} to the next sync)`,
        );
      }
    },
  };
}
