/**
 * Resource names and quantities (ValidateResourceRequirements, ValidateResourceQuantityValue,
 * validateContainerResourceName, validateResourceName in pkg/apis/core/validation).
 */
import type { FieldError } from '../../machinery/errors.js';
import { parseQuantity, QuantityParseError, type Quantity } from '../../machinery/quantity.js';
import { invalid, required, type FieldPath } from '../../machinery/validation/field.js';
import { isQualifiedName } from '../../machinery/validation/formats.js';
import { IS_NEGATIVE_ERROR_MSG } from '../../machinery/validation/object-meta.js';
import { asObj } from './access.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

export function isHugePageResource(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Native resources have no domain or the kubernetes.io domain. */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** helper.IsOvercommitAllowed: native resources except huge pages. */
export function isOvercommitAllowed(name: string): boolean {
  return isNative(name) && !isHugePageResource(name);
}

/** A quantity from JSON, or the field error for a value that is not one. */
export function readQuantity(v: unknown, path: FieldPath, errs: FieldError[]): Quantity | undefined {
  try {
    return parseQuantity(typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '');
  } catch (err) {
    errs.push(invalid(path, v, err instanceof QuantityParseError ? err.message : String(err)));
    return undefined;
  }
}

/** validateResourceName: a qualified name, fully qualified unless standard. */
export function validateResourceName(name: string, path: FieldPath, standard: (n: string) => boolean): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !standard(name)) return [invalid(path, name, 'must be a standard resource type or fully qualified')];
  return [];
}

export function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path, (n) => STANDARD_CONTAINER_RESOURCES.has(n) || isHugePageResource(n));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResource(name)) {
    return [invalid(path, name, 'must be a standard resource for containers')];
  }
  return [];
}

/** ValidateResourceQuantityValue: non-negative; whole numbers for non-cpu extended resources. */
export function validateQuantityValue(name: string, q: Quantity, path: FieldPath): FieldError[] {
  if (q.sign() < 0) return [invalid(path, q.toString(), IS_NEGATIVE_ERROR_MSG)];
  if (!isNative(name) && q.milliValue() % 1000 !== 0) return [invalid(path, q.toString(), 'must be an integer')];
  return [];
}

/** ValidateResourceRequirements of a container (or pod-level resources). */
export function validateResourceRequirements(resources: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const res = asObj(resources);
  if (!res) return errs;
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const limits = new Map<string, Quantity>();
  for (const [name, v] of Object.entries(asObj(res['limits']) ?? {})) {
    const p = limPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = readQuantity(v, p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    limits.set(name, q);
  }
  for (const [name, v] of Object.entries(asObj(res['requests']) ?? {})) {
    const p = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = readQuantity(v, p, errs);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    const lim = limits.get(name);
    if (lim) {
      if (q.cmp(lim) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
      } else if (q.cmp(lim) > 0) {
        errs.push(invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

/** A plain ResourceList (quota hard, limit range bounds): names qualified, quantities non-negative. */
export function validateResourceList(list: unknown, path: FieldPath, standard: (n: string) => boolean): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, v] of Object.entries(asObj(list) ?? {})) {
    const p = path.key(name);
    errs.push(...validateResourceName(name, p, standard));
    const q = readQuantity(v, p, errs);
    if (q) errs.push(...validateQuantityValue(name, q, p));
  }
  return errs;
}
