/** RbacObjects over plain arrays, and request attributes, for the RBAC unit tests. */
import type { KubeObject } from '../../../machinery/object.js';
import type { UserInfo } from '../../registry/context.js';
import type { Attributes } from '../interface.js';
import type { RbacObjects } from './resolver.js';

/** RbacObjects over an array, indexed once as the watch caches are (by kind, namespace and name). */
export function arrayObjects(objects: KubeObject[]): RbacObjects {
  const byKey = new Map<string, KubeObject>();
  const bindings = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const ns = o.metadata.namespace ?? '';
    byKey.set(`${o.kind}/${ns}/${o.metadata.name}`, o);
    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      const key = `${o.kind}/${ns}`;
      bindings.set(key, [...(bindings.get(key) ?? []), o]);
    }
  }
  return {
    clusterRoleBindings: () => bindings.get('ClusterRoleBinding/') ?? [],
    roleBindings: (ns) => bindings.get(`RoleBinding/${ns}`) ?? [],
    clusterRole: (name) => byKey.get(`ClusterRole//${name}`),
    role: (ns, name) => byKey.get(`Role/${ns}/${name}`),
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
