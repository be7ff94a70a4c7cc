/**
 * The server's components on a worker thread: the API server keeps its thread to itself, and the
 * scheduler and controllers use the machine's second core. The worker's entry module
 * (components-entry.ts, bundled as dist/k8ts-components.mjs) calls runComponentsThread.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type ComponentsOptions, runComponents } from './components.js';

const ROLE = 'k8ts-components';
const STOP = 'stop';
/**
 * The thread's young generation may grow this far (V8's default for a worker is far smaller):
 * informers decode every watch event into objects that mostly die young, and a small young
 * generation promotes them into the old one, whose collections then walk every cached object.
 * Measured on the density benchmark: 10–15% less CPU. The space grows only under load.
 */
const YOUNG_GENERATION_MB = 192;
/**
 * How long the components get to stop before the thread is terminated: a real node stops its
 * pod workers, then containerd (which has 10 s after SIGTERM).
 */
const STOP_GRACE_MS = 30_000;

interface ThreadData {
  role: typeof ROLE;
  options: ComponentsOptions;
}

export interface ComponentsThread {
  /** Settles when the thread has ended. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the components on a worker thread that runs `entry` (components-entry.ts, bundled). */
export function startComponentsThread(entry: URL, options: ComponentsOptions): ComponentsThread {
  const data: ThreadData = { role: ROLE, options };
  const worker = new Worker(entry, { workerData: data, argv: [], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  worker.on('error', (err) => console.error(`components thread failed: ${err.message}`));
  const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    done,
    async stop() {
      worker.postMessage(STOP);
      const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      await done;
      clearTimeout(timer);
    },
  };
}

export interface SuperviseOptions {
  /** First wait before a restart; doubles up to maxMs, and starts over after a minute of running. */
  initialMs?: number;
  maxMs?: number;
  log?: (message: string) => void;
  now?: () => number;
}

/**
 * Keeps a components thread running until `signal` aborts, then stops it. A thread that ends on
 * its own (a crash) is started again after a backoff: the API server must not go on without
 * its controllers and scheduler.
 */
export async function superviseComponentsThread(
  start: () => ComponentsThread,
  signal: AbortSignal,
  o: SuperviseOptions = {},
): Promise<void> {
  const initialMs = o.initialMs ?? 1000;
  const maxMs = o.maxMs ?? 30_000;
  const log = o.log ?? ((m: string) => console.error(m));
  const now = o.now ?? Date.now;
  const aborted = new Promise<'stop'>((resolve) => {
    if (signal.aborted) resolve('stop');
    else signal.addEventListener('abort', () => resolve('stop'), { once: true });
  });
  let delay = initialMs;
  while (!signal.aborted) {
    const thread = start();
    const startedAt = now();
    if ((await Promise.race([thread.done.then(() => 'exit' as const), aborted])) === 'stop') {
      await thread.stop();
      return;
    }
    if (now() - startedAt >= 60_000) delay = initialMs;
    log(`components thread ended unexpectedly; starting it again in ${delay} ms`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, delay))), aborted]);
    clearTimeout(timer);
    delay = Math.min(delay * 2, maxMs);
  }
}

/** The worker's side: runs the components until the server asks it to stop, then ends the thread. */
export async function runComponentsThread(): Promise<void> {
  const data = workerData as Partial<ThreadData> | null;
  if (isMainThread || data?.role !== ROLE || !data.options) throw new Error('not started by startComponentsThread');
  const { options } = data;
  const abort = new AbortController();
  parentPort?.on('message', (m: unknown) => {
    if (m === STOP) abort.abort();
  });
  await runComponents(options, abort.signal);
  // keep-alive sockets and timers would hold the thread open: it has nothing left to do
  process.exit(0);
}
