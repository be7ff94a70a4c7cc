/** apps/v1 Deployment: defaults, validation, status handling and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, part, setDefault, type Obj } from '../core/access.js';
import { labelSelectorFromMeta } from '../../machinery/labels.js';
import { forbidden, invalid, newPath, notSupported, required, type FieldError } from '../../machinery/validation/field.js';
import { defaultPodTemplateSpec, validateTemplateForReplicaSet } from './pod-template.js';
import {
  intOrPercentValue,
  nonNegative,
  notGreaterThan,
  notMoreThan100Percent,
  positiveIntOrPercent,
  selectorImmutable,
  selectorOf,
  validateRequiredSelector,
  validateStatusCounts,
} from './workload.js';
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
} from './printing.js';
import './types.js';

const spec = newPath('spec');

/** SetDefaults_Deployment plus the template's pod defaults. */
export function defaultDeployment(obj: KubeObject): void {
  const s = child(obj, 'spec');
  setDefault(s, 'replicas', 1);
  const strategy = child(s, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(s, 'revisionHistoryLimit', 10);
  setDefault(s, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(s['template']);
}

function validateStrategy(strategy: Obj): FieldError[] {
  const p = spec.child('strategy');
  const ru = asObj(strategy['rollingUpdate']);
  switch (strategy['type']) {
    case 'Recreate':
      return ru ? [forbidden(p.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      if (!ru) return [required(p.child('rollingUpdate'), 'this should be defaulted and never be nil')];
      const rp = p.child('rollingUpdate');
      const errs = [...positiveIntOrPercent(ru, 'maxUnavailable', rp), ...positiveIntOrPercent(ru, 'maxSurge', rp)];
      if (intOrPercentValue(ru['maxUnavailable']) === 0 && intOrPercentValue(ru['maxSurge']) === 0) {
        errs.push(invalid(rp.child('maxUnavailable'), ru['maxUnavailable'] ?? 0, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru, 'maxUnavailable', rp));
      return errs;
    }
    default:
      return [notSupported(p, strategy, ['Recreate', 'RollingUpdate'])];
  }
}

/** ValidateDeploymentSpec. */
export function validateDeployment(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const errs: FieldError[] = [...nonNegative(s, 'replicas', spec)];
  if (validateRequiredSelector(s, spec, 'deployment', errs)) {
    errs.push(...validateTemplateForReplicaSet(s['template'], selectorOf(s), spec.child('template')));
  }
  errs.push(...validateStrategy(asObj(s['strategy']) ?? {}));
  errs.push(...nonNegative(s, 'minReadySeconds', spec), ...nonNegative(s, 'revisionHistoryLimit', spec));
  const pds = s['progressDeadlineSeconds'];
  if (typeof pds === 'number') {
    errs.push(...nonNegative(s, 'progressDeadlineSeconds', spec));
    const minReady = typeof s['minReadySeconds'] === 'number' ? s['minReadySeconds'] : 0;
    if (pds <= minReady) errs.push(invalid(spec.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** ValidateDeploymentStatus. */
export function validateDeploymentStatus(obj: KubeObject): FieldError[] {
  const st = part(obj, 'status');
  const p = newPath('status');
  const counts = [
    'observedGeneration',
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
    'terminatingReplicas',
    'collisionCount',
  ];
  return [
    ...validateStatusCounts(st, counts, p),
    ...notGreaterThan(st, 'updatedReplicas', 'replicas', p, 'cannot be greater than status.replicas'),
    ...notGreaterThan(st, 'availableReplicas', 'replicas', p, 'cannot be greater than status.replicas'),
    ...notGreaterThan(st, 'availableReplicas', 'readyReplicas', p, 'cannot be greater than readyReplicas'),
  ];
}

export const deploymentStrategy: ResourceStrategy = {
  defaults: defaultDeployment,
  prepareForCreate(obj) {
    obj['status'] = {};
  },
  validate: validateDeployment,
  validateUpdate: (obj, old) => [...validateDeployment(obj), ...selectorImmutable(obj, old)],
  validateStatusUpdate: (obj) => validateDeploymentStatus(obj),
};

const DEPLOYMENT_STATUS = 'io.k8s.api.apps.v1.DeploymentStatus';

export const deploymentPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', describe(DEPLOYMENT_STATUS, 'updatedReplicas')),
    column('Available', 'string', describe(DEPLOYMENT_STATUS, 'availableReplicas')),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', describe('io.k8s.api.apps.v1.DeploymentSpec', 'selector')),
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const st = part(obj, 'status');
    const [names, images] = templateCells(s['template']);
    let selector: string;
    try {
      selector = labelSelectorFromMeta(selectorOf(s)).toString();
    } catch {
      selector = '<invalid>';
    }
    return [
      obj.metadata.name ?? '',
      `${int(st['readyReplicas'])}/${int(s['replicas'])}`,
      int(st['updatedReplicas']),
      int(st['availableReplicas']),
      objectAge(obj, now),
      names,
      images,
      selector,
    ];
  },
};
