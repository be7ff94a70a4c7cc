/** batch/v1 Job: defaults, generated selector, validation, status, field labels and printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, dig, objs, part, setDefault, str } from '../core/access.js';
import { defaultPodTemplateSpec } from '../core/pod-defaults.js';
import { formatLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import { humanDuration } from '../../machinery/duration.js';
import { newPath, type FieldError } from '../../machinery/validation/field.js';
import { validateStatusCounts } from '../apps/workload.js';
import {
  AGE_COLUMN,
  column,
  CONTAINERS_COLUMN,
  describe,
  IMAGES_COLUMN,
  int,
  NAME_COLUMN,
  objectAge,
  templateCells,
  wideColumn,
} from '../apps/printing.js';
import {
  CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
  validateGeneratedSelector,
  validateJobSpec,
  validateJobSpecUpdate,
} from './job-validation.js';
import './types.js';

const INT32_MAX = 2147483647;

/** SetDefaults_Job plus the template's pod defaults. */
export function defaultJob(obj: KubeObject): void {
  const s = child(obj, 'spec');
  if (s['completions'] == null && s['parallelism'] == null) {
    s['completions'] = 1;
    s['parallelism'] = 1;
  }
  setDefault(s, 'parallelism', 1);
  setDefault(s, 'backoffLimit', s['backoffLimitPerIndex'] != null ? INT32_MAX : 6);
  const templateLabels = asObj(dig(s, 'template', 'metadata', 'labels'));
  if (templateLabels && Object.keys(obj.metadata.labels ?? {}).length === 0)
    obj.metadata.labels = { ...(templateLabels as Record<string, string>) };
  setDefault(s, 'completionMode', 'NonIndexed');
  setDefault(s, 'suspend', false);
  setDefault(s, 'manualSelector', false);
  const failurePolicy = asObj(s['podFailurePolicy']);
  for (const rule of objs(failurePolicy?.['rules']))
    for (const pattern of objs(rule['onPodConditions'])) setDefault(pattern, 'status', 'True');
  setDefault(s, 'podReplacementPolicy', failurePolicy ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplateSpec(s['template']);
}

/** generateSelector: job-name and controller-uid labels on the template, controller-uid in the selector. */
export function generateJobSelector(obj: KubeObject): void {
  const s = child(obj, 'spec');
  const labels = child(child(child(s, 'template'), 'metadata'), 'labels');
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (labels[key] === undefined) labels[key] = obj.metadata.name ?? '';
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL])
    if (labels[key] === undefined) labels[key] = obj.metadata.uid ?? '';
  const matchLabels = child(child(s, 'selector'), 'matchLabels');
  if (matchLabels[CONTROLLER_UID_LABEL] === undefined) matchLabels[CONTROLLER_UID_LABEL] = obj.metadata.uid ?? '';
}

export function validateJob(obj: KubeObject): FieldError[] {
  return [...validateGeneratedSelector(obj), ...validateJobSpec(part(obj, 'spec'), newPath('spec'))];
}

export function validateJobStatus(obj: KubeObject): FieldError[] {
  return validateStatusCounts(part(obj, 'status'), ['active', 'succeeded', 'failed', 'ready', 'terminating'], newPath('status'));
}

export const jobStrategy: ResourceStrategy = {
  defaults: defaultJob,
  prepareForCreate(obj) {
    if (dig(obj, 'spec', 'manualSelector') !== true) generateJobSelector(obj);
    const labels = asObj(dig(obj, 'spec', 'template', 'metadata', 'labels'));
    if (labels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...(labels as Record<string, string>) };
    obj['status'] = {};
  },
  validate: validateJob,
  validateUpdate: (obj, old) => [...validateJobSpec(part(obj, 'spec'), newPath('spec')), ...validateJobSpecUpdate(obj, old)],
  validateStatusUpdate: (obj) => validateJobStatus(obj),
  selectableFields: (obj) => ({ 'status.successful': String(int(part(obj, 'status')['succeeded'])) }),
};

function hasCondition(obj: KubeObject, type: string): boolean {
  return objs(dig(obj, 'status', 'conditions')).some((c) => c['type'] === type && c['status'] === 'True');
}

/** The STATUS cell of `kubectl get jobs`. */
export function jobStatusCell(obj: KubeObject): string {
  if (hasCondition(obj, 'Complete')) return 'Complete';
  if (hasCondition(obj, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(obj, 'Suspended')) return 'Suspended';
  if (hasCondition(obj, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(obj, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsCell(spec: Record<string, unknown>, succeeded: number): string {
  if (typeof spec['completions'] === 'number') return `${succeeded}/${spec['completions']}`;
  const parallelism = typeof spec['parallelism'] === 'number' ? spec['parallelism'] : 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(status: Record<string, unknown>, now: number): string {
  const start = Date.parse(str(status['startTime']));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(status['completionTime']));
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export const jobPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', describe('io.k8s.api.batch.v1.JobStatus', 'succeeded')),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', describe('io.k8s.api.batch.v1.JobSpec', 'selector')),
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const st = part(obj, 'status');
    const [names, images] = templateCells(s['template']);
    const selector = asObj(s['selector']) as LabelSelector | undefined;
    return [
      obj.metadata.name ?? '',
      jobStatusCell(obj),
      completionsCell(s, int(st['succeeded'])),
      durationCell(st, now),
      objectAge(obj, now),
      names,
      images,
      formatLabelSelector(selector),
    ];
  },
};
