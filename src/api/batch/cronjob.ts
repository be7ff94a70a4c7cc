/** batch/v1 CronJob: defaults, validation (schedule, time zone), status and printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, dig, part, setDefault, str } from '../core/access.js';
import { defaultPodTemplateSpec } from '../core/pod-defaults.js';
import { formatLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import { ageSince } from '../../machinery/duration.js';
import { invalid, newPath, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import { nonNegative } from '../apps/workload.js';
import {
  AGE_COLUMN,
  column,
  CONTAINERS_COLUMN,
  describe,
  IMAGES_COLUMN,
  NAME_COLUMN,
  objectAge,
  templateCells,
  wideColumn,
} from '../apps/printing.js';
import { isValidTimeZone, parseCronSchedule } from './cron-schedule.js';
import { validateJobSpecCommon } from './job-validation.js';
import './types.js';

const spec = newPath('spec');
const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];
const VALID_TZ_PART = /^[A-Za-z._+\-0-9]+$/;

export function defaultCronJob(obj: KubeObject): void {
  const s = child(obj, 'spec');
  setDefault(s, 'concurrencyPolicy', 'Allow');
  setDefault(s, 'suspend', false);
  setDefault(s, 'successfulJobsHistoryLimit', 3);
  setDefault(s, 'failedJobsHistoryLimit', 1);
  defaultPodTemplateSpec(dig(s, 'jobTemplate', 'spec', 'template'));
}

/** validateScheduleFormat. */
export function validateSchedule(schedule: string, allowTZ: boolean, timeZone: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  try {
    parseCronSchedule(schedule);
  } catch (err) {
    errs.push(invalid(path, schedule, err instanceof Error ? err.message : String(err)));
  }
  if (allowTZ && schedule.includes('TZ') && timeZone != null) {
    errs.push(invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

/** validateTimeZone. */
export function validateTimeZone(timeZone: unknown, path: FieldPath): FieldError[] {
  if (timeZone === undefined || timeZone === null) return [];
  const tz = str(timeZone);
  if (tz.length === 0) return [invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const p of tz.split('/')) {
    if (p === '.' || p === '..' || p.startsWith('-') || !VALID_TZ_PART.test(p)) return [invalid(path, tz, `unknown time zone ${tz}`)];
  }
  if (tz.toLowerCase() === 'local')
    return [invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isValidTimeZone(tz) ? [] : [invalid(path, tz, `unknown time zone ${tz}`)];
}

/** ValidateCronJobSpec (allowTZ: the old schedule already used TZ=, on update). */
export function validateCronJobSpec(obj: KubeObject, allowTZ: boolean): FieldError[] {
  const s = part(obj, 'spec');
  const errs: FieldError[] = [];
  const schedule = str(s['schedule']);
  if (!schedule) errs.push(required(spec.child('schedule'), ''));
  else errs.push(...validateSchedule(schedule, allowTZ, s['timeZone'], spec.child('schedule')));
  errs.push(...nonNegative(s, 'startingDeadlineSeconds', spec));
  const cp = str(s['concurrencyPolicy']);
  if (!cp) errs.push(required(spec.child('concurrencyPolicy'), ''));
  else if (!CONCURRENCY.includes(cp)) errs.push(notSupported(spec.child('concurrencyPolicy'), cp, CONCURRENCY));
  const jt = spec.child('jobTemplate');
  const jobSpec = asObj(dig(s, 'jobTemplate', 'spec')) ?? {};
  errs.push(...validateJobSpecCommon(jobSpec, jt.child('spec')));
  if (jobSpec['selector'] != null)
    errs.push(invalid(jt.child('spec', 'selector'), jobSpec['selector'], '`selector` will be auto-generated'));
  if (jobSpec['manualSelector'] === true) errs.push(notSupported(jt.child('spec', 'manualSelector'), true, ['nil', 'false']));
  errs.push(...nonNegative(s, 'successfulJobsHistoryLimit', spec), ...nonNegative(s, 'failedJobsHistoryLimit', spec));
  errs.push(...validateTimeZone(s['timeZone'], spec.child('timeZone')));
  return errs;
}

export function validateCronJob(obj: KubeObject): FieldError[] {
  const errs = validateCronJobSpec(obj, false);
  const name = obj.metadata.name ?? '';
  if (name.length > 52) errs.unshift(invalid(newPath('metadata', 'name'), name, 'must be no more than 52 characters'));
  return errs;
}

export const cronJobStrategy: ResourceStrategy = {
  defaults: defaultCronJob,
  prepareForCreate(obj) {
    obj['status'] = {};
  },
  validate: validateCronJob,
  validateUpdate: (obj, old) => validateCronJobSpec(obj, str(dig(old, 'spec', 'schedule')).includes('TZ')),
};

const CRON_SPEC = 'io.k8s.api.batch.v1.CronJobSpec';
const CRON_STATUS = 'io.k8s.api.batch.v1.CronJobStatus';

export const cronJobPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Schedule', 'string', describe(CRON_SPEC, 'schedule')),
    column('Timezone', 'string', describe(CRON_SPEC, 'timeZone')),
    column('Suspend', 'boolean', describe(CRON_SPEC, 'suspend')),
    column('Active', 'integer', describe(CRON_STATUS, 'active')),
    column('Last Schedule', 'string', describe(CRON_STATUS, 'lastScheduleTime')),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', describe('io.k8s.api.batch.v1.JobSpec', 'selector')),
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const st = part(obj, 'status');
    const suspend = typeof s['suspend'] === 'boolean' ? (s['suspend'] ? 'True' : 'False') : '<unset>';
    const last = typeof st['lastScheduleTime'] === 'string' ? ageSince(st['lastScheduleTime'], now) : '<none>';
    const timeZone = typeof s['timeZone'] === 'string' ? s['timeZone'] : '<none>';
    const jobSpec = asObj(dig(s, 'jobTemplate', 'spec')) ?? {};
    const [names, images] = templateCells(jobSpec['template']);
    const active = Array.isArray(st['active']) ? st['active'].length : 0;
    return [
      obj.metadata.name ?? '',
      str(s['schedule']),
      timeZone,
      suspend,
      active,
      last,
      objectAge(obj, now),
      names,
      images,
      formatLabelSelector(asObj(jobSpec['selector']) as LabelSelector | undefined),
    ];
  },
};
