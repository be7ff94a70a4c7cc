/**
 * The small runtime every controller shares: N workers take keys from the work queue and call
 * sync(key); a failure requeues the key with rate limiting (dropped after maxRetries when
 * given), a success forgets its backoff. Workers stop when the signal aborts.
 */
import type { SharedInformer, WorkQueue } from '../client/interface.js';

export interface WorkerOptions {
  /** The controller's name, for logs. */
  name: string;
  queue: WorkQueue;
  workers: number;
  signal: AbortSignal;
  sync: (key: string) => Promise<void>;
  /** Retries before a key is dropped (as the deployment controller's 15); unlimited when unset. */
  maxRetries?: number;
  /** Called with each sync failure; logs to stderr when unset. */
  onError?: (key: string, err: unknown) => void;
}

/** processNextWorkItem in a loop until the queue shuts down. */
async function worker(opts: WorkerOptions): Promise<void> {
  for (;;) {
    const key = await opts.queue.get();
    if (key === undefined) return;
    try {
      await opts.sync(key);
      opts.queue.forget(key);
    } catch (err) {
      if (opts.onError) opts.onError(key, err);
      else if (!opts.signal.aborted) console.error(`${opts.name}: error syncing ${JSON.stringify(key)}: ${(err as Error).message}`);
      if (opts.maxRetries !== undefined && opts.queue.numRequeues(key) >= opts.maxRetries) opts.queue.forget(key);
      else opts.queue.addRateLimited(key);
    } finally {
      opts.queue.done(key);
    }
  }
}

/** Runs the workers until the signal aborts (the queue is shut down then) and they drain. */
export async function runWorkers(opts: WorkerOptions): Promise<void> {
  if (opts.signal.aborted) {
    opts.queue.shutDown();
    return;
  }
  const stop = () => opts.queue.shutDown();
  opts.signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, () => worker(opts)));
  } finally {
    opts.signal.removeEventListener('abort', stop);
  }
}

/** WaitForCacheSync over the informers a controller uses; false when aborted first. */
export async function waitForInformers(informers: readonly SharedInformer[], signal: AbortSignal): Promise<boolean> {
  try {
    await Promise.all(informers.map((i) => i.waitForSync(signal)));
  } catch {
    return false;
  }
  return !signal.aborted;
}
