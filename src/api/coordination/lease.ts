/** coordination.k8s.io/v1 Lease: validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { part, str } from '../core/access.js';
import { forbidden, invalid, newPath, type FieldError } from '../../machinery/validation/field.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge } from '../apps/printing.js';
import './types.js';

/** ValidateLeaseSpec. */
export function validateLease(obj: KubeObject): FieldError[] {
  const s = part(obj, 'spec');
  const p = newPath('spec');
  const errs: FieldError[] = [];
  const duration = s['leaseDurationSeconds'];
  if (typeof duration === 'number' && duration <= 0)
    errs.push(invalid(p.child('leaseDurationSeconds'), duration, 'must be greater than 0'));
  const transitions = s['leaseTransitions'];
  if (typeof transitions === 'number' && transitions < 0)
    errs.push(invalid(p.child('leaseTransitions'), transitions, 'must be greater than or equal to 0'));
  if (str(s['preferredHolder']) && !str(s['strategy']))
    errs.push(forbidden(p.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  return errs;
}

export const leaseStrategy: ResourceStrategy = {
  validate: validateLease,
  validateUpdate: (obj) => validateLease(obj),
};

export const leasePrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Holder', 'string', describe('io.k8s.api.coordination.v1.LeaseSpec', 'holderIdentity')), AGE_COLUMN],
  row: (obj, now) => [obj.metadata.name ?? '', str(part(obj, 'spec')['holderIdentity']), objectAge(obj, now)],
};
