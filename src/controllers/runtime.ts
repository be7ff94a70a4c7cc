/** What controllers share beyond the worker loop (src/client/workqueue-workers.ts). */
import type { SharedInformer } from '../client/interface.js';

/** WaitForCacheSync over the informers a controller uses; false when aborted first. */
export async function waitForInformers(informers: readonly SharedInformer[], signal: AbortSignal): Promise<boolean> {
  try {
    await Promise.all(informers.map((i) => i.waitForSync(signal)));
  } catch {
    return false;
  }
  return !signal.aborted;
}
