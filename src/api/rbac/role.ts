/** rbac.authorization.k8s.io/v1 Role and ClusterRole: validation and Table printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { arr, asObj, objs, type Obj } from '../core/access.js';
import { labelSelectorFromMeta, validateLabelSelector, type LabelSelector } from '../../machinery/labels.js';
import { invalid, newPath, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import { CREATED_AT_COLUMN, NAME_COLUMN } from '../apps/printing.js';

/** ValidatePolicyRule. */
export function validatePolicyRule(rule: Obj, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (arr(rule['verbs']).length === 0) errs.push(required(path.child('verbs'), 'verbs must contain at least one value'));
  const urls = arr(rule['nonResourceURLs']);
  if (urls.length > 0) {
    if (namespaced) errs.push(invalid(path.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (arr(rule['apiGroups']).length > 0 || arr(rule['resources']).length > 0 || arr(rule['resourceNames']).length > 0) {
      errs.push(invalid(path.child('nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (arr(rule['apiGroups']).length === 0)
    errs.push(required(path.child('apiGroups'), 'resource rules must supply at least one api group'));
  if (arr(rule['resources']).length === 0) errs.push(required(path.child('resources'), 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  return objs(obj['rules']).flatMap((r, i) => validatePolicyRule(r, namespaced, newPath('rules').index(i)));
}

/** ValidateClusterRole: rules plus the aggregation rule's selectors. */
export function validateClusterRole(obj: KubeObject): FieldError[] {
  const errs = validateRules(obj, false);
  const agg = asObj(obj['aggregationRule']);
  if (agg) {
    const selectors = objs(agg['clusterRoleSelectors']);
    const p = newPath('aggregationRule', 'clusterRoleSelectors');
    if (selectors.length === 0) errs.push(required(p, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((sel, i) => {
      errs.push(...validateLabelSelector(sel as LabelSelector, p.index(i)));
      try {
        labelSelectorFromMeta(sel as LabelSelector);
      } catch {
        errs.push(invalid(p.index(i), sel, 'invalid label selector.'));
      }
    });
  }
  return errs;
}

export const roleStrategy: ResourceStrategy = {
  validate: (obj) => validateRules(obj, true),
  validateUpdate: (obj) => validateRules(obj, true),
};

export const clusterRoleStrategy: ResourceStrategy = {
  validate: validateClusterRole,
  validateUpdate: (obj) => validateClusterRole(obj),
};

/** Roles and ClusterRoles: Name and the creation time as an RFC 3339 date. */
export const rolePrinter: TablePrinter = {
  columns: [NAME_COLUMN, CREATED_AT_COLUMN],
  row: (obj) => [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? '0001-01-01T00:00:00Z'],
};
