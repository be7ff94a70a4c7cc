/**
 * The watch phase: W watchers on one namespace's ConfigMaps while `creators` clients create
 * ConfigMaps there. Reports events delivered per second (all watchers together) and the delay
 * from sending a create to each watcher receiving its ADDED event.
 */
import { performance } from 'node:perf_hooks';
import { HttpsClient } from './https-client.js';
import { runLoad, type LoadResult } from './load.js';
import { configMapBody, configMapsPath, ensureNamespace, type Bounds, type Target } from './operations.js';
import { summarize, type LatencySummary } from './stats.js';
import { openWatcher, type Watcher } from './watchers.js';

export interface WatchResult {
  watchers: number;
  creators: number;
  creates: LoadResult;
  expected: number;
  delivered: number;
  /** Events delivered per second, from the first create sent to the last event received. */
  eventsPerSecond: number;
  /** Create sent → event received, per watcher and event. */
  latency: LatencySummary;
}

export interface WatchPhaseOptions {
  namespace: string;
  watchers: number;
  creators: number;
  bounds: Bounds;
  /** How long to wait for stragglers after the last create; defaults to 10 s. */
  drainMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function measureWatch(target: Target, options: WatchPhaseOptions): Promise<WatchResult> {
  const url = new URL(target.url);
  const client = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: options.creators });
  const watchers: Watcher[] = [];
  const sentAt = new Map<string, number>();
  const latencies = new Float64Array(options.bounds.maxOps * options.watchers);
  let delivered = 0;
  let recorded = 0;
  let firstSent = Number.NaN;
  let lastReceived = Number.NaN;
  try {
    await ensureNamespace(client, options.namespace);
    const path = `${configMapsPath(options.namespace)}?watch=1`;
    for (let i = 0; i < options.watchers; i++) {
      watchers.push(
        await openWatcher({
          host: url.hostname,
          port: Number(url.port),
          path,
          tls: target.tls,
          onEvent: (ev) => {
            if (ev.type !== 'ADDED') return;
            const sent = sentAt.get(ev.name);
            if (sent === undefined) return;
            const now = performance.now();
            delivered++;
            lastReceived = now;
            if (recorded < latencies.length) latencies[recorded++] = now - sent;
          },
        }),
      );
    }
    const creates = await runLoad({
      concurrency: options.creators,
      ...options.bounds,
      op: (i) => {
        const name = `w-${i}`;
        const now = performance.now();
        if (Number.isNaN(firstSent)) firstSent = now;
        sentAt.set(name, now);
        return client.expect([201], 'POST', configMapsPath(options.namespace), configMapBody(options.namespace, name));
      },
    });
    const expected = creates.ops * options.watchers;
    const drainUntil = performance.now() + (options.drainMs ?? 10_000);
    while (delivered < expected && performance.now() < drainUntil) await sleep(10);
    const spanMs = lastReceived - firstSent;
    return {
      watchers: options.watchers,
      creators: options.creators,
      creates,
      expected,
      delivered,
      eventsPerSecond: spanMs > 0 ? (delivered * 1000) / spanMs : 0,
      latency: summarize(latencies, recorded),
    };
  } finally {
    for (const w of watchers) w.close();
    client.close();
  }
}
