/**
 * Writing a Job's status (updateJobStatus): a full UpdateStatus carrying the resourceVersion
 * read (a conflict fails the sync, which is retried), in the JSON form Go's omitempty gives —
 * zero counters and empty lists left out, ready and terminating always present.
 */
import type { ResourceClient } from '../../client/interface.js';
import type { Job, JobStatus } from './types.js';

/** The status as upstream serializes it. */
export function wireStatus(status: JobStatus): JobStatus {
  const out: JobStatus = { ...status };
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!out[k]) delete out[k];
  if (!out.completedIndexes) delete out.completedIndexes;
  if (out.conditions?.length === 0) delete out.conditions;
  const u = status.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = {};
  if (u.succeeded?.length) out.uncountedTerminatedPods.succeeded = [...u.succeeded];
  if (u.failed?.length) out.uncountedTerminatedPods.failed = [...u.failed];
  return out;
}

export async function updateJobStatus(client: ResourceClient, job: Job): Promise<Job> {
  const body: Job = { ...job, status: wireStatus(job.status ?? {}) };
  const updated = (await client.updateStatus(job.metadata.namespace ?? '', body)) as Job;
  const status = (updated.status ??= {});
  const u = (status.uncountedTerminatedPods ??= {});
  u.succeeded ??= [];
  u.failed ??= [];
  return updated;
}
