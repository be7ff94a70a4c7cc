/**
 * The job phase of `npm run bench`: one Job of N completions, P at a time, on simulated nodes
 * whose containers exit with 0 as soon as they start (k8ts.io/simulate-exit "0"). Measures Job
 * pods completed per second from the create until the Complete condition, and when the first
 * pod was counted; bounded in time, every process stopped by PID.
 */
import { performance } from 'node:perf_hooks';
import type { PhaseOutcome } from './api-phase.js';
import { startCluster } from './cluster.js';
import { HttpsClient } from './https-client.js';
import { fixed } from './report.js';

export interface JobPhaseOptions {
  entry: string;
  nodes: number;
  completions: number;
  parallelism: number;
  maxMs: number;
  log: (line: string) => void;
}

interface JobResult {
  completions: number;
  parallelism: number;
  nodes: number;
  succeeded: number;
  completed: boolean;
  firstCountedMs?: number;
  elapsedMs: number;
}

const JOBS_PATH = '/apis/batch/v1/namespaces/default/jobs';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function jobBody(completions: number, parallelism: number): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'bench' },
    spec: {
      completions,
      parallelism,
      template: {
        metadata: { annotations: { 'k8ts.io/simulate-exit': '0' } },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'work', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
        },
      },
    },
  });
}

interface JobStatus {
  succeeded?: number;
  conditions?: { type: string; status: string }[];
}

async function measureJob(options: JobPhaseOptions): Promise<JobResult> {
  const cluster = await startCluster({ entry: options.entry, nodes: options.nodes, nodePrefix: 'job-', log: options.log });
  const client = new HttpsClient({ baseUrl: cluster.target.url, tls: cluster.target.tls, maxSockets: 2 });
  try {
    const t0 = performance.now();
    await client.expect([201], 'POST', JOBS_PATH, jobBody(options.completions, options.parallelism));
    const result: JobResult = { ...options, succeeded: 0, completed: false, elapsedMs: 0 };
    while (performance.now() - t0 < options.maxMs) {
      const status = (JSON.parse((await client.expect([200], 'GET', `${JOBS_PATH}/bench`)).body) as { status?: JobStatus }).status ?? {};
      result.succeeded = status.succeeded ?? 0;
      if (result.succeeded > 0) result.firstCountedMs ??= performance.now() - t0;
      if (status.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')) {
        result.completed = true;
        break;
      }
      await sleep(100);
    }
    result.elapsedMs = performance.now() - t0;
    return result;
  } finally {
    client.close();
    await cluster.stop();
  }
}

function render(r: JobResult): string {
  const rate = r.succeeded / (r.elapsedMs / 1000);
  return [
    `Job of ${r.completions} completions, parallelism ${r.parallelism}, on ${r.nodes} simulated nodes (containers exit at once):`,
    `  ${r.succeeded}/${r.completions} succeeded in ${fixed(r.elapsedMs / 1000, 1)} s = ${fixed(rate, 1)} pods completed/s${r.completed ? '' : ' (INCOMPLETE: bound reached)'}`,
    `  first pod counted after ${r.firstCountedMs === undefined ? '-' : `${fixed(r.firstCountedMs / 1000, 2)} s`}`,
  ].join('\n');
}

export async function runJobPhase(options: JobPhaseOptions): Promise<PhaseOutcome> {
  console.log(
    `\njob: ${options.completions} completions, parallelism ${options.parallelism}, ${options.nodes} simulated nodes, ≤ ${options.maxMs / 1000} s`,
  );
  try {
    const r = await measureJob(options);
    options.log(`${r.succeeded}/${r.completions} succeeded in ${fixed(r.elapsedMs / 1000, 1)} s`);
    return { failed: !r.completed, print: () => console.log(render(r)) };
  } catch (err) {
    const message = (err as Error).message;
    options.log(`job failed: ${message}`);
    return { failed: true, print: () => console.log(`job: no results (${message})`) };
  }
}
