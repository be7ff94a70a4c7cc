/** Validation pieces shared by the apps/v1 workload kinds (pkg/apis/apps/validation). */
import { asObj, dig, type Obj } from '../core/access.js';
import { labelSelectorFromMeta, validateLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import { isIntOrString, isPercent, validatePositiveIntOrPercent, type IntOrString } from '../../machinery/intstr.js';
import { invalid, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import { validateImmutableField, validateNonnegativeField } from '../../machinery/validation/object-meta.js';

/** spec.selector as a LabelSelector, or undefined when absent. */
export function selectorOf(spec: Obj): LabelSelector | undefined {
  return asObj(spec['selector']) as LabelSelector | undefined;
}

/** Nonnegative check of an optional integer field. */
export function nonNegative(o: Obj, key: string, path: FieldPath): FieldError[] {
  const v = o[key];
  return typeof v === 'number' ? validateNonnegativeField(v, path.child(key)) : [];
}

/**
 * Selector required, well formed and non-empty; `kind` names the kind in upstream's
 * "empty selector is invalid for <kind>" message. Returns whether the selector parses.
 */
export function validateRequiredSelector(spec: Obj, path: FieldPath, kind: string, errs: FieldError[]): boolean {
  const selector = selectorOf(spec);
  const p = path.child('selector');
  if (!selector) {
    errs.push(required(p, ''));
  } else {
    errs.push(...validateLabelSelector(selector, p));
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      errs.push(invalid(p, selector, `empty selector is invalid for ${kind}`));
    }
  }
  try {
    labelSelectorFromMeta(selector);
    return true;
  } catch {
    errs.push(invalid(p, selector ?? null, 'invalid label selector'));
    return false;
  }
}

/** getPercentValue: the number of a "N%" string. */
function percentValue(v: IntOrString): number | undefined {
  if (!isPercent(v)) return undefined;
  const n = Number.parseInt(v.slice(0, -1), 10);
  return Number.isNaN(n) ? undefined : n;
}

/** getIntOrPercentValue: the int, or the number of a percent; anything else 0. */
export function intOrPercentValue(v: unknown): number {
  if (!isIntOrString(v)) return 0;
  const pct = percentValue(v);
  if (pct !== undefined) return pct;
  if (typeof v === 'number') return v;
  return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
}

/** ValidatePositiveIntOrPercent of an optional field. */
export function positiveIntOrPercent(o: Obj, key: string, path: FieldPath): FieldError[] {
  const v = o[key];
  return isIntOrString(v) ? validatePositiveIntOrPercent(v, path.child(key)) : [];
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(o: Obj, key: string, path: FieldPath): FieldError[] {
  const v = o[key];
  if (!isIntOrString(v)) return [];
  const pct = percentValue(v);
  return pct !== undefined && pct > 100 ? [invalid(path.child(key), v, 'must not be greater than 100%')] : [];
}

/** apps/v1 makes spec.selector immutable. */
export function selectorImmutable(obj: Obj, old: Obj): FieldError[] {
  return validateImmutableField(dig(obj, 'spec', 'selector'), dig(old, 'spec', 'selector'), 'spec.selector');
}

/** Nonnegative status counters (Validate*Status). */
export function validateStatusCounts(status: Obj, keys: readonly string[], path: FieldPath): FieldError[] {
  return keys.flatMap((k) => nonNegative(status, k, path));
}

/** `a` must not exceed `b` (both status counters); upstream's "cannot be greater than …" checks. */
export function notGreaterThan(status: Obj, a: string, b: string, path: FieldPath, message: string): FieldError[] {
  const x = status[a];
  const y = status[b];
  return typeof x === 'number' && x > (typeof y === 'number' ? y : 0) ? [invalid(path.child(a), x, message)] : [];
}
