/** RbacObjects over plain arrays, and request attributes, for the RBAC unit tests. */
import type { KubeObject } from '../../../machinery/object.js';
import type { UserInfo } from '../../registry/context.js';
import type { Attributes } from '../interface.js';
import type { RbacObjects } from './resolver.js';

export function arrayObjects(objects: KubeObject[]): RbacObjects {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return {
    clusterRoleBindings: () => of('ClusterRoleBinding'),
    roleBindings: (ns) => of('RoleBinding').filter((b) => b.metadata.namespace === ns),
    clusterRole: (name) => of('ClusterRole').find((r) => r.metadata.name === name),
    role: (ns, name) => of('Role').find((r) => r.metadata.namespace === ns && r.metadata.name === name),
  };
}

export function resourceAttrs(user: UserInfo, verb: string, resource: string, more: Partial<Attributes> = {}): Attributes {
  const [res = '', sub = ''] = resource.split('/');
  return {
    user,
    verb,
    isResourceRequest: true,
    path: '',
    group: '',
    version: 'v1',
    resource: res,
    subresource: sub,
    namespace: '',
    name: '',
    ...more,
  };
}
