/** apps/v1 DaemonSet: defaults, validation, status and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, dig, part, setDefault, strMap, type Obj } from '../core/access.js';
import { formatLabelSelector, labelSelectorFromMeta, validateLabelSelector } from '../../machinery/labels.js';
import { invalid, newPath, notSupported, required, type FieldError } from '../../machinery/validation/field.js';
import { defaultPodTemplateSpec, templateRestartPolicy, validatePodTemplateSpec } from './pod-template.js';
import {
  intOrPercentValue,
  nonNegative,
  notMoreThan100Percent,
  positiveIntOrPercent,
  selectorImmutable,
  selectorOf,
  validateStatusCounts,
} from './workload.js';
import {
  AGE_COLUMN,
  column,
  CONTAINERS_COLUMN,
  describe,
  formatLabels,
  IMAGES_COLUMN,
  int,
  NAME_COLUMN,
  objectAge,
  templateCells,
  wideColumn,
} from './printing.js';
import './types.js';
import { jsonEqual } from '../../machinery/json-equal.js';

const spec = newPath('spec');

/** The apps/v1 form of spec.templateGeneration: 1 on create, one more on each template change. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

function templateGenerationOf(obj: KubeObject): number {
  const v = Number(obj.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]);
  return Number.isSafeInteger(v) && v > 0 ? v : 0;
}

function setTemplateGeneration(obj: KubeObject, generation: number): void {
  if (generation <= 0) return;
  obj.metadata.annotations = { ...obj.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
}

export function defaultDaemonSet(obj: KubeObject): void {
  const s = child(obj, 'spec');
  const us = child(s, 'updateStrategy');
  setDefault(us, 'type', 'RollingUpdate');
  if (us['type'] === 'RollingUpdate') {
    const ru = child(us, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    if (ru['maxSurge'] === undefined || ru['maxSurge'] === null) ru['maxSurge'] = 0;
  }
  setDefault(s, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(s['template']);
}

function validateUpdateStrategy(us: Obj): FieldError[] {
  const p = spec.child('updateStrategy');
  switch (us['type']) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const ru = asObj(us['rollingUpdate']);
      if (!ru) return [required(p.child('rollingUpdate'), '')];
      const rp = p.child('rollingUpdate');
      const errs = [
        ...positiveIntOrPercent(ru, 'maxUnavailable', rp),
        ...positiveIntOrPercent(ru, 'maxSurge', rp),
        ...notMoreThan100Percent(ru, 'maxUnavailable', rp),
        ...notMoreThan100Percent(ru, 'maxSurge', rp),
      ];
      const hasUnavailable = intOrPercentValue(ru['maxUnavailable']) !== 0;
      const hasSurge = intOrPercentValue(ru['maxSurge']) !== 0;
      if (hasUnavailable && hasSurge)
        errs.push(invalid(rp.child('maxSurge'), ru['maxSurge'], 'may not be set when maxUnavailable is non-zero'));
      if (!hasUnavailable && !hasSurge) errs.push(required(rp.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
      return errs;
    }
    default:
      return [notSupported(p, us, ['RollingUpdate', 'OnDelete'])];
  }
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSet(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const errs: FieldError[] = [];
  const selector = selectorOf(s);
  const tp = spec.child('template');
  try {
    const labels = strMap(dig(s, 'template', 'metadata', 'labels'));
    if (!labelSelectorFromMeta(selector).matches(labels))
      errs.push(invalid(tp.child('metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  } catch {
    // reported by the selector validation below
  }
  if (selector) {
    errs.push(...validateLabelSelector(selector, spec.child('selector')));
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      errs.push(invalid(spec.child('selector'), selector, 'empty selector is invalid for daemonset'));
    }
  }
  errs.push(...validatePodTemplateSpec(s['template'], tp));
  const policy = templateRestartPolicy(s['template']);
  if (policy !== 'Always') errs.push(notSupported(tp.child('spec', 'restartPolicy'), policy, ['Always']));
  const ads = dig(s, 'template', 'spec', 'activeDeadlineSeconds');
  if (ads !== undefined)
    errs.push(invalid(tp.child('spec', 'activeDeadlineSeconds'), ads, 'activeDeadlineSeconds must be nil for daemons'));
  errs.push(...nonNegative(s, 'minReadySeconds', spec), ...nonNegative(s, 'templateGeneration', spec));
  errs.push(...validateUpdateStrategy(asObj(s['updateStrategy']) ?? {}), ...nonNegative(s, 'revisionHistoryLimit', spec));
  return errs;
}

/** ValidateDaemonSetStatus. */
export function validateDaemonSetStatus(obj: KubeObject): FieldError[] {
  const keys = [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'collisionCount',
  ];
  return validateStatusCounts(part(obj, 'status'), keys, newPath('status'));
}

export const daemonSetStrategy: ResourceStrategy = {
  defaults: defaultDaemonSet,
  prepareForCreate(obj) {
    obj['status'] = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    setTemplateGeneration(obj, 1);
  },
  prepareForUpdate(obj, old) {
    const previous = templateGenerationOf(old);
    const changed = !jsonEqual(dig(obj, 'spec', 'template'), dig(old, 'spec', 'template'));
    setTemplateGeneration(obj, changed ? previous + 1 : templateGenerationOf(obj) || previous);
  },
  validate: validateDaemonSet,
  validateUpdate: (obj, old) => [...validateDaemonSet(obj), ...selectorImmutable(obj, old)],
  validateStatusUpdate: (obj) => validateDaemonSetStatus(obj),
};

const DS_STATUS = 'io.k8s.api.apps.v1.DaemonSetStatus';

export const daemonSetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', describe(DS_STATUS, 'desiredNumberScheduled')),
    column('Current', 'integer', describe(DS_STATUS, 'currentNumberScheduled')),
    column('Ready', 'integer', describe(DS_STATUS, 'numberReady')),
    column('Up-to-date', 'integer', describe(DS_STATUS, 'updatedNumberScheduled')),
    column('Available', 'integer', describe(DS_STATUS, 'numberAvailable')),
    column('Node Selector', 'string', describe('PodSpec', 'nodeSelector')),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', describe('io.k8s.api.apps.v1.DaemonSetSpec', 'selector')),
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const st = part(obj, 'status');
    const [names, images] = templateCells(s['template']);
    return [
      obj.metadata.name ?? '',
      int(st['desiredNumberScheduled']),
      int(st['currentNumberScheduled']),
      int(st['numberReady']),
      int(st['updatedNumberScheduled']),
      int(st['numberAvailable']),
      formatLabels(strMap(dig(s, 'template', 'spec', 'nodeSelector'))),
      objectAge(obj, now),
      names,
      images,
      formatLabelSelector(selectorOf(s)),
    ];
  },
};
