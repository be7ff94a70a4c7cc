/** HorizontalPodAutoscaler validation (pkg/apis/autoscaling/validation), on the v2 shape. */
import { asObj, objs, str, type Obj } from '../core/access.js';
import { parseQuantity } from '../../machinery/quantity.js';
import { isValidPathSegmentName } from '../../machinery/names.js';
import { forbidden, invalid, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';

const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** ValidateCrossVersionObjectReference. */
export function validateCrossVersionObjectReference(ref: Obj | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['kind', 'name']) {
    const v = str(ref?.[k]);
    if (!v) errs.push(required(path.child(k), ''));
    else for (const m of isValidPathSegmentName(v)) errs.push(invalid(path.child(k), v, m));
  }
  return errs;
}

function quantitySign(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  try {
    return parseQuantity(typeof v === 'number' ? String(v) : str(v)).sign();
  } catch {
    return 0;
  }
}

function validateMetricTarget(t: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(t['type']);
  if (!type) errs.push(required(path.child('type'), 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    errs.push(invalid(path.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  }
  for (const k of ['value', 'averageValue']) {
    const sign = quantitySign(t[k]);
    if (sign !== undefined && sign !== 1) errs.push(invalid(path.child(k), t[k], 'must be positive'));
  }
  const u = t['averageUtilization'];
  if (typeof u === 'number' && u < 1) errs.push(invalid(path.child('averageUtilization'), u, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(metric: Obj | undefined, path: FieldPath): FieldError[] {
  return str(metric?.['name']) ? [] : [required(path.child('name'), 'must specify a metric name')];
}

function validateSource(kind: string, src: Obj, path: FieldPath): FieldError[] {
  const target = asObj(src['target']) ?? {};
  const tp = path.child('target');
  const errs: FieldError[] = [];
  const has = (k: string): boolean => target[k] !== undefined && target[k] !== null;
  switch (kind) {
    case 'Resource':
    case 'ContainerResource':
      if (!str(src['name'])) errs.push(required(path.child('name'), 'must specify a resource name'));
      if (kind === 'ContainerResource' && !str(src['container'])) errs.push(required(path.child('container'), 'must specify a container'));
      errs.push(...validateMetricTarget(target, tp));
      if (!has('averageUtilization') && !has('averageValue'))
        errs.push(required(tp.child('averageUtilization'), 'must set either a target raw value or a target utilization'));
      if (has('averageUtilization') && has('averageValue'))
        errs.push(forbidden(tp.child('averageValue'), 'may not set both a target raw value and a target utilization'));
      break;
    case 'Pods':
      errs.push(...validateMetricIdentifier(asObj(src['metric']), path.child('metric')), ...validateMetricTarget(target, tp));
      if (!has('averageValue')) errs.push(required(tp.child('averageValue'), 'must specify a positive target averageValue'));
      break;
    case 'Object':
      errs.push(...validateCrossVersionObjectReference(asObj(src['describedObject']), path.child('describedObject')));
      errs.push(...validateMetricIdentifier(asObj(src['metric']), path.child('metric')), ...validateMetricTarget(target, tp));
      if (!has('value') && !has('averageValue'))
        errs.push(required(tp.child('averageValue'), 'must set either a target value or averageValue'));
      break;
    case 'External':
      errs.push(...validateMetricIdentifier(asObj(src['metric']), path.child('metric')), ...validateMetricTarget(target, tp));
      if (!has('value') && !has('averageValue'))
        errs.push(required(tp.child('averageValue'), 'must set either a target value for metric or a per-pod target'));
      if (has('value') && has('averageValue'))
        errs.push(forbidden(tp.child('value'), 'may not set both a target value for metric and a per-pod target'));
      break;
  }
  return errs;
}

function validateMetricSpec(m: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(m['type']);
  if (!type) errs.push(required(path.child('type'), 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(notSupported(path.child('type'), type, METRIC_SOURCE_TYPES));
  const present = Object.entries(SOURCE_FIELD).filter(([, f]) => asObj(m[f]) !== undefined);
  const first = present[0];
  if (first && present.length >= 1) errs.push(...validateSource(first[0], asObj(m[first[1]]) ?? {}, path.child(first[1])));
  const expected = SOURCE_FIELD[type];
  if (expected && !asObj(m[expected])) errs.push(required(path.child(expected), 'must populate information for the given metric source'));
  if (present.length !== 1) {
    for (const [, f] of present) if (f !== expected) errs.push(forbidden(path.child(f), 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingRules(rules: Obj | undefined, path: FieldPath): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const w = rules['stabilizationWindowSeconds'];
  if (typeof w === 'number' && w < 0)
    errs.push(invalid(path.child('stabilizationWindowSeconds'), w, 'must be greater than or equal to zero'));
  if (typeof w === 'number' && w > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(invalid(path.child('stabilizationWindowSeconds'), w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  const sp = rules['selectPolicy'];
  if (sp !== undefined && sp !== null && !['Disabled', 'Max', 'Min'].includes(str(sp)))
    errs.push(notSupported(path.child('selectPolicy'), sp, ['Disabled', 'Max', 'Min']));
  const policies = objs(rules['policies']);
  if (policies.length === 0) errs.push(required(path.child('policies'), 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pp = path.child('policies').index(i);
    if (p['type'] !== 'Pods' && p['type'] !== 'Percent') errs.push(notSupported(pp.child('type'), p['type'] ?? '', ['Percent', 'Pods']));
    const value = typeof p['value'] === 'number' ? p['value'] : 0;
    if (value <= 0) errs.push(invalid(pp.child('value'), value, 'must be greater than zero'));
    const period = typeof p['periodSeconds'] === 'number' ? p['periodSeconds'] : 0;
    if (period <= 0) errs.push(invalid(pp.child('periodSeconds'), period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS)
      errs.push(invalid(pp.child('periodSeconds'), period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/** ValidateHorizontalPodAutoscalerSpec. */
export function validateHPASpec(spec: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec['minReplicas'];
  const max = typeof spec['maxReplicas'] === 'number' ? spec['maxReplicas'] : 0;
  if (typeof min === 'number' && min < 1) errs.push(invalid(path.child('minReplicas'), min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid(path.child('maxReplicas'), max, 'must be greater than 0'));
  if (typeof min === 'number' && max < min)
    errs.push(invalid(path.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(asObj(spec['scaleTargetRef']), path.child('scaleTargetRef')));
  objs(spec['metrics']).forEach((m, i) => errs.push(...validateMetricSpec(m, path.child('metrics').index(i))));
  const behavior = asObj(spec['behavior']);
  if (behavior) {
    errs.push(...validateScalingRules(asObj(behavior['scaleUp']), path.child('behavior', 'scaleUp')));
    errs.push(...validateScalingRules(asObj(behavior['scaleDown']), path.child('behavior', 'scaleDown')));
  }
  return errs;
}
