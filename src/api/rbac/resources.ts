/** rbac.authorization.k8s.io/v1 resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { clusterRoleBindingPrinter, clusterRoleBindingStrategy, roleBindingPrinter, roleBindingStrategy } from './binding.js';
import { clusterRoleStrategy, rolePrinter, roleStrategy } from './role.js';

const g = { group: 'rbac.authorization.k8s.io', version: 'v1', nameFormat: 'path-segment' as const, allowCreateOnUpdate: true };

export const rbacResources: ResourceType[] = [
  defineResource({
    ...g,
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
    strategy: clusterRoleBindingStrategy,
    printer: clusterRoleBindingPrinter,
  }),
  defineResource({
    ...g,
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
    strategy: clusterRoleStrategy,
    printer: rolePrinter,
  }),
  defineResource({
    ...g,
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
    strategy: roleBindingStrategy,
    printer: roleBindingPrinter,
  }),
  defineResource({ ...g, kind: 'Role', plural: 'roles', namespaced: true, strategy: roleStrategy, printer: rolePrinter }),
];
