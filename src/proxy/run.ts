/**
 * The service proxy's sync loop (upstream kube-proxy's BoundedFrequencyRunner around
 * syncProxyRules): a ServiceChangeTracker collects what changed, and the proxier is synced
 *
 *   - as soon as something changed, but at most once per minSyncPeriod (changes arriving
 *     meanwhile are batched into the next sync);
 *   - every syncPeriod even when nothing changed (re-asserting what the proxier keeps);
 *   - fully (every key, `full: true`) the first time, every fullSyncPeriod, and after a failed
 *     sync, which is retried with a growing delay.
 *
 * Each sync's kind and duration go to `onSync`, when a sync falls due and when one succeeded to
 * `health` (the health servers); full syncs and failures are logged.
 *
 *   runServiceProxy(options: ServiceProxyOptions, signal: AbortSignal): Promise<void>
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clientset, SharedInformerFactory } from '../client/interface.js';
import { InformerFactory } from '../client/informer-factory.js';
import { dropManagedFields } from '../client/informer.js';
import type { Proxier, SyncHealth, SyncResult } from './interface.js';
import { ENDPOINT_SLICES, SERVICES, ServiceChangeTracker } from './service-change-tracker.js';

export interface ServiceProxyOptions {
  clientset: Clientset;
  /** Shared informers to watch Services and EndpointSlices with; default: the proxy's own. */
  informers?: SharedInformerFactory;
  /** This node's name: its endpoints are local. */
  nodeName: string;
  proxier: Proxier;
  /** upstream's --iptables-min-sync-period (default 1 s). */
  minSyncPeriodMs?: number;
  /** upstream's --iptables-sync-period (default 30 s). */
  syncPeriodMs?: number;
  /** How often a sync is a full one (default 1 h, upstream's FullSyncPeriod). */
  fullSyncPeriodMs?: number;
  /** Told every sync's result (the sync duration metric). */
  onSync?: (result: SyncResult) => void;
  /** Told when a sync falls due and when one succeeded (kube-proxy's health servers). */
  health?: SyncHealth;
  log?: (message: string) => void;
}

/** Retries of a failed sync wait this long at first, doubling up to syncPeriod. */
const FIRST_RETRY_MS = 100;

/** Runs the proxy until `signal` aborts, then cleans nothing up (rules outlive restarts, as upstream's). */
export async function runServiceProxy(options: ServiceProxyOptions, signal: AbortSignal): Promise<void> {
  const minSyncPeriodMs = options.minSyncPeriodMs ?? 1000;
  const syncPeriodMs = options.syncPeriodMs ?? 30_000;
  const fullSyncPeriodMs = options.fullSyncPeriodMs ?? 3_600_000;
  const log = options.log ?? ((m: string) => console.error(m));
  let informers = options.informers;
  if (!informers) {
    informers = new InformerFactory({
      clientset: options.clientset,
      transform: dropManagedFields,
      onError: (err) => log(`service proxy: ${(err as Error).message}`),
    });
  }
  let wake: (() => void) | undefined;
  const tracker = new ServiceChangeTracker({ informers, nodeName: options.nodeName, onChange: () => wake?.() });
  if (!options.informers) informers.start(signal);
  await Promise.all([informers.forResource(SERVICES).waitForSync(signal), informers.forResource(ENDPOINT_SLICES).waitForSync(signal)]);

  let lastSyncAt = Number.NEGATIVE_INFINITY;
  let lastFullAt = Number.NEGATIVE_INFINITY;
  let needFull = true;
  let retryMs = 0;
  let carried = new Set<string>();
  while (!signal.aborted) {
    const now = performance.now();
    const due = needFull || tracker.pending || carried.size > 0 || now - lastSyncAt >= syncPeriodMs;
    if (due) {
      options.health?.queued();
      const wait = Math.max(lastSyncAt + minSyncPeriodMs, lastSyncAt + retryMs) - now;
      if (wait > 0) {
        await sleep(wait, undefined, { signal }).catch(() => {});
        continue;
      }
      const full = needFull || now - lastFullAt >= fullSyncPeriodMs;
      const changed = new Set([...carried, ...tracker.takeChanges()]);
      if (full) for (const key of tracker.state.services.keys()) changed.add(key);
      lastSyncAt = performance.now();
      try {
        const result = await options.proxier.sync(tracker.state, changed, { full });
        options.onSync?.(result);
        options.health?.synced(tracker.state);
        if (full) {
          lastFullAt = lastSyncAt;
          log(
            `service proxy (${options.proxier.mode}): full sync of ${tracker.state.services.size} service ports in ${result.durationMs.toFixed(1)} ms`,
          );
        }
        needFull = false;
        retryMs = 0;
        carried = new Set();
      } catch (err) {
        log(`service proxy (${options.proxier.mode}): sync failed, retrying with a full sync: ${(err as Error).message}`);
        needFull = true;
        carried = changed;
        retryMs = Math.min(Math.max(retryMs * 2, FIRST_RETRY_MS), syncPeriodMs);
      }
      continue;
    }
    // nothing to do: sleep until a change, the periodic sync, or the end
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, lastSyncAt + syncPeriodMs - now);
      signal.addEventListener('abort', done, { once: true });
      wake = done;
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wake = undefined;
        resolve();
      }
    });
  }
}
