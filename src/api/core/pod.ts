/** The pods strategy (pkg/registry/core/pod/strategy.go): defaults, status on create, updates, deletion. */
import type { ResourceStrategy } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { forbidden, newPath } from '../../machinery/validation/field.js';
import { num, objs, part, str } from './access.js';
import { DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, defaultPod } from './pod-defaults.js';
import { podQOSClass } from './pod-qos.js';
import { validatePodSpec } from './pod-validation.js';
import { validatePodSpecUpdate, validatePodStatusUpdate } from './pod-update.js';
import { cloneJson } from '../../machinery/clone.js';

export { podPrinter } from './pod-printer.js';

/** PrepareForCreate: a new pod is Pending with its QoS class; gated pods say so. */
function prepareForCreate(pod: KubeObject): void {
  const spec = part(pod, 'spec');
  const status: Record<string, unknown> = { phase: 'Pending', qosClass: podQOSClass(spec) };
  if (objs(spec['schedulingGates']).length > 0) {
    status['conditions'] = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
        lastProbeTime: null,
        lastTransitionTime: null,
      },
    ];
  }
  pod['status'] = status;
}

function validate(pod: KubeObject): FieldError[] {
  const spec = part(pod, 'spec');
  const errs = validatePodSpec(spec, newPath('spec'));
  if (objs(spec['ephemeralContainers']).length > 0) errs.push(forbidden(newPath('spec', 'ephemeralContainers'), 'cannot be set on create'));
  return errs;
}

function validateUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  return [...validatePodSpec(part(pod, 'spec'), newPath('spec')), ...validatePodSpecUpdate(part(pod, 'spec'), part(old, 'spec'))];
}

function selectableFields(pod: KubeObject): Record<string, string> {
  const spec = part(pod, 'spec');
  const status = part(pod, 'status');
  return {
    'spec.nodeName': str(spec['nodeName']),
    'spec.restartPolicy': str(spec['restartPolicy']),
    'spec.schedulerName': str(spec['schedulerName']),
    'spec.serviceAccountName': str(spec['serviceAccountName']),
    'spec.hostNetwork': String(spec['hostNetwork'] === true),
    'status.phase': str(status['phase']),
    'status.podIP': str(status['podIP']),
    'status.nominatedNodeName': str(status['nominatedNodeName']),
  };
}

function warnings(pod: KubeObject): string[] {
  const out: string[] = [];
  const spec = part(pod, 'spec');
  const grace = num(spec['terminationGracePeriodSeconds']);
  if (grace !== undefined && grace < 0) {
    out.push('spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1');
  }
  const annotations = pod.metadata.annotations ?? {};
  if ('scheduler.alpha.kubernetes.io/critical-pod' in annotations) {
    out.push(
      'metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead',
    );
  }
  return out;
}

export const podStrategy: ResourceStrategy = {
  defaults: (pod) => defaultPod(pod),
  prepareForCreate,
  validate,
  validateUpdate,
  prepareForStatusUpdate(pod, old) {
    // old kubelets corrupt owner references; the status endpoint may not touch them
    if (old.metadata.ownerReferences) pod.metadata.ownerReferences = cloneJson(old.metadata.ownerReferences);
    else delete pod.metadata.ownerReferences;
  },
  validateStatusUpdate(pod, old) {
    return validatePodStatusUpdate(part(pod, 'status'), part(old, 'status'), str(part(old, 'spec')['restartPolicy']));
  },
  selectableFields,
  warnings,
};

/** CheckGracefulDelete: the grace period of a pod deletion (0 deletes at once). */
export function podGracefulDeletion(pod: KubeObject, requestedSeconds: number | undefined): number {
  const spec = part(pod, 'spec');
  let period = requestedSeconds ?? num(spec['terminationGracePeriodSeconds']) ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  if (!str(spec['nodeName'])) period = 0;
  const phase = str(part(pod, 'status')['phase']);
  if (phase === 'Succeeded' || phase === 'Failed') period = 0;
  if (period < 0) period = 1;
  return period;
}
