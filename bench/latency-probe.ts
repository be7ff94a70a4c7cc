/**
 * API latency while something else loads the server: a separate client (its own sockets) that
 * every `intervalMs` GETs one small object and LISTs a small collection, recording each reply's
 * latency. Bounded by `maxSamples` and by stop().
 */
import { performance } from 'node:perf_hooks';
import { HttpsClient } from './https-client.js';
import type { Target } from './operations.js';
import { summarize, type LatencySummary } from './stats.js';

export interface ProbeResult {
  get: LatencySummary;
  list: LatencySummary;
  errors: number;
  firstError?: string;
}

export interface LatencyProbe {
  /** Stops sampling and summarizes what was sampled. */
  stop(): Promise<ProbeResult>;
}

export interface LatencyProbeOptions {
  getPath: string;
  listPath: string;
  intervalMs?: number;
  maxSamples?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function startLatencyProbe(target: Target, options: LatencyProbeOptions): LatencyProbe {
  const interval = options.intervalMs ?? 100;
  const max = options.maxSamples ?? 20_000;
  const client = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: 2, timeoutMs: 60_000 });
  const gets = new Float64Array(max);
  const lists = new Float64Array(max);
  let nGet = 0;
  let nList = 0;
  let errors = 0;
  let firstError: string | undefined;
  let stopped = false;
  const timed = async (path: string): Promise<number | undefined> => {
    const t0 = performance.now();
    try {
      await client.expect([200], 'GET', path);
      return performance.now() - t0;
    } catch (err) {
      errors++;
      firstError ??= (err as Error).message;
      return undefined;
    }
  };
  const loop = (async () => {
    while (!stopped && nGet < max && nList < max) {
      const tick = performance.now();
      const [g, l] = await Promise.all([timed(options.getPath), timed(options.listPath)]);
      if (g !== undefined) gets[nGet++] = g;
      if (l !== undefined) lists[nList++] = l;
      const wait = interval - (performance.now() - tick);
      if (wait > 0) await sleep(wait);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      client.close();
      return {
        get: summarize(gets, nGet),
        list: summarize(lists, nList),
        errors,
        ...(firstError !== undefined ? { firstError } : {}),
      };
    },
  };
}
