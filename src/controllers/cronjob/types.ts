/**
 * The slices of batch/v1 CronJob and Job the CronJob controller reads and writes, and
 * jobutil.FinishedCondition (a Job is finished, and succeeded, by its condition).
 */
import type { GroupVersionResource } from '../../client/interface.js';
import type { KubeObject, ObjectMeta } from '../../machinery/object.js';
import type { Job, JobSpec } from '../job/types.js';

export { JOBS, JOB_API_VERSION as BATCH_V1, type Job } from '../job/types.js';

export const CRON_JOBS: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'cronjobs' };
export const CRON_JOB_KIND = 'CronJob';

/** batchv1.CronJobScheduledTimestampAnnotation: the scheduled time, RFC 3339 in the CronJob's zone. */
export const CRON_JOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** corev1.ObjectReference as status.active holds it. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

export interface CronJob extends KubeObject {
  spec?: {
    schedule?: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: ConcurrencyPolicy;
    suspend?: boolean;
    jobTemplate?: { metadata?: ObjectMeta; spec?: JobSpec };
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
  };
  status?: {
    active?: ObjectReference[];
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
  };
}

/** FinishedCondition: the Complete or Failed condition that is True, if any. */
export function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}
