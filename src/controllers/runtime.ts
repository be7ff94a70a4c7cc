/** What controllers share beyond the worker loop (src/client/workqueue-workers.ts). */
import type { SharedInformer } from '../client/interface.js';
import { type RunWorkersOptions, runWorkers } from '../client/workqueue-workers.js';

/** WaitForCacheSync over the informers a controller uses; false when aborted first. */
export async function waitForInformers(informers: readonly SharedInformer[], signal: AbortSignal): Promise<boolean> {
  try {
    await Promise.all(informers.map((i) => i.waitForSync(signal)));
  } catch {
    return false;
  }
  return !signal.aborted;
}

/**
 * A controller's run: waits for its informers' caches, then runs the workers of each of its
 * queues until the signal aborts; when the signal aborts first, every queue is shut down.
 */
export async function runController(
  informers: readonly SharedInformer[],
  loops: readonly RunWorkersOptions[],
  signal: AbortSignal,
): Promise<void> {
  if (!(await waitForInformers(informers, signal))) {
    for (const loop of loops) loop.queue.shutDown();
    return;
  }
  await Promise.all(loops.map((loop) => runWorkers(loop)));
}
