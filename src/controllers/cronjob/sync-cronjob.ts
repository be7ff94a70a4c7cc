/**
 * One CronJob's reconciliation (syncCronJob and cleanupFinishedJobs of cronjob_controllerv2.go):
 * account for its Jobs in status.active, then, when a schedule time has come, start the Job for
 * it as the concurrency policy allows; trim finished Jobs to the history limits. The CronJob is
 * changed in place; the caller writes its status once.
 */
import type { EventRecorder, ResourceClient } from '../../client/interface.js';
import { isValidTimeZone } from '../../api/batch/cron-schedule.js';
import { hasStatusCause, isStatusError } from '../../machinery/errors.js';
import { rfc3339 } from '../../machinery/time.js';
import { getControllerOf } from '../controller-utils/controller-ref.js';
import { parseSchedule, type Schedule } from './schedule.js';
import { TimeZone } from './time-zone.js';
import { type CronJob, finishedCondition, type Job } from './types.js';
import {
  byJobStartTime,
  deleteFromActiveList,
  formatSchedule,
  inActiveList,
  inActiveListByName,
  jobFromTemplate,
  jobName,
  jobReference,
  nextScheduleTime,
  nextScheduleTimeDuration,
} from './utils.js';

export interface CronJobSyncContext {
  cronJobs: ResourceClient;
  jobs: ResourceClient;
  recorder: EventRecorder;
  now: () => number;
  /** The zone of schedules without one (time.Local of kube-controller-manager). */
  localZone: TimeZone;
}

export interface SyncResult {
  /** When to look at the CronJob again (ms); none while it is suspended or its schedule is broken. */
  requeueAfter?: number;
  /** status changed and must be written. */
  updateStatus: boolean;
  error?: unknown;
}

/** time.RFC1123Z in UTC: `Mon, 01 Jan 2024 00:01:00 +0000`. */
function rfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** deleteJob: deletes a Job (its pods in the background) and drops it from the active list. */
async function deleteJob(ctx: CronJobSyncContext, cj: CronJob, job: Job): Promise<boolean> {
  try {
    await ctx.jobs.delete(job.metadata.namespace ?? '', job.metadata.name ?? '', { propagationPolicy: 'Background' });
  } catch (err) {
    ctx.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${message(err)}`);
    return false;
  }
  deleteFromActiveList(cj, job.metadata.uid);
  ctx.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name ?? ''}`);
  return true;
}

/** cleanupFinishedJobs: deletes the oldest finished Jobs beyond the history limits. */
export async function cleanupFinishedJobs(ctx: CronJobSyncContext, cj: CronJob, jobs: readonly Job[]): Promise<boolean> {
  const limits = { Complete: cj.spec?.successfulJobsHistoryLimit, Failed: cj.spec?.failedJobsHistoryLimit };
  let updateStatus = false;
  for (const type of ['Complete', 'Failed'] as const) {
    const limit = limits[type];
    if (limit == null) continue;
    const finished = jobs.filter((j) => finishedCondition(j) === type).sort(byJobStartTime);
    for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
      if (await deleteJob(ctx, cj, job)) updateStatus = true;
    }
  }
  return updateStatus;
}

/** Active list and last successful time from the Jobs that exist. */
async function reconcileActive(ctx: CronJobSyncContext, cj: CronJob, jobs: readonly Job[]): Promise<boolean> {
  let updateStatus = false;
  const ns = cj.metadata.namespace ?? '';
  const children = new Set<string>();
  for (const j of jobs) {
    const uid = j.metadata.uid ?? '';
    children.add(uid);
    const found = inActiveList(cj, uid);
    const finished = finishedCondition(j);
    if (!found && !finished) {
      // maybe our own status write is not in the cache yet
      const fresh = (await ctx.cronJobs.get(ns, cj.metadata.name ?? '')) as CronJob;
      if (inActiveList(fresh, uid)) continue;
      ctx.recorder.event(
        cj,
        'Warning',
        'UnexpectedJob',
        `Saw a job that the controller did not create or forgot: ${j.metadata.name ?? ''}`,
      );
    } else if (finished) {
      if (found) {
        deleteFromActiveList(cj, uid);
        ctx.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name ?? ''}, condition: ${finished}`);
        updateStatus = true;
      }
      const completed = j.status?.completionTime;
      const last = cj.status?.lastSuccessfulTime;
      if (finished === 'Complete' && completed && (!last || Date.parse(completed) > Date.parse(last))) {
        cj.status = { ...cj.status, lastSuccessfulTime: completed };
        updateStatus = true;
      }
    }
  }
  // an active Job that is gone would hold a Forbid CronJob forever
  for (const ref of [...(cj.status?.active ?? [])]) {
    if (children.has(ref.uid ?? '')) continue;
    try {
      await ctx.jobs.get(ref.namespace ?? ns, ref.name ?? '');
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
      ctx.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
      deleteFromActiveList(cj, ref.uid);
      updateStatus = true;
    }
  }
  return updateStatus;
}

/** The schedule to follow, or undefined (with the Warning event upstream records) when there is none. */
function cronJobSchedule(ctx: CronJobSyncContext, cj: CronJob): Schedule | undefined {
  const schedule = cj.spec?.schedule ?? '';
  const tz = cj.spec?.timeZone;
  if (tz != null && !isValidTimeZone(tz)) {
    ctx.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
    return undefined;
  }
  if (cj.spec?.suspend) return undefined;
  if (schedule.includes('TZ')) {
    ctx.recorder.event(
      cj,
      'Warning',
      'UnsupportedSchedule',
      `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
    );
  }
  try {
    return parseSchedule(formatSchedule(cj), ctx.localZone);
  } catch (err) {
    ctx.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(schedule)} : ${message(err)}`);
    return undefined;
  }
}

/** syncCronJob: reconciles a CronJob with the Jobs it created (all of them in `jobs`). */
export async function syncCronJob(ctx: CronJobSyncContext, cj: CronJob, jobs: readonly Job[]): Promise<SyncResult> {
  const now = ctx.now();
  let updateStatus = false;
  try {
    updateStatus = await reconcileActive(ctx, cj, jobs);
  } catch (err) {
    return { updateStatus, error: err };
  }
  if (cj.metadata.deletionTimestamp) return { updateStatus };
  const sched = cronJobSchedule(ctx, cj);
  if (!sched) return { updateStatus };
  const next = nextScheduleTime(cj, now, sched);
  const requeue = (): SyncResult => {
    const after = nextScheduleTimeDuration(cj, now, sched);
    return after === undefined ? { updateStatus } : { requeueAfter: after, updateStatus };
  };
  if (next.tooManyMissed) {
    ctx.recorder.event(
      cj,
      'Warning',
      'TooManyMissedTimes',
      'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    );
  }
  if (next.time === undefined) {
    if (!next.error) return requeue();
    ctx.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec?.schedule ?? ''} : ${next.error}`);
    return { updateStatus };
  }
  const scheduled = next.time;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (deadline != null && scheduled + deadline * 1000 < now) {
    ctx.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
    return requeue();
  }
  const ns = cj.metadata.namespace ?? '';
  const last = cj.status?.lastScheduleTime;
  if (inActiveListByName(cj, ns, jobName(cj, scheduled)) || (last && Date.parse(last) === scheduled)) return requeue();
  const active = cj.status?.active ?? [];
  if (cj.spec?.concurrencyPolicy === 'Forbid' && active.length > 0) {
    ctx.recorder.event(
      cj,
      'Normal',
      'JobAlreadyActive',
      'Not starting job because prior execution is running and concurrency policy is Forbid',
    );
    return requeue();
  }
  if (cj.spec?.concurrencyPolicy === 'Replace') {
    for (const ref of active) {
      let job: Job;
      try {
        job = (await ctx.jobs.get(ref.namespace ?? ns, ref.name ?? '')) as Job;
      } catch (err) {
        ctx.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${message(err)}`);
        return { updateStatus, error: err };
      }
      if (!(await deleteJob(ctx, cj, job)))
        return { updateStatus, error: new Error(`could not replace job ${ns}/${job.metadata.name ?? ''}`) };
      updateStatus = true;
    }
  }
  const request = jobFromTemplate(cj, scheduled, new TimeZone(cj.spec?.timeZone ?? 'UTC'));
  let job: Job;
  let alreadyExisted = false;
  try {
    job = (await ctx.jobs.create(ns, request)) as Job;
  } catch (err) {
    if (hasStatusCause(err, 'NamespaceTerminating')) return { updateStatus, error: err };
    if (!isStatusError(err, 'AlreadyExists')) {
      ctx.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${message(err)}`);
      return { updateStatus, error: err };
    }
    // created before by us (and the status write lost), or by someone else
    alreadyExisted = true;
    try {
      job = (await ctx.jobs.get(ns, request.metadata.name ?? '')) as Job;
    } catch (getErr) {
      return { updateStatus, error: getErr };
    }
    if (getControllerOf(job)?.uid !== cj.metadata.uid || inActiveList(cj, job.metadata.uid)) return { updateStatus };
  }
  if (!alreadyExisted) ctx.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name ?? ''}`);
  cj.status = { ...cj.status, active: [...(cj.status?.active ?? []), jobReference(job)], lastScheduleTime: rfc3339(scheduled) };
  return { ...requeue(), updateStatus: true };
}
