/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished): deletes a finished Job
 * (Complete or Failed) ttlSecondsAfterFinished after it finished, in the foreground (its pods
 * first), with a UID precondition, after checking the TTL once more on a fresh read.
 * Watch jobs → enqueue finished ones with a TTL → sync(key): delete, or enqueue for the expiry.
 */
import type { Clientset, ResourceClient, SharedInformer, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import { runController } from '../runtime.js';
import { isJobFinished, type Job, JOBS } from '../job/types.js';

export interface TTLAfterFinishedControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  now?: () => number;
}

/** needsCleanup: finished, with a TTL set. */
export function needsCleanup(job: Job): boolean {
  return typeof job.spec?.ttlSecondsAfterFinished === 'number' && isJobFinished(job);
}

/** jobFinishTime: when the Complete or Failed condition turned True. */
export function jobFinishTime(job: Job): number {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  const at = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : Number.NaN;
  if (Number.isNaN(at))
    throw new Error(`unable to find the time when the Job ${job.metadata.namespace ?? ''}/${job.metadata.name ?? ''} finished`);
  return at;
}

/** timeLeft: milliseconds until the Job's TTL expires (≤ 0 once expired). */
export function ttlTimeLeft(job: Job, nowMs: number): number {
  return jobFinishTime(job) + (job.spec?.ttlSecondsAfterFinished ?? 0) * 1000 - nowMs;
}

export class TTLAfterFinishedController {
  readonly queue: WorkQueue;
  readonly #jobs: ResourceClient;
  readonly #informer: SharedInformer;
  readonly #now: () => number;

  constructor(options: TTLAfterFinishedControllerOptions) {
    this.queue = options.newQueue();
    this.#now = options.now ?? Date.now;
    this.#jobs = options.client.resource(JOBS);
    this.#informer = options.informers.forResource(JOBS);
    const enqueue = (job: Job) => {
      if (!job.metadata.deletionTimestamp && needsCleanup(job)) this.queue.add(objectKey(job));
    };
    this.#informer.addEventHandler({ onAdd: (j) => enqueue(j as Job), onUpdate: (_old, j) => enqueue(j as Job) });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await runController(
      [this.#informer],
      [
        {
          queue: this.queue,
          workers,
          signal,
          sync: (key) => this.sync(key),
          onError: (key, err) =>
            console.error(`ttl-after-finished-controller: error cleaning up Job ${key}, will retry: ${(err as Error).message}`),
        },
      ],
      signal,
    );
  }

  /** processTTL: true when expired; otherwise the key comes back when it expires. */
  #expired(job: Job): boolean {
    if (job.metadata.deletionTimestamp || !needsCleanup(job)) return false;
    const left = ttlTimeLeft(job, this.#now());
    if (left <= 0) return true;
    this.queue.addAfter(objectKey(job), left);
    return false;
  }

  /** processJob: deletes the Job once its TTL has expired, checked again on a fresh read. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#informer.lister.get(namespace, name) as Job | undefined;
    if (!cached || !this.#expired(cached)) return;
    let fresh: Job;
    try {
      fresh = (await this.#jobs.get(namespace, name)) as Job;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return;
      throw err;
    }
    if (!this.#expired(fresh)) return;
    await this.#jobs.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid ?? '' } });
  }
}
