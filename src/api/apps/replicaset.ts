/** apps/v1 ReplicaSet: defaults, validation, status, field labels and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { child, part, setDefault } from '../core/access.js';
import { formatLabelSelector } from '../../machinery/labels.js';
import { newPath, type FieldError } from '../../machinery/validation/field.js';
import { defaultPodTemplateSpec, validateTemplateForReplicaSet } from './pod-template.js';
import { nonNegative, notGreaterThan, selectorImmutable, selectorOf, validateRequiredSelector, validateStatusCounts } from './workload.js';
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

export function defaultReplicaSet(obj: KubeObject): void {
  const s = child(obj, 'spec');
  setDefault(s, 'replicas', 1);
  defaultPodTemplateSpec(s['template']);
}

/** ValidateReplicaSetSpec. */
export function validateReplicaSet(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const errs: FieldError[] = [...nonNegative(s, 'replicas', spec), ...nonNegative(s, 'minReadySeconds', spec)];
  // Upstream's message says "deployment" for ReplicaSets too.
  if (validateRequiredSelector(s, spec, 'deployment', errs)) {
    errs.push(...validateTemplateForReplicaSet(s['template'], selectorOf(s), spec.child('template')));
  }
  return errs;
}

/** ValidateReplicaSetStatus. */
export function validateReplicaSetStatus(obj: KubeObject): FieldError[] {
  const st = part(obj, 'status');
  const p = newPath('status');
  const msg = 'cannot be greater than status.replicas';
  return [
    ...validateStatusCounts(
      st,
      ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'terminatingReplicas', 'observedGeneration'],
      p,
    ),
    ...notGreaterThan(st, 'fullyLabeledReplicas', 'replicas', p, msg),
    ...notGreaterThan(st, 'readyReplicas', 'replicas', p, msg),
    ...notGreaterThan(st, 'availableReplicas', 'replicas', p, msg),
    ...notGreaterThan(st, 'availableReplicas', 'readyReplicas', p, 'cannot be greater than readyReplicas'),
  ];
}

export const replicaSetStrategy: ResourceStrategy = {
  defaults: defaultReplicaSet,
  prepareForCreate(obj) {
    obj['status'] = { replicas: 0 };
  },
  validate: validateReplicaSet,
  validateUpdate: (obj, old) => [...validateReplicaSet(obj), ...selectorImmutable(obj, old)],
  validateStatusUpdate: (obj) => validateReplicaSetStatus(obj),
  selectableFields: (obj) => ({ 'status.replicas': String(int(part(obj, 'status')['replicas'])) }),
};

const RS_SPEC = 'io.k8s.api.apps.v1.ReplicaSetSpec';
const RS_STATUS = 'io.k8s.api.apps.v1.ReplicaSetStatus';

export const replicaSetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', describe(RS_SPEC, 'replicas')),
    column('Current', 'integer', describe(RS_STATUS, 'replicas')),
    column('Ready', 'integer', describe(RS_STATUS, 'readyReplicas')),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    wideColumn('Selector', describe(RS_SPEC, 'selector')),
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const st = part(obj, 'status');
    const [names, images] = templateCells(s['template']);
    return [
      obj.metadata.name ?? '',
      int(s['replicas']),
      int(st['replicas']),
      int(st['readyReplicas']),
      objectAge(obj, now),
      names,
      images,
      formatLabelSelector(selectorOf(s)),
    ];
  },
};
