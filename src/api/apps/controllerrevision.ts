/** apps/v1 ControllerRevision: validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { newPath, required, type FieldError } from '../../machinery/validation/field.js';
import { validateImmutableField, validateNonnegativeField } from '../../machinery/validation/object-meta.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from './printing.js';
import './types.js';

/** ValidateControllerRevision. */
export function validateControllerRevision(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj['data'] === undefined || obj['data'] === null) errs.push(required(newPath('data'), 'data is mandatory'));
  if (typeof obj['revision'] === 'number') errs.push(...validateNonnegativeField(obj['revision'], newPath('revision')));
  return errs;
}

export const controllerRevisionStrategy: ResourceStrategy = {
  validate: validateControllerRevision,
  validateUpdate: (obj, old) => [...validateControllerRevision(obj), ...validateImmutableField(obj['data'], old['data'], newPath('data'))],
};

/** formatResourceName with kind: `daemonset.apps/name`. */
function controllerName(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
  if (!ref.kind && !group) return ref.name;
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', describe('io.k8s.api.apps.v1.ControllerRevision', 'revision')),
    AGE_COLUMN,
  ],
  row: (obj, now) => [
    obj.metadata.name ?? '',
    controllerName(obj),
    typeof obj['revision'] === 'number' ? obj['revision'] : 0,
    objectAge(obj, now),
  ],
};
