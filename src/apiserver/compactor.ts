/**
 * Periodic compaction of storage history (upstream compacts every 5 minutes): each tick
 * compacts to the revision seen one interval earlier, so at least one interval of history
 * is always kept.
 */
import type { Storage } from '../storage/interface.js';

export interface CompactorOptions {
  storage: Storage;
  intervalMs?: number;
  signal: AbortSignal;
  onError?: (err: unknown) => void;
}

export function startCompactor(options: CompactorOptions): void {
  const interval = options.intervalMs ?? 5 * 60_000;
  let previous: number | undefined;
  const tick = async (): Promise<void> => {
    try {
      const current = await options.storage.currentRevision();
      if (previous !== undefined && previous > 0) await options.storage.compact(previous);
      previous = current;
    } catch (err) {
      options.onError?.(err);
    }
  };
  const timer = setInterval(() => void tick(), interval);
  timer.unref();
  void tick();
  options.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
