/**
 * A bounded closed-loop load generator: `concurrency` workers each issue one operation at a
 * time until `maxOps` operations were started or `maxMs` passed, whichever comes first.
 */
import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from './stats.js';

export interface LoadOptions {
  concurrency: number;
  maxOps: number;
  maxMs: number;
  /** Performs operation number `i`; throws when it failed. */
  op: (i: number) => Promise<unknown>;
}

export interface LoadResult {
  concurrency: number;
  /** Successful operations. */
  ops: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Successful operations per second. */
  throughput: number;
  latency: LatencySummary;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies = new Float64Array(options.maxOps);
  let started = 0;
  let succeeded = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + options.maxMs;
  const worker = async (): Promise<void> => {
    while (started < options.maxOps && performance.now() < deadline) {
      const i = started++;
      const t0 = performance.now();
      try {
        await options.op(i);
        latencies[succeeded++] = performance.now() - t0;
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - start;
  return {
    concurrency: options.concurrency,
    ops: succeeded,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    elapsedMs,
    throughput: elapsedMs > 0 ? (succeeded * 1000) / elapsedMs : 0,
    latency: summarize(latencies, succeeded),
  };
}
