/** policy/v1 PodDisruptionBudget: validation, status and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, part, str } from '../core/access.js';
import { validateLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import { intOrStringToString, isIntOrString } from '../../machinery/intstr.js';
import { invalid, newPath, notSupported, type FieldError } from '../../machinery/validation/field.js';
import { nonNegative, notMoreThan100Percent, positiveIntOrPercent, validateStatusCounts } from '../apps/workload.js';
import { AGE_COLUMN, column, int, NAME_COLUMN, objectAge } from '../apps/printing.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** ValidatePodDisruptionBudgetSpec. */
export function validatePDB(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const p = newPath('spec');
  const errs: FieldError[] = [];
  const hasMin = isIntOrString(s['minAvailable']);
  const hasMax = isIntOrString(s['maxUnavailable']);
  if (hasMin && hasMax) errs.push(invalid(p, s, 'minAvailable and maxUnavailable cannot be both set'));
  for (const k of ['minAvailable', 'maxUnavailable']) errs.push(...positiveIntOrPercent(s, k, p), ...notMoreThan100Percent(s, k, p));
  errs.push(...validateLabelSelector(asObj(s['selector']) as LabelSelector | undefined, p.child('selector')));
  const policy = s['unhealthyPodEvictionPolicy'];
  if (policy !== undefined && policy !== null && !EVICTION_POLICIES.includes(str(policy))) {
    errs.push(notSupported(p.child('unhealthyPodEvictionPolicy'), policy, EVICTION_POLICIES));
  }
  return errs;
}

/** ValidatePodDisruptionBudgetStatusUpdate. */
export function validatePDBStatus(obj: KubeObject): FieldError[] {
  const st = part(obj, 'status');
  return [
    ...validateStatusCounts(st, ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'], newPath('status')),
    ...nonNegative(st, 'observedGeneration', newPath('status')),
  ];
}

export const pdbStrategy: ResourceStrategy = {
  prepareForCreate(obj) {
    obj['status'] = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate: validatePDB,
  validateUpdate: (obj) => validatePDB(obj),
  validateStatusUpdate: (obj) => validatePDBStatus(obj),
};

export const pdbPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const cell = (v: unknown): string => (isIntOrString(v) ? intOrStringToString(v) : 'N/A');
    return [
      obj.metadata.name ?? '',
      cell(s['minAvailable']),
      cell(s['maxUnavailable']),
      int(part(obj, 'status')['disruptionsAllowed']),
      objectAge(obj, now),
    ];
  },
};
