/**
 * Pod template checks for workload controllers (Deployment, ReplicaSet, StatefulSet,
 * DaemonSet, Job), on top of core's ValidatePodTemplateSpec and pod defaults.
 */
import { asObj, dig, str, strMap } from '../core/access.js';
import { defaultPodTemplateSpec } from '../core/pod-defaults.js';
import { validatePodTemplateSpec } from '../core/pod-validation.js';
import { labelSelectorFromMeta, type LabelSelector } from '../../machinery/labels.js';
import { forbidden, invalid, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';

export { defaultPodTemplateSpec, validatePodTemplateSpec };

/** The template's restartPolicy as defaulting leaves it ("Always" when unset). */
export function templateRestartPolicy(template: unknown): string {
  return str(dig(template, 'spec', 'restartPolicy')) || 'Always';
}

/** The template labels must be matched by the selector (a non-empty selector only). */
export function validateSelectorMatchesTemplate(selector: LabelSelector | undefined, template: unknown, path: FieldPath): FieldError[] {
  if (!selector) return [];
  try {
    const sel = labelSelectorFromMeta(selector);
    if (sel.isEmpty()) return [];
    const labels = strMap(dig(template, 'metadata', 'labels'));
    if (!sel.matches(labels)) return [invalid(path.child('metadata', 'labels'), labels, '`selector` does not match template `labels`')];
  } catch {
    return [];
  }
  return [];
}

/**
 * ValidatePodTemplateSpecForReplicaSet: selector match, template validity, restartPolicy
 * Always, no activeDeadlineSeconds. Used by Deployments, ReplicaSets, StatefulSets, DaemonSets.
 */
export function validateTemplateForReplicaSet(template: unknown, selector: LabelSelector | undefined, path: FieldPath): FieldError[] {
  if (!asObj(template)) return [required(path, '')];
  const errs = [...validateSelectorMatchesTemplate(selector, template, path), ...validatePodTemplateSpec(template, path)];
  const policy = templateRestartPolicy(template);
  if (policy !== 'Always') errs.push(notSupported(path.child('spec', 'restartPolicy'), policy, ['Always']));
  if (dig(template, 'spec', 'activeDeadlineSeconds') !== undefined) {
    errs.push(forbidden(path.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}
