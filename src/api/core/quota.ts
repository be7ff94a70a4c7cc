/** ResourceQuotas and LimitRanges (pkg/registry/core/resourcequota, limitrange). */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { forbidden, invalid, newPath, notSupported, type FieldPath } from '../../machinery/validation/field.js';
import { canonicalQuantity, type Quantity } from '../../machinery/quantity.js';
import { arr, asObj, child, objs, part, str, type Obj } from './access.js';
import { readQuantity, validateQuantityValue, validateResourceName } from './resource-validation.js';
import { AGE_COLUMN, CREATION_TIMESTAMP_DESCRIPTION, NAME_COLUMN, age, column } from './printer-columns.js';

const STANDARD_QUOTA_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);
const QUOTA_SCOPES = [
  'BestEffort',
  'CrossNamespacePodAffinity',
  'NotBestEffort',
  'NotTerminating',
  'PriorityClass',
  'Terminating',
  'VolumeAttributesClass',
];
const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'storage',
  'pods',
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
]);

function isStandardQuotaResource(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

function validateQuotaList(list: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, v] of Object.entries(asObj(list) ?? {})) {
    const p = path.key(name);
    const nameErrs = validateResourceName(name, p, () => true);
    if (nameErrs.length === 0 && !name.includes('/') && !isStandardQuotaResource(name))
      nameErrs.push(invalid(p, name, 'must be a standard resource for quota'));
    errs.push(...nameErrs);
    const q = readQuantity(v, p, errs);
    if (q) errs.push(...validateQuantityValue(name, q, p));
  }
  return errs;
}

function validateQuota(rq: KubeObject): FieldError[] {
  const spec = part(rq, 'spec');
  const errs = validateQuotaList(spec['hard'], newPath('spec', 'hard'));
  for (const scope of arr(spec['scopes']).map(str)) {
    if (!QUOTA_SCOPES.includes(scope)) errs.push(notSupported(newPath('spec', 'scopes'), scope, QUOTA_SCOPES));
  }
  return errs;
}

export const resourceQuotaStrategy: ResourceStrategy = {
  prepareForCreate(rq) {
    rq['status'] = {};
  },
  validate: validateQuota,
  validateUpdate: validateQuota,
  validateStatusUpdate(rq) {
    const status = part(rq, 'status');
    return [
      ...validateQuotaList(status['hard'], newPath('status', 'hard')),
      ...validateQuotaList(status['used'], newPath('status', 'used')),
    ];
  },
};

/** Quantity.String() of a status value (missing is zero). */
function quantityText(v: unknown): string {
  const text = typeof v === 'string' || typeof v === 'number' ? String(v) : '0';
  try {
    return canonicalQuantity(text);
  } catch {
    return text;
  }
}

export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
  ],
  row(rq, now) {
    const status = part(rq, 'status');
    const hard = asObj(status['hard']) ?? {};
    const used = asObj(status['used']) ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const name of Object.keys(hard).sort()) {
      const cell = `${name}: ${quantityText(used[name])}/${quantityText(hard[name])}`;
      (name.split('.')[0] === 'limits' && name.includes('.') ? limits : requests).push(cell);
    }
    return [rq.metadata.name ?? '', age(rq.metadata.creationTimestamp, now), requests.join(', '), limits.join(', ')];
  },
};

/** SetDefaults_LimitRangeItem: container defaults from max, default requests from default or min. */
function defaultLimitRangeItem(item: Obj): void {
  if (item['type'] !== 'Container') return;
  const fill = (target: string, from: string): void => {
    const src = asObj(item[from]);
    if (!src || Object.keys(src).length === 0) return;
    const dst = child(item, target);
    for (const [k, v] of Object.entries(src)) if (dst[k] === undefined) dst[k] = v;
  };
  fill('default', 'max');
  fill('defaultRequest', 'default');
  fill('defaultRequest', 'min');
}

function readList(list: unknown, path: FieldPath, errs: FieldError[]): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, v] of Object.entries(asObj(list) ?? {})) {
    const p = path.key(name);
    errs.push(...validateResourceName(name, p, (n) => STANDARD_RESOURCES.has(n)));
    const q = readQuantity(v, p, errs);
    if (q) {
      errs.push(...validateQuantityValue(name, q, p));
      out.set(name, q);
    }
  }
  return out;
}

function validateLimitRange(lr: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objs(part(lr, 'spec')['limits']).forEach((item, i) => {
    const p = newPath('spec', 'limits').index(i);
    const type = str(item['type']);
    if (!LIMIT_TYPES.includes(type)) errs.push(notSupported(p.child('type'), type, LIMIT_TYPES));
    const max = readList(item['max'], p.child('max'), errs);
    const min = readList(item['min'], p.child('min'), errs);
    const def = readList(item['default'], p.child('default'), errs);
    const defReq = readList(item['defaultRequest'], p.child('defaultRequest'), errs);
    const ratio = readList(item['maxLimitRequestRatio'], p.child('maxLimitRequestRatio'), errs);
    if (type === 'Pod') {
      if (def.size > 0) errs.push(forbidden(p.child('default'), "may not be specified when `type` is 'Pod'"));
      if (defReq.size > 0) errs.push(forbidden(p.child('defaultRequest'), "may not be specified when `type` is 'Pod'"));
    }
    for (const [k, mn] of min) {
      const mx = max.get(k);
      if (mx && mn.cmp(mx) > 0)
        errs.push(invalid(p.child('min').key(k), mn.toString(), `min value ${mn.toString()} is greater than max value ${mx.toString()}`));
    }
    for (const [k, d] of def) {
      const mx = max.get(k);
      const mn = min.get(k);
      if (mx && d.cmp(mx) > 0)
        errs.push(
          invalid(p.child('default').key(k), d.toString(), `default value ${d.toString()} is greater than max value ${mx.toString()}`),
        );
      if (mn && d.cmp(mn) < 0)
        errs.push(
          invalid(p.child('default').key(k), d.toString(), `min value ${mn.toString()} is greater than default value ${d.toString()}`),
        );
    }
    for (const [k, dr] of defReq) {
      const d = def.get(k);
      const mx = max.get(k);
      const mn = min.get(k);
      if (d && dr.cmp(d) > 0)
        errs.push(
          invalid(
            p.child('defaultRequest').key(k),
            dr.toString(),
            `default request value ${dr.toString()} is greater than default limit value ${d.toString()}`,
          ),
        );
      if (mx && dr.cmp(mx) > 0)
        errs.push(
          invalid(
            p.child('defaultRequest').key(k),
            dr.toString(),
            `default request value ${dr.toString()} is greater than max value ${mx.toString()}`,
          ),
        );
      if (mn && dr.cmp(mn) < 0)
        errs.push(
          invalid(
            p.child('defaultRequest').key(k),
            dr.toString(),
            `min value ${mn.toString()} is greater than default request value ${dr.toString()}`,
          ),
        );
    }
    for (const [k, r] of ratio) {
      if (r.milliValue() < 1000)
        errs.push(invalid(p.child('maxLimitRequestRatio').key(k), r.toString(), `ratio ${r.toString()} is less than 1`));
    }
  });
  return errs;
}

export const limitRangeStrategy: ResourceStrategy = {
  defaults(lr) {
    for (const item of objs(part(lr, 'spec')['limits'])) defaultLimitRangeItem(item);
  },
  validate: validateLimitRange,
  validateUpdate: validateLimitRange,
};

export const limitRangePrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION)],
  row: (lr) => [lr.metadata.name ?? '', lr.metadata.creationTimestamp ?? ''],
};
