/**
 * The controller loop every controller shares (processNextWorkItem in pkg/controller/*, the
 * controller-runtime reconciler loop): get a key, sync it, forget its backoff on success,
 * requeue it rate-limited on error — unless the error is terminal — and mark it done.
 */
import type { WorkQueue } from './interface.js';

/**
 * An error a retry cannot fix (invalid spec, unsupported value): reported, never requeued.
 * Like controller-runtime's reconcile.TerminalError.
 */
export class TerminalError extends Error {
  readonly code = 'Terminal';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export function isTerminalError(err: unknown): err is TerminalError {
  return err instanceof TerminalError;
}

/**
 * Thrown by a sync that is done for now but wants its key again after `delayMs` (not an error:
 * no backoff, no report). Like controller-runtime's Result{RequeueAfter}.
 */
export class RequeueAfter extends Error {
  readonly code = 'RequeueAfter';
  readonly delayMs: number;

  constructor(delayMs: number, message = `requeue after ${delayMs} ms`) {
    super(message);
    this.name = 'RequeueAfter';
    this.delayMs = delayMs;
  }
}

export interface RunWorkersOptions {
  queue: WorkQueue;
  /** How many keys are synced concurrently (never the same key twice). */
  workers: number;
  sync: (key: string) => Promise<void>;
  /** Aborting shuts the queue down; runWorkers resolves once every worker has returned. */
  signal: AbortSignal;
  /** Called for each failed sync; `requeued` is false for terminal errors. Defaults to console.error. */
  onError?: (key: string, err: unknown, requeued: boolean) => void;
  /** Retries before a key is dropped (the deployment controller's 15); unlimited when unset. */
  maxRetries?: number;
}

function defaultOnError(key: string, err: unknown, requeued: boolean): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`error syncing "${key}": ${message}${requeued ? ', requeuing' : ' (terminal, not requeued)'}`);
}

/** Processes one key; returns false once the queue is shut down. */
export async function processNextWorkItem(
  queue: WorkQueue,
  sync: (key: string) => Promise<void>,
  onError: (key: string, err: unknown, requeued: boolean) => void = defaultOnError,
  maxRetries?: number,
): Promise<boolean> {
  const key = await queue.get();
  if (key === undefined) return false;
  try {
    await sync(key);
    queue.forget(key);
  } catch (err) {
    if (err instanceof RequeueAfter) {
      queue.forget(key);
      queue.addAfter(key, err.delayMs);
      return true;
    }
    const terminal = isTerminalError(err) || (maxRetries !== undefined && queue.numRequeues(key) >= maxRetries);
    if (terminal) queue.forget(key);
    else queue.addRateLimited(key);
    try {
      onError(key, err, !terminal);
    } catch {
      // A failing error handler must not stop the worker.
    }
  } finally {
    queue.done(key);
  }
  return true;
}

/** Runs `workers` loops over the queue until `signal` aborts (which shuts the queue down). */
export async function runWorkers(options: RunWorkersOptions): Promise<void> {
  const { queue, sync, signal } = options;
  const onError = options.onError ?? defaultOnError;
  const stop = (): void => queue.shutDown();
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  const worker = async (): Promise<void> => {
    while (await processNextWorkItem(queue, sync, onError, options.maxRetries)) {
      // next key
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.workers) }, worker));
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
