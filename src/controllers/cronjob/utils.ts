/**
 * The CronJob controller's time and Job arithmetic (pkg/controller/cronjob/utils.go): the most
 * recent unmet schedule time after downtime, when to requeue, the Job a schedule time makes
 * (deterministic name, scheduled-timestamp annotation), the active list, history order.
 */
import { isValidTimeZone } from '../../api/batch/cron-schedule.js';
import { cloneJson } from '../../machinery/clone.js';
import type { ObjectMeta } from '../../machinery/object.js';
import { newControllerRef } from '../controller-utils/controller-ref.js';
import type { Schedule } from './schedule.js';
import type { TimeZone } from './time-zone.js';
import { BATCH_V1, CRON_JOB_KIND, CRON_JOB_SCHEDULED_TIMESTAMP_ANNOTATION, type CronJob, type Job, type ObjectReference } from './types.js';

/** The requeue padding past a schedule time, for clock skew (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** How many schedule times were missed since the last one (missedSchedulesType). */
export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecent {
  /** The last schedule time, the creation time, or the starting deadline, whichever is latest. */
  earliest: number;
  /** The latest schedule time not after now, if any came since `earliest`. */
  mostRecent: number | undefined;
  missed: MissedSchedules;
  /** A schedule that parses but never fires twice a second apart (say 30 February). */
  error?: string;
}

/** mostRecentScheduleTime: without listing every missed time, only the latest one. */
export function mostRecentScheduleTime(cj: CronJob, now: number, schedule: Schedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '') || 0;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && deadline != null) earliest = Math.max(earliest, now - deadline * 1000);
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, mostRecent: undefined, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (t1 === undefined || between < 1)
    return { earliest, mostRecent: undefined, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  // a rough count of the schedules that fit between t1 and now, then the exact latest one
  const elapsed = Math.trunc((now - t1) / 1000);
  const missedCount = Math.trunc(elapsed / between) + 1;
  let mostRecent: number | undefined;
  for (let t = schedule.next(t1 + (missedCount - 2) * between * 1000); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  const missed: MissedSchedules = missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** nextScheduleTimeDuration: how long until the sync after the next schedule time (ms). */
export function nextScheduleTimeDuration(cj: CronJob, now: number, schedule: Schedule): number | undefined {
  const r = mostRecentScheduleTime(cj, now, schedule, false);
  const from = r.error ? now : (r.mostRecent ?? (r.missed === 'none' ? r.earliest : now));
  const next = schedule.next(from);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}

/** nextScheduleTime: the schedule time to act on now (within the starting deadline), if any. */
export function nextScheduleTime(cj: CronJob, now: number, schedule: Schedule): { time?: number; tooManyMissed: boolean; error?: string } {
  const r = mostRecentScheduleTime(cj, now, schedule, true);
  if (r.mostRecent === undefined || r.mostRecent > now) return { tooManyMissed: false, ...(r.error ? { error: r.error } : {}) };
  return { time: r.mostRecent, tooManyMissed: r.missed === 'many' };
}

/** formatSchedule: the spec with the CronJob's zone as a TZ= prefix, for cron.ParseStandard. */
export function formatSchedule(cj: CronJob): string {
  const schedule = cj.spec?.schedule ?? '';
  if (schedule.includes('TZ')) return schedule;
  const tz = cj.spec?.timeZone;
  return tz != null && isValidTimeZone(tz) ? `TZ=${tz} ${schedule}` : schedule;
}

/** getJobName: `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function jobName(cj: CronJob, scheduledTime: number): string {
  return `${cj.metadata.name ?? ''}-${Math.floor(scheduledTime / 60_000)}`;
}

/** getJobFromTemplate2: the Job for one schedule time, controlled by the CronJob. */
export function jobFromTemplate(cj: CronJob, scheduledTime: number, zone: TimeZone): Job {
  const template = cj.spec?.jobTemplate;
  const metadata: ObjectMeta = {
    name: jobName(cj, scheduledTime),
    namespace: cj.metadata.namespace ?? '',
    labels: { ...template?.metadata?.labels },
    annotations: { ...template?.metadata?.annotations, [CRON_JOB_SCHEDULED_TIMESTAMP_ANNOTATION]: zone.formatRFC3339(scheduledTime) },
    ownerReferences: [newControllerRef(cj, BATCH_V1, CRON_JOB_KIND)],
  };
  return { apiVersion: BATCH_V1, kind: 'Job', metadata, spec: cloneJson(template?.spec ?? {}) };
}

/** ref.GetReference of a Job, as status.active lists it. */
export function jobReference(job: Job): ObjectReference {
  const m = job.metadata;
  return {
    kind: 'Job',
    namespace: m.namespace ?? '',
    name: m.name ?? '',
    uid: m.uid ?? '',
    apiVersion: BATCH_V1,
    ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
  };
}

export function inActiveList(cj: CronJob, uid: string | undefined): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

export function inActiveListByName(cj: CronJob, namespace: string, name: string): boolean {
  return (cj.status?.active ?? []).some((r) => r.name === name && r.namespace === namespace);
}

/** Drops a Job from status.active (the field left out when empty, as Go's omitempty writes it). */
export function deleteFromActiveList(cj: CronJob, uid: string | undefined): void {
  const { active, ...rest } = cj.status ?? {};
  const left = (active ?? []).filter((r) => r.uid !== uid);
  cj.status = left.length > 0 ? { ...rest, active: left } : rest;
}

/** byJobStartTime: started before unstarted, earlier start first, then by name. */
export function byJobStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  const ta = sa ? Date.parse(sa) : 0;
  const tb = sb ? Date.parse(sb) : 0;
  if (ta === tb) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
  return ta - tb;
}
