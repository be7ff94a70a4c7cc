/** scheduling.k8s.io/v1 PriorityClass: defaults, validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { setDefault } from '../core/access.js';
import { forbidden, newPath, notSupported, type FieldError } from '../../machinery/validation/field.js';
import { validateImmutableField } from '../../machinery/validation/object-meta.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from '../apps/printing.js';
import './types.js';

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** The built-in system priority classes (name → value; both are globalDefault false). */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': SYSTEM_CRITICAL_PRIORITY + 1000,
  'system-cluster-critical': SYSTEM_CRITICAL_PRIORITY,
};
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/** IsKnownSystemPriorityClass: undefined when known, else upstream's error text. */
function systemClassError(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const want = SYSTEM_PRIORITY_CLASSES[name];
  if (want === undefined) return `${name} is not a known system priority class`;
  if (value !== want) return `value of ${name} PriorityClass must be ${want}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** ValidatePriorityClass. */
export function validatePriorityClass(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  const value = typeof obj['value'] === 'number' ? obj['value'] : 0;
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const err = systemClassError(name, value, obj['globalDefault']);
    if (err)
      errs.push(
        forbidden(
          newPath('metadata', 'name'),
          `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${err}`,
        ),
      );
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden(newPath('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = obj['preemptionPolicy'];
  if (policy !== undefined && policy !== null && !PREEMPTION_POLICIES.includes(String(policy))) {
    errs.push(notSupported(newPath('preemptionPolicy'), policy, PREEMPTION_POLICIES));
  }
  return errs;
}

export const priorityClassStrategy: ResourceStrategy = {
  defaults(obj) {
    setDefault(obj, 'preemptionPolicy', 'PreemptLowerPriority');
  },
  validate: validatePriorityClass,
  validateUpdate(obj, old) {
    const errs = validatePriorityClass(obj);
    if (obj['value'] !== old['value']) errs.push(forbidden(newPath('value'), 'may not be changed in an update.'));
    errs.push(...validateImmutableField(obj['preemptionPolicy'], old['preemptionPolicy'], newPath('preemptionPolicy')));
    return errs;
  },
};

const PC = 'io.k8s.api.scheduling.v1.PriorityClass';

export const priorityClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Value', 'integer', describe(PC, 'value')),
    column('Global-Default', 'boolean', describe(PC, 'globalDefault')),
    AGE_COLUMN,
    column('PreemptionPolicy', 'string', describe(PC, 'preemptionPolicy')),
  ],
  row: (obj, now) => [
    obj.metadata.name ?? '',
    typeof obj['value'] === 'number' ? obj['value'] : 0,
    obj['globalDefault'] === true,
    objectAge(obj, now),
    typeof obj['preemptionPolicy'] === 'string' ? obj['preemptionPolicy'] : '<unset>',
  ],
};
