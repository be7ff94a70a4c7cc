/** batch/v1 JobSpec validation (pkg/apis/batch/validation), shared by Jobs and CronJob templates. */
import type { KubeObject } from '../../machinery/object.js';
import { asObj, dig, part, str, strMap, type Obj } from '../core/access.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { labelSelectorFromMeta, validateLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import { invalid, newPath, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';
import { validatePodTemplateSpec } from '../apps/pod-template.js';
import { nonNegative } from '../apps/workload.js';
import { cloneJson } from '../../machinery/clone.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;

/** validateJobSpec: the checks shared by Jobs and CronJob job templates. */
export function validateJobSpecCommon(spec: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
    'backoffLimitPerIndex',
  ]) {
    errs.push(...nonNegative(spec, k, path));
  }
  const mode = spec['completionMode'];
  if (mode !== undefined && mode !== null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(path.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (typeof spec['completions'] !== 'number') errs.push(required(path.child('completions'), 'when completion mode is Indexed'));
      const par = spec['parallelism'];
      if (typeof par === 'number' && par > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(
          invalid(
            path.child('parallelism'),
            par,
            `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`,
          ),
        );
      }
    }
  }
  const hasFailurePolicy = asObj(spec['podFailurePolicy']) !== undefined;
  const prp = spec['podReplacementPolicy'];
  if (prp !== undefined && prp !== null) {
    const valid = hasFailurePolicy ? ['Failed'] : ['TerminatingOrFailed', 'Failed'];
    if (!valid.includes(str(prp))) errs.push(notSupported(path.child('podReplacementPolicy'), prp, valid));
  }
  const tp = path.child('template');
  errs.push(...validatePodTemplateSpec(spec['template'], tp));
  const policy = str(dig(spec, 'template', 'spec', 'restartPolicy')) || 'Always';
  if (policy !== 'OnFailure' && policy !== 'Never') {
    errs.push(notSupported(tp.child('spec', 'restartPolicy'), policy, ['OnFailure', 'Never']));
  } else if (policy === 'OnFailure' && hasFailurePolicy) {
    errs.push(invalid(tp.child('spec', 'restartPolicy'), policy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** ValidateJobSpec: the common checks plus a required selector that matches the template. */
export function validateJobSpec(spec: Obj, path: FieldPath): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  const selector = asObj(spec['selector']) as LabelSelector | undefined;
  if (!selector) errs.push(required(path.child('selector'), ''));
  else errs.push(...validateLabelSelector(selector, path.child('selector')));
  try {
    const labels = strMap(dig(spec, 'template', 'metadata', 'labels'));
    if (!labelSelectorFromMeta(selector).matches(labels)) {
      errs.push(invalid(path.child('template', 'metadata', 'labels'), labels, '`selector` does not match template `labels`'));
    }
  } catch {
    // reported by validateLabelSelector
  }
  return errs;
}

/** validateGeneratedSelector: without manualSelector the selector must be the generated one. */
export function validateGeneratedSelector(job: KubeObject): FieldError[] {
  const spec = part(job, 'spec');
  if (spec['manualSelector'] === true) return [];
  const labels = asObj(dig(spec, 'template', 'metadata', 'labels'));
  if (!labels) return [required(newPath('spec', 'template', 'metadata', 'labels'), 'must not be empty')];
  const selector = asObj(spec['selector']);
  if (!selector) return [required(newPath('spec', 'selector'), '')];
  const uid = job.metadata.uid ?? '';
  const errs: FieldError[] = [];
  if (strMap(selector['matchLabels'])[CONTROLLER_UID_LABEL] !== uid) {
    errs.push(invalid(newPath('spec', 'selector'), selector, '`selector` not auto-generated'));
  }
  const lp = newPath('spec', 'template', 'metadata', 'labels');
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) {
    if (labels[key] !== undefined && labels[key] !== uid) errs.push(invalid(lp.key(key), labels[key], `must be '${uid}'`));
  }
  return errs;
}

const SCHEDULING_DIRECTIVES = ['nodeSelector', 'tolerations', 'affinity', 'schedulingGates'];

/** ValidateJobSpecUpdate: the fields a running Job may not change. */
export function validateJobSpecUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  const spec = part(job, 'spec');
  const oldSpec = part(old, 'spec');
  const p = newPath('spec');
  const errs: FieldError[] = [];
  const elastic =
    spec['completionMode'] === 'Indexed' &&
    spec['completions'] === spec['parallelism'] &&
    oldSpec['completions'] === oldSpec['parallelism'];
  if (!elastic) errs.push(...validateImmutableField(spec['completions'], oldSpec['completions'], p.child('completions')));
  errs.push(...validateImmutableField(spec['selector'], oldSpec['selector'], p.child('selector')));
  let oldTemplate = oldSpec['template'];
  const mutableScheduling = oldSpec['suspend'] === true && dig(old, 'status', 'startTime') === undefined;
  if (mutableScheduling) {
    const t = cloneJson(asObj(oldTemplate) ?? {});
    const nt = asObj(spec['template']) ?? {};
    const meta = (t['metadata'] = { ...(asObj(t['metadata']) ?? {}) });
    for (const k of ['labels', 'annotations']) meta[k] = dig(nt, 'metadata', k);
    const ts = (t['spec'] = { ...(asObj(t['spec']) ?? {}) });
    for (const k of SCHEDULING_DIRECTIVES) ts[k] = dig(nt, 'spec', k);
    oldTemplate = t;
  }
  if (!jsonEqual(stripUndefined(spec['template']), stripUndefined(oldTemplate))) {
    errs.push(...validateImmutableField(spec['template'], oldTemplate, p.child('template')));
  }
  for (const k of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    errs.push(...validateImmutableField(spec[k], oldSpec[k], p.child(k)));
  }
  return errs;
}

function stripUndefined(v: unknown): unknown {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown);
}
