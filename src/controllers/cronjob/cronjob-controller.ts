/**
 * The CronJob controller (pkg/controller/cronjob, the v2 controller): starts a Job for each
 * schedule time of a CronJob, as its concurrency policy and starting deadline allow, tracks them
 * in status.active, and trims finished ones to the history limits. No polling: each sync
 * requeues the CronJob for just after its next schedule time.
 * Watch CronJobs and Jobs → enqueue the CronJob's key → sync(key).
 */
import type { Clientset, EventRecorder, SharedInformer, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { objectKey, splitKey } from '../../client/interface.js';
import { cloneJson } from '../../machinery/clone.js';
import type { KubeObject, OwnerReference } from '../../machinery/object.js';
import { getControllerOf } from '../controller-utils/controller-ref.js';
import { semanticEqual } from '../controller-utils/equality.js';
import { runController } from '../runtime.js';
import { parseSchedule } from './schedule.js';
import { cleanupFinishedJobs, type CronJobSyncContext, syncCronJob } from './sync-cronjob.js';
import { TimeZone } from './time-zone.js';
import { CRON_JOB_KIND, CRON_JOBS, type CronJob, type Job, JOBS } from './types.js';
import { formatSchedule, nextScheduleTimeDuration } from './utils.js';

export interface CronJobControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  newQueue: () => WorkQueue;
  now?: () => number;
  /** The zone of schedules without a timeZone; the process' own by default (as upstream's time.Local). */
  localZone?: TimeZone;
  log?: (message: string) => void;
}

export class CronJobController {
  readonly queue: WorkQueue;
  readonly #ctx: CronJobSyncContext;
  readonly #cronJobInformer: SharedInformer;
  readonly #jobInformer: SharedInformer;
  readonly #log: (message: string) => void;

  constructor(options: CronJobControllerOptions) {
    this.queue = options.newQueue();
    this.#log = options.log ?? ((m) => console.error(m));
    this.#ctx = {
      cronJobs: options.client.resource(CRON_JOBS),
      jobs: options.client.resource(JOBS),
      recorder: options.recorder,
      now: options.now ?? Date.now,
      localZone: options.localZone ?? TimeZone.local(),
    };
    this.#cronJobInformer = options.informers.forResource(CRON_JOBS);
    this.#jobInformer = options.informers.forResource(JOBS);
    this.#cronJobInformer.addEventHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (old, cur) => this.#updateCronJob(old as CronJob, cur as CronJob),
      onDelete: (cj) => this.queue.add(objectKey(cj)),
    });
    this.#jobInformer.addEventHandler({
      onAdd: (job) => this.#enqueueOwner(job),
      onUpdate: (old, cur) => this.#updateJob(old, cur),
      onDelete: (job) => this.#enqueueOwner(job),
    });
  }

  /** Waits for the caches, then runs `workers` sync loops until the signal aborts. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    await runController(
      [this.#cronJobInformer, this.#jobInformer],
      [
        {
          queue: this.queue,
          workers,
          signal,
          sync: (key) => this.sync(key),
          onError: (key, err) =>
            this.#log(`cronjob-controller: error syncing CronJobController ${key}, requeuing: ${(err as Error).message}`),
        },
      ],
      signal,
    );
  }

  /** The CronJob a controllerRef names, if it still exists with that UID. */
  #resolve(namespace: string, ref: OwnerReference | undefined): CronJob | undefined {
    if (!ref || ref.kind !== CRON_JOB_KIND) return undefined;
    const cj = this.#cronJobInformer.lister.get(namespace, ref.name);
    return cj && cj.metadata.uid === ref.uid ? (cj as CronJob) : undefined;
  }

  #enqueueOwner(job: KubeObject, ref = getControllerOf(job)): void {
    const cj = this.#resolve(job.metadata.namespace ?? '', ref);
    if (cj) this.queue.add(objectKey(cj));
  }

  #updateJob(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    if (oldRef && !semanticEqual(curRef, oldRef)) this.#enqueueOwner(old, oldRef);
    this.#enqueueOwner(cur, curRef);
  }

  /** A new schedule or zone: requeue for its next time; any other change: sync now. */
  #updateCronJob(old: CronJob, cur: CronJob): void {
    const key = objectKey(cur);
    if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) {
      this.queue.add(key);
      return;
    }
    try {
      const sched = parseSchedule(formatSchedule(cur), this.#ctx.localZone);
      const after = nextScheduleTimeDuration(cur, this.#ctx.now(), sched);
      // a schedule that never comes: sync now, which reports it
      if (after === undefined) this.queue.add(key);
      else this.queue.addAfter(key, after);
    } catch {
      this.#ctx.recorder.event(
        cur,
        'Warning',
        'UnParseableCronJobSchedule',
        `unparseable schedule for cronjob: ${cur.spec?.schedule ?? ''}`,
      );
    }
  }

  /** getJobsToBeReconciled: the Jobs whose controllerRef names the CronJob. */
  #jobsOf(cj: CronJob): Job[] {
    return this.#jobInformer.lister.list(cj.metadata.namespace).filter((j) => getControllerOf(j)?.name === cj.metadata.name) as Job[];
  }

  /** sync: cleanup, reconcile, one status write, then a requeue for the next schedule time. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.#cronJobInformer.lister.get(namespace, name);
    if (!cached) return;
    const jobs = this.#jobsOf(cached as CronJob);
    const cj = cloneJson(cached) as CronJob;
    const cleaned = await cleanupFinishedJobs(this.#ctx, cj, jobs);
    const result = await syncCronJob(this.#ctx, cj, jobs);
    if (cleaned || result.updateStatus) await this.#ctx.cronJobs.updateStatus(namespace, cj);
    if (result.requeueAfter !== undefined) {
      this.queue.addAfter(key, result.requeueAfter);
      return;
    }
    if (result.error !== undefined) throw result.error;
  }
}
