/**
 * The cronjob phase of `npm run bench`: how late the CronJob controller starts Jobs (upstream's
 * cronjob_controller_job_creation_skew), with N CronJobs `@every <period>` on a control-plane
 * server, the Jobs seen by polling the list every 100 ms (so skews include up to ~100 ms of
 * polling); and the cost of one schedule.next() in memory, in UTC and across a DST zone.
 * Bounded in time; the server is stopped by PID.
 */
import { performance } from 'node:perf_hooks';
import type { PhaseOutcome } from './api-phase.js';
import { startServer } from './cluster.js';
import { HttpsClient } from './https-client.js';
import { fixed } from './report.js';
import { summarize } from './stats.js';
import { parseSchedule } from '../src/controllers/cronjob/schedule.js';
import { TimeZone } from '../src/controllers/cronjob/time-zone.js';

export interface CronJobPhaseOptions {
  entry: string;
  cronJobs: number;
  periodSeconds: number;
  /** Jobs to wait for per CronJob. */
  rounds: number;
  maxMs: number;
  log: (line: string) => void;
}

const NS_PATH = '/apis/batch/v1/namespaces/default';
const SCHEDULED = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function cronJobBody(name: string, periodSeconds: number): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: `@every ${periodSeconds}s`,
      successfulJobsHistoryLimit: 10,
      jobTemplate: {
        spec: {
          template: {
            metadata: { annotations: { 'k8ts.io/simulate-exit': '0' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'registry.k8s.io/pause:3.10' }] },
          },
        },
      },
    },
  });
}

interface SkewResult {
  created: number;
  wanted: number;
  skews: Float64Array;
  elapsedMs: number;
}

async function measureSkew(options: CronJobPhaseOptions): Promise<SkewResult> {
  const server = await startServer({ entry: options.entry, log: options.log });
  const client = new HttpsClient({ baseUrl: server.target.url, tls: server.target.tls, maxSockets: 8 });
  try {
    const t0 = performance.now();
    const names = Array.from({ length: options.cronJobs }, (_, i) => `cj-${i}`);
    for (let i = 0; i < names.length; i += 8) {
      await Promise.all(
        names.slice(i, i + 8).map((n) => client.expect([201], 'POST', `${NS_PATH}/cronjobs`, cronJobBody(n, options.periodSeconds))),
      );
    }
    options.log(`${names.length} CronJobs created in ${fixed((performance.now() - t0) / 1000, 1)} s`);
    const wanted = options.cronJobs * options.rounds;
    const seen = new Map<string, number>();
    const skews = new Float64Array(wanted * 2);
    while (seen.size < wanted && performance.now() - t0 < options.maxMs) {
      const list = JSON.parse((await client.expect([200], 'GET', `${NS_PATH}/jobs`)).body) as {
        items: { metadata: { name: string; annotations?: Record<string, string> } }[];
      };
      const now = Date.now();
      for (const job of list.items) {
        const scheduled = Date.parse(job.metadata.annotations?.[SCHEDULED] ?? '');
        if (seen.has(job.metadata.name) || Number.isNaN(scheduled) || seen.size >= skews.length) continue;
        skews[seen.size] = now - scheduled;
        seen.set(job.metadata.name, now);
      }
      await sleep(100);
    }
    return { created: seen.size, wanted, skews: skews.slice(0, seen.size), elapsedMs: performance.now() - t0 };
  } finally {
    client.close();
    await server.stop();
  }
}

/** Microseconds per next() over `calls` successive activations. */
function nextCost(spec: string, zone: TimeZone, calls: number): number {
  const schedule = parseSchedule(spec, zone);
  let t: number | undefined = Date.UTC(2024, 0, 1);
  const t0 = performance.now();
  for (let i = 0; i < calls && t !== undefined; i++) t = schedule.next(t);
  return ((performance.now() - t0) * 1000) / calls;
}

export async function runCronJobPhase(options: CronJobPhaseOptions): Promise<PhaseOutcome> {
  console.log(
    `\ncronjob: ${options.cronJobs} CronJobs @every ${options.periodSeconds}s, ${options.rounds} Jobs each, ≤ ${options.maxMs / 1000} s; schedule.next() in memory`,
  );
  const utc = new TimeZone('UTC');
  const costs = [
    ['*/1 * * * * (UTC)', nextCost('*/1 * * * *', utc, 20_000)],
    ['30 2 * * * (America/New_York)', nextCost('TZ=America/New_York 30 2 * * *', utc, 2_000)],
    ['0 9 * * mon-fri (Europe/Paris)', nextCost('TZ=Europe/Paris 0 9 * * mon-fri', utc, 2_000)],
  ] as const;
  const costLines = costs.map(([what, us]) => `  schedule.next() ${what}: ${fixed(us, 1)} µs`);
  try {
    const r = await measureSkew(options);
    const s = summarize(r.skews);
    options.log(`${r.created}/${r.wanted} Jobs seen in ${fixed(r.elapsedMs / 1000, 1)} s`);
    const lines = [
      `Jobs started by ${options.cronJobs} CronJobs @every ${options.periodSeconds}s: ${r.created}/${r.wanted}${r.created < r.wanted ? ' (INCOMPLETE: bound reached)' : ''}`,
      `  lateness after the schedule time (seen by a 100 ms poll): p50 ${fixed(s.p50, 0)} ms, p99 ${fixed(s.p99, 0)} ms, max ${fixed(s.max, 0)} ms`,
      ...costLines,
    ];
    return { failed: r.created < r.wanted, print: () => console.log(lines.join('\n')) };
  } catch (err) {
    const message = (err as Error).message;
    options.log(`cronjob failed: ${message}`);
    return { failed: true, print: () => console.log([`cronjob: no cluster results (${message})`, ...costLines].join('\n')) };
  }
}
