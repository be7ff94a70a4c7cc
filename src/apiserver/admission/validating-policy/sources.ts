/** The plugin's sources over the registry's watch caches: policies, bindings, namespaces, params of any served kind. */
import type { ApiRegistry } from '../../api-registry.js';
import { namespacePrefix } from '../../registry/keys.js';
import type { PolicySources } from './plugin.js';

const GROUP = 'admissionregistration.k8s.io';

export function registryPolicySources(registry: ApiRegistry): PolicySources {
  const all = (plural: string) => {
    const store = registry.lookup(GROUP, 'v1', plural);
    return store ? store.cache.list(store.prefix) : [];
  };
  return {
    policies: () => all('validatingadmissionpolicies'),
    bindings: () => all('validatingadmissionpolicybindings'),
    namespace(name) {
      const store = registry.lookup('', 'v1', 'namespaces');
      return store?.cache.get(store.key('', name));
    },
    params(apiVersion, kind) {
      const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
      const store = registry.forKind(group, kind);
      if (!store) return undefined;
      return {
        namespaced: store.type.namespaced,
        get: (namespace, name) => store.cache.get(store.key(namespace, name)),
        list: (namespace) => store.cache.list(namespacePrefix(store.prefix, namespace)),
      };
    },
  };
}
