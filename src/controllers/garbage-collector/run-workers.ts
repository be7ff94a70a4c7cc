/**
 * The worker loop shared by the controllers in this package (garbage collector, namespace,
 * endpoints, endpointslice, serviceaccount, node lifecycle, node IPAM): take a key, sync it,
 * forget its backoff on success, requeue it rate-limited on failure, honour RequeueAfter.
 */
import type { WorkQueue } from '../../client/interface.js';

/** Thrown by a sync that finished for now but wants its key again after `delayMs` (not an error). */
export class RequeueAfter extends Error {
  readonly code = 'RequeueAfter';
  readonly delayMs: number;

  constructor(delayMs: number, message = `requeue after ${delayMs} ms`) {
    super(message);
    this.name = 'RequeueAfter';
    this.delayMs = delayMs;
  }
}

export type SyncFunc = (key: string) => Promise<void>;

/** Processes one key: the unit the workers repeat (exported for tests that drive a queue by hand). */
export async function processKey(
  queue: WorkQueue,
  key: string,
  sync: SyncFunc,
  onError?: (key: string, err: unknown) => void,
): Promise<void> {
  try {
    await sync(key);
    queue.forget(key);
  } catch (err) {
    if (err instanceof RequeueAfter) {
      queue.forget(key);
      queue.addAfter(key, err.delayMs);
    } else {
      onError?.(key, err);
      queue.addRateLimited(key);
    }
  } finally {
    queue.done(key);
  }
}

/** Runs `workers` loops over the queue until the signal aborts (the queue is shut down then). */
export async function runWorkers(
  queue: WorkQueue,
  sync: SyncFunc,
  workers: number,
  signal: AbortSignal,
  onError?: (key: string, err: unknown) => void,
): Promise<void> {
  if (signal.aborted) queue.shutDown();
  else signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  const loop = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      await processKey(queue, key, sync, onError);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, loop));
}
