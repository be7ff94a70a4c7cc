/** HorizontalPodAutoscaler (autoscaling/v2, and v1 through conversion): defaults, validation, printers. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, dig, objs, part, setDefault, str, type Obj } from '../core/access.js';
import { canonicalQuantity } from '../../machinery/quantity.js';
import { newPath, type FieldError } from '../../machinery/validation/field.js';
import { validateStatusCounts } from '../apps/workload.js';
import { AGE_COLUMN, column, describe, int, NAME_COLUMN, objectAge } from '../apps/printing.js';
import { DEFAULT_CPU_UTILIZATION, hpaV2FromV1 } from './convert.js';
import { validateHPASpec } from './hpa-validation.js';
import './types-v2.js';
import { cloneJson } from '../../machinery/clone.js';

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: fill what the user left out. */
function fillScalingRules(rules: Obj | undefined, defaults: Obj): Obj {
  if (!rules) return cloneJson(defaults);
  const out = { ...rules };
  for (const k of ['selectPolicy', 'policies', 'stabilizationWindowSeconds']) {
    if ((out[k] === undefined || out[k] === null) && defaults[k] !== undefined) out[k] = cloneJson(defaults[k]);
  }
  return out;
}

const SCALE_UP: Obj = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const SCALE_DOWN: Obj = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** SetDefaults_HorizontalPodAutoscaler (v2). */
export function defaultHPA(obj: KubeObject): void {
  const s = child(obj, 'spec');
  setDefault(s, 'minReplicas', 1);
  if (objs(s['metrics']).length === 0) {
    s['metrics'] = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } },
    ];
  }
  const behavior = asObj(s['behavior']);
  if (behavior) {
    behavior['scaleUp'] = fillScalingRules(asObj(behavior['scaleUp']), SCALE_UP);
    behavior['scaleDown'] = fillScalingRules(asObj(behavior['scaleDown']), SCALE_DOWN);
  }
}

export function validateHPA(obj: KubeObject): FieldError[] {
  return validateHPASpec(part(obj, 'spec'), newPath('spec'));
}

function validateHPAStatus(obj: KubeObject): FieldError[] {
  return validateStatusCounts(part(obj, 'status'), ['currentReplicas', 'desiredReplicas'], newPath('status'));
}

export const hpaStrategy: ResourceStrategy = {
  defaults: defaultHPA,
  prepareForCreate(obj) {
    obj['status'] = { desiredReplicas: 0 };
  },
  validate: validateHPA,
  validateUpdate: (obj) => validateHPA(obj),
  validateStatusUpdate: (obj) => validateHPAStatus(obj),
};

/** autoscaling/v1: v1 defaults; validation runs on the v2 form, as upstream validates the internal one. */
export const hpaV1Strategy: ResourceStrategy = {
  defaults(obj) {
    setDefault(child(obj, 'spec'), 'minReplicas', 1);
  },
  prepareForCreate(obj) {
    obj['status'] = { currentReplicas: 0, desiredReplicas: 0 };
  },
  validate: (obj) => validateHPA(hpaV2FromV1(obj)),
  validateUpdate: (obj) => validateHPA(hpaV2FromV1(obj)),
  validateStatusUpdate: (obj) => validateHPAStatus(obj),
};

function quantity(v: unknown): string {
  try {
    return canonicalQuantity(typeof v === 'number' ? String(v) : str(v));
  } catch {
    return str(v);
  }
}

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

function formatMetric(spec: Obj, status: Obj | undefined): string {
  const unknown = '<unknown>';
  const valueOrAverage = (src: Obj, cur: Obj | undefined): string => {
    const target = asObj(src['target']) ?? {};
    const current = asObj(cur?.['current']);
    if (isSet(target['averageValue'])) {
      const c = current && isSet(current['averageValue']) ? quantity(current['averageValue']) : unknown;
      return `${c}/${quantity(target['averageValue'])} (avg)`;
    }
    return `${current ? quantity(current['value']) : unknown}/${quantity(target['value'])}`;
  };
  const resource = (src: Obj, cur: Obj | undefined): string => {
    const target = asObj(src['target']) ?? {};
    const current = asObj(cur?.['current']);
    const name = str(src['name']);
    if (isSet(target['averageValue']))
      return `${name}: ${current ? quantity(current['averageValue']) : unknown}/${quantity(target['averageValue'])}`;
    const c = typeof current?.['averageUtilization'] === 'number' ? `${current['averageUtilization']}%` : unknown;
    const t = typeof target['averageUtilization'] === 'number' ? `${target['averageUtilization']}%` : '<auto>';
    return `${name}: ${c}/${t}`;
  };
  switch (spec['type']) {
    case 'External':
      return valueOrAverage(asObj(spec['external']) ?? {}, asObj(status?.['external']));
    case 'Pods': {
      const cur = asObj(dig(status, 'pods', 'current'));
      return `${cur ? quantity(cur['averageValue']) : unknown}/${quantity(dig(spec, 'pods', 'target', 'averageValue'))}`;
    }
    case 'Object':
      return valueOrAverage(asObj(spec['object']) ?? {}, asObj(status?.['object']));
    case 'Resource':
      return resource(asObj(spec['resource']) ?? {}, asObj(status?.['resource']));
    case 'ContainerResource':
      return resource(asObj(spec['containerResource']) ?? {}, asObj(status?.['containerResource']));
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: at most two targets, then "+ N more...". */
export function formatHPAMetrics(specs: Obj[], statuses: Obj[]): string {
  if (specs.length === 0) return '<none>';
  const list = specs.map((s, i) => formatMetric(s, statuses[i]));
  if (list.length <= 2) return list.join(', ');
  return `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...`;
}

const HPA_SPEC = 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec';

/** The v2 printer; v1 objects are printed through their v2 form. */
export const hpaPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column('Reference', 'string', describe(HPA_SPEC, 'scaleTargetRef')),
    column('Targets', 'string', describe(HPA_SPEC, 'metrics')),
    column('MinPods', 'string', describe(HPA_SPEC, 'minReplicas')),
    column('MaxPods', 'string', describe(HPA_SPEC, 'maxReplicas')),
    column('Replicas', 'string', describe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus', 'currentReplicas')),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const s = part(obj, 'spec');
    const st = part(obj, 'status');
    const ref = asObj(s['scaleTargetRef']) ?? {};
    const min = typeof s['minReplicas'] === 'number' ? String(s['minReplicas']) : '<unset>';
    const metrics = formatHPAMetrics(objs(s['metrics']), objs(st['currentMetrics']));
    return [
      obj.metadata.name ?? '',
      `${str(ref['kind'])}/${str(ref['name'])}`,
      metrics,
      min,
      int(s['maxReplicas']),
      int(st['currentReplicas']),
      objectAge(obj, now),
    ];
  },
};

export const hpaV1Printer: TablePrinter = {
  columns: hpaPrinter.columns,
  row: (obj, now) => hpaPrinter.row(hpaV2FromV1(obj), now),
};
