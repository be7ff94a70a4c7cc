/** The RBAC objects as the registry's watch caches hold them: read in-process, no HTTP round trip. */
import type { KubeObject } from '../../../machinery/object.js';
import type { ApiRegistry } from '../../api-registry.js';
import type { ResourceStore } from '../../registry/store.js';
import { namespacePrefix } from '../../registry/keys.js';
import type { RbacObjects } from './resolver.js';

const GROUP = 'rbac.authorization.k8s.io';

export class RegistryRbacObjects implements RbacObjects {
  readonly #registry: ApiRegistry;

  constructor(options: { registry: ApiRegistry }) {
    this.#registry = options.registry;
  }

  #store(plural: string): ResourceStore | undefined {
    return this.#registry.lookup(GROUP, 'v1', plural);
  }

  clusterRoleBindings(): readonly KubeObject[] {
    const store = this.#store('clusterrolebindings');
    return store ? store.cache.list(store.prefix) : [];
  }

  roleBindings(namespace: string): readonly KubeObject[] {
    const store = this.#store('rolebindings');
    return store ? store.cache.list(namespacePrefix(store.prefix, namespace)) : [];
  }

  clusterRole(name: string): KubeObject | undefined {
    const store = this.#store('clusterroles');
    return store?.cache.get(store.key('', name));
  }

  role(namespace: string, name: string): KubeObject | undefined {
    const store = this.#store('roles');
    return store?.cache.get(store.key(namespace, name));
  }
}
