/**
 * podFailurePolicy (pod_failure_policy.go): the first rule a failed pod matches decides whether
 * its failure fails the Job (FailJob, with upstream's message), fails its index (FailIndex), is
 * not counted toward the backoff limits (Ignore) or is counted as usual (Count).
 */
import type { Pod } from '../controller-utils/types.js';
import { containerStatuses, initContainerStatuses, type JobContainerStatus } from './job-pods.js';
import type { Job, PodFailurePolicyRule } from './types.js';

export type PodFailurePolicyAction = PodFailurePolicyRule['action'];

export interface PodFailurePolicyMatch {
  /** Set when a FailJob rule matched: the message of the Job's FailureTarget and Failed conditions. */
  failJobMessage?: string;
  /** Whether the failure counts toward backoffLimit (and backoffLimitPerIndex). */
  countFailed: boolean;
  action?: PodFailurePolicyAction;
}

type ExitCodes = NonNullable<PodFailurePolicyRule['onExitCodes']>;

function exitCodeMatches(code: number, req: ExitCodes): boolean {
  if (req.operator === 'In') return req.values.includes(code);
  if (req.operator === 'NotIn') return !req.values.includes(code);
  return false;
}

/** The first terminated, non-zero container status the requirement matches. */
function matchingContainer(statuses: readonly JobContainerStatus[], req: ExitCodes): JobContainerStatus | undefined {
  return statuses.find((cs) => {
    const code = cs.state?.terminated?.exitCode;
    if (code === undefined || code === 0) return false;
    if (req.containerName && req.containerName !== cs.name) return false;
    return exitCodeMatches(code, req);
  });
}

/** matchPodFailurePolicy for a failed pod; without a policy every failure counts. */
export function matchPodFailurePolicy(job: Job, pod: Pod): PodFailurePolicyMatch {
  const rules = job.spec?.podFailurePolicy?.rules;
  if (!rules) return { countFailed: true };
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  for (const [index, rule] of rules.entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const cs =
        matchingContainer(containerStatuses(pod), rule.onExitCodes) ?? matchingContainer(initContainerStatuses(pod), rule.onExitCodes);
      if (!cs) continue;
      failJobMessage = `Container ${cs.name ?? ''} for pod ${ns}/${name} failed with exit code ${cs.state?.terminated?.exitCode ?? 0} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const cond = pod.status?.conditions?.find((c) => rule.onPodConditions?.some((p) => p.type === c.type && p.status === c.status));
      if (!cond) continue;
      failJobMessage = `Pod ${ns}/${name} has condition ${cond.type} matching ${rule.action} rule at index ${index}`;
    } else {
      continue;
    }
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage, countFailed: true, action: 'FailJob' };
    }
  }
  return { countFailed: true };
}
