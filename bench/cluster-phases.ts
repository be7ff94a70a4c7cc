/**
 * The scheduler and density phases of `npm run bench`, each run inside try/finally so that a
 * failure is reported and every process it started is stopped.
 */
import type { PhaseOutcome } from './api-phase.js';
import { renderDensity, renderScheduler } from './cluster-report.js';
import { type DensityResult, measureDensity } from './density-phase.js';
import {
  type BacklogResult,
  type EndToEndResult,
  type InMemoryResult,
  measureBacklogWithoutKubelets,
  measureEndToEnd,
  measureInMemory,
} from './scheduler-phase.js';
import { type SpreadBatchResult, scheduleSpreadBatch } from './spread-batch.js';

/** Deployment-shaped in-memory batches: pods in 100 label groups, each run ≤ 90 s. */
const SPREAD_DEPLOYMENTS = 100;
const SPREAD_MAX_MS = 90_000;

export interface SchedulerPhaseOptions {
  entry: string;
  /** Node counts, e.g. [500, 5000]; each runs in memory, end to end, and as backlogs with and without kubelets. */
  nodes: number[];
  pods: number;
  /** Bound on each end-to-end run, from the first create. */
  maxMs: number;
  concurrency: number;
  log: (line: string) => void;
}

export async function runSchedulerPhases(options: SchedulerPhaseOptions): Promise<PhaseOutcome> {
  const { log } = options;
  let failed = false;
  const inMemory: InMemoryResult[] = [];
  const spread: SpreadBatchResult[] = [];
  const endToEnd: EndToEndResult[] = [];
  const backlogs: BacklogResult[] = [];
  const skipped: string[] = [];
  console.log(`\nscheduler: ${options.pods} pods over ${options.nodes.join(' / ')} nodes, in memory then through the API`);
  for (const n of options.nodes) {
    const r = await measureInMemory(n, options.pods);
    inMemory.push(r);
    log(`in memory, ${n} nodes: ${r.scheduled}/${r.pods} in ${(r.elapsedMs / 1000).toFixed(2)} s = ${Math.round(r.podsPerSecond)} pods/s`);
  }
  for (const n of options.nodes) {
    const r = await scheduleSpreadBatch(n, options.pods, SPREAD_DEPLOYMENTS, SPREAD_MAX_MS);
    spread.push(r);
    log(
      `in memory, Deployment pods (default topology spread), ${n} nodes: ${r.scheduled}/${r.pods} in ${(r.elapsedMs / 1000).toFixed(2)} s = ${Math.round(r.podsPerSecond)} pods/s, last 10% ${Math.round(r.tailPodsPerSecond)} pods/s`,
    );
  }
  const throughApi = { entry: options.entry, pods: options.pods, concurrency: options.concurrency, maxMs: options.maxMs, log };
  for (const n of options.nodes) {
    try {
      const { endToEnd: r, backlog } = await measureEndToEnd({ ...throughApi, nodes: n });
      endToEnd.push(r);
      log(
        `end to end, ${n} nodes: ${r.scheduled}/${r.pods} bound in ${(r.elapsedMs / 1000).toFixed(1)} s = ${Math.round(r.podsPerSecond)} pods/s${r.completed ? '' : ' (INCOMPLETE: bound reached)'}`,
      );
      if (!r.completed) skipped.push(`${n} nodes did not finish within ${options.maxMs / 1000} s (${r.scheduled}/${r.pods} bound)`);
      if (backlog) {
        backlogs.push(backlog);
        log(
          `backlog, ${n} nodes: ${backlog.scheduled}/${backlog.pods} bound in ${(backlog.elapsedMs / 1000).toFixed(1)} s = ${Math.round(backlog.podsPerSecond)} pods/s (first bind ${(backlog.startMs / 1000).toFixed(1)} s after the Lease was released)`,
        );
      }
    } catch (err) {
      failed = true;
      skipped.push(`${n} nodes failed: ${(err as Error).message}`);
      log(`end to end, ${n} nodes failed: ${(err as Error).message}`);
    }
  }
  for (const n of options.nodes) {
    try {
      const r = await measureBacklogWithoutKubelets({ ...throughApi, nodes: n });
      backlogs.push(r);
      log(
        `backlog without kubelets, ${n} nodes: ${r.scheduled}/${r.pods} bound in ${(r.elapsedMs / 1000).toFixed(1)} s = ${Math.round(r.podsPerSecond)} pods/s`,
      );
      if (!r.completed)
        skipped.push(`${n} nodes without kubelets did not finish within ${options.maxMs / 1000} s (${r.scheduled}/${r.pods} bound)`);
    } catch (err) {
      failed = true;
      skipped.push(`${n} nodes without kubelets failed: ${(err as Error).message}`);
      log(`backlog without kubelets, ${n} nodes failed: ${(err as Error).message}`);
    }
  }
  return { failed, print: () => console.log(renderScheduler(inMemory, endToEnd, skipped, spread, backlogs)) };
}

export interface DensityPhaseOptions {
  entry: string;
  nodes: number;
  deployments: number;
  replicas: number;
  maxMs: number;
  cpuProfile: boolean;
  log: (line: string) => void;
}

export async function runDensityPhase(options: DensityPhaseOptions): Promise<PhaseOutcome> {
  const pods = options.deployments * options.replicas;
  console.log(
    `\ndensity: ${options.nodes} nodes (agent process, no events), ${options.deployments} Deployments × ${options.replicas} = ${pods} pods, ≤ ${options.maxMs / 1000} s${options.cpuProfile ? ', server under --cpu-prof' : ''}`,
  );
  let result: DensityResult | undefined;
  let error: string | undefined;
  try {
    result = await measureDensity(options);
  } catch (err) {
    error = (err as Error).message;
    options.log(`density failed: ${error}`);
  }
  return {
    failed: result === undefined,
    print: () => console.log(result ? renderDensity(result) : `density: no results (${error ?? 'unknown error'})`),
  };
}
