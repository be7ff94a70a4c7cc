/**
 * What the service-account token authenticator reads to decide whether a token still stands
 * (upstream's ServiceAccountTokenGetter): the ServiceAccount, and the Secret, Pod or Node a
 * token is bound to, from the apiserver's watch caches.
 */
import type { KubeObject } from '../../machinery/object.js';
import type { ApiRegistry } from '../api-registry.js';

export interface ServiceAccountTokenGetter {
  serviceAccount(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
  node(name: string): KubeObject | undefined;
}

/** The getter over the registry's caches (core/v1 serviceaccounts, secrets, pods, nodes). */
export function registryTokenGetter(registry: ApiRegistry): ServiceAccountTokenGetter {
  const from = (plural: string) => (namespace: string, name: string) => {
    const store = registry.lookup('', 'v1', plural);
    return store?.cache.get(store.key(namespace, name));
  };
  const pods = from('pods');
  const nodes = from('nodes');
  return {
    serviceAccount: from('serviceaccounts'),
    secret: from('secrets'),
    pod: pods,
    node: (name) => nodes('', name),
  };
}
