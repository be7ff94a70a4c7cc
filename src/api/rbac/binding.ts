/** rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding: defaults, validation, printer. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { asObj, child, objs, str, type Obj } from '../core/access.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import { validatePathSegmentName, validateServiceAccountName } from '../../machinery/names.js';
import { invalid, newPath, notSupported, required, type FieldError, type FieldPath } from '../../machinery/validation/field.js';
import { AGE_COLUMN, column, describe, NAME_COLUMN, objectAge, wideColumn } from '../apps/printing.js';
import './types.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** SetDefaults_RoleBinding / ClusterRoleBinding and SetDefaults_Subject. */
export function defaultBinding(obj: KubeObject): void {
  const ref = child(obj, 'roleRef');
  if (!str(ref['apiGroup'])) ref['apiGroup'] = RBAC_GROUP;
  for (const s of objs(obj['subjects'])) {
    if (str(s['apiGroup'])) continue;
    if (s['kind'] === 'ServiceAccount') s['apiGroup'] = '';
    else if (s['kind'] === 'User' || s['kind'] === 'Group') s['apiGroup'] = RBAC_GROUP;
  }
}

/** ValidateRoleBindingSubject. */
export function validateSubject(subject: Obj, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(subject['name']);
  const apiGroup = str(subject['apiGroup']);
  if (!name) errs.push(required(path.child('name'), ''));
  switch (subject['kind']) {
    case 'ServiceAccount':
      if (name) for (const m of validateServiceAccountName(name, false)) errs.push(invalid(path.child('name'), name, m));
      if (apiGroup) errs.push(notSupported(path.child('apiGroup'), apiGroup, ['']));
      if (!namespaced && !str(subject['namespace'])) errs.push(required(path.child('namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(path.child('apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(path.child('kind'), subject['kind'] ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KubeObject, namespaced: boolean): FieldError[] {
  const ref = asObj(obj['roleRef']) ?? {};
  const errs: FieldError[] = [];
  const apiGroup = str(ref['apiGroup']);
  if (apiGroup !== RBAC_GROUP) errs.push(notSupported(newPath('roleRef', 'apiGroup'), apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = str(ref['kind']);
  if (!kinds.includes(kind)) errs.push(notSupported(newPath('roleRef', 'kind'), kind, kinds));
  const name = str(ref['name']);
  if (!name) errs.push(required(newPath('roleRef', 'name'), ''));
  else for (const m of validatePathSegmentName(name, false)) errs.push(invalid(newPath('roleRef', 'name'), name, m));
  objs(obj['subjects']).forEach((s, i) => errs.push(...validateSubject(s, namespaced, newPath('subjects').index(i))));
  return errs;
}

/** ValidateRoleBindingUpdate: roleRef cannot change. */
function validateBindingUpdate(obj: KubeObject, old: KubeObject, namespaced: boolean): FieldError[] {
  const errs = validateBinding(obj, namespaced);
  if (!jsonEqual(obj['roleRef'], old['roleRef'])) errs.push(invalid(newPath('roleRef'), obj['roleRef'], 'cannot change roleRef'));
  return errs;
}

export const roleBindingStrategy: ResourceStrategy = {
  defaults: defaultBinding,
  validate: (obj) => validateBinding(obj, true),
  validateUpdate: (obj, old) => validateBindingUpdate(obj, old, true),
};

export const clusterRoleBindingStrategy: ResourceStrategy = {
  defaults: defaultBinding,
  validate: (obj) => validateBinding(obj, false),
  validateUpdate: (obj, old) => validateBindingUpdate(obj, old, false),
};

/** rbac.SubjectsStrings: users, groups and namespace:name service accounts. */
export function subjectsStrings(subjects: Obj[]): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of subjects) {
    if (s['kind'] === 'User') out.users.push(str(s['name']));
    else if (s['kind'] === 'Group') out.groups.push(str(s['name']));
    else if (s['kind'] === 'ServiceAccount') out.serviceAccounts.push(`${str(s['namespace'])}:${str(s['name'])}`);
  }
  return out;
}

function bindingPrinter(noun: string): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column('Role', 'string', describe('io.k8s.api.rbac.v1.RoleBinding', 'roleRef')),
      AGE_COLUMN,
      wideColumn('Users', `Users in the ${noun}`),
      wideColumn('Groups', `Groups in the ${noun}`),
      wideColumn('ServiceAccounts', `ServiceAccounts in the ${noun}`),
    ],
    row(obj, now) {
      const ref = asObj(obj['roleRef']) ?? {};
      const { users, groups, serviceAccounts } = subjectsStrings(objs(obj['subjects']));
      return [
        obj.metadata.name ?? '',
        `${str(ref['kind'])}/${str(ref['name'])}`,
        objectAge(obj, now),
        users.join(', '),
        groups.join(', '),
        serviceAccounts.join(', '),
      ];
    },
  };
}

export const roleBindingPrinter: TablePrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter: TablePrinter = bindingPrinter('clusterRoleBinding');
