/**
 * The two webhook admission plugins over the registry's watch caches: configurations,
 * namespaces (namespaceSelector), Services and EndpointSlices (clientConfig.service), and
 * the stores sharing one storage (matchPolicy Equivalent). No API round trips.
 */
import type { KubeObject } from '../../../machinery/object.js';
import type { ApiRegistry } from '../../api-registry.js';
import { namespacePrefix } from '../../registry/keys.js';
import type { ResourceStore } from '../../registry/store.js';
import { WebhookSource } from './accessor.js';
import type { WebhookDispatcherOptions } from './dispatcher.js';
import type { GroupVersionResource, MatchConditionEvaluator, VersionConversion } from './interface.js';
import type { MatcherOptions } from './matcher.js';
import { MutatingAdmissionWebhook } from './mutating.js';
import { EndpointServiceResolver } from './service-resolver.js';
import { ValidatingAdmissionWebhook } from './validating.js';

const GROUP = 'admissionregistration.k8s.io';

export interface WebhookAdmissionOptions {
  registry: ApiRegistry;
  /** The CEL evaluator of matchConditions, when one is available. */
  matchConditions?: MatchConditionEvaluator;
}

function listAll(store: ResourceStore | undefined): readonly KubeObject[] {
  return store ? store.cache.list(store.prefix) : [];
}

/** Converts between two versions stored alike, through the storage version. */
function conversion(from: ResourceStore, to: ResourceStore): VersionConversion {
  const toStorage = (s: ResourceStore, o: KubeObject) => (s.type.storage ? s.type.storage.toStorage(o) : o);
  const fromStorage = (s: ResourceStore, o: KubeObject) => (s.type.storage ? s.type.storage.fromStorage(o) : o);
  return {
    toInvocation: (obj) => fromStorage(to, toStorage(from, obj)),
    fromInvocation: (obj) => fromStorage(from, toStorage(to, obj)),
  };
}

function matcherOptions(registry: ApiRegistry): MatcherOptions {
  return {
    namespaceLabels(name) {
      const store = registry.lookup('', 'v1', 'namespaces');
      const ns = store?.cache.get(store.key('', name));
      return ns ? (ns.metadata.labels ?? {}) : undefined;
    },
    equivalents(resource: GroupVersionResource) {
      const self = registry.lookup(resource.group, resource.version, resource.resource);
      if (!self) return [];
      return [...registry.stores()]
        .filter((s) => s !== self && s.prefix === self.prefix)
        .map((s) => ({
          resource: { group: s.type.group, version: s.type.version, resource: s.type.plural },
          kind: { group: s.type.group, version: s.type.version, kind: s.type.kind },
          conversion: conversion(self, s),
        }));
    },
  };
}

/** MutatingAdmissionWebhook and ValidatingAdmissionWebhook, to add after the built-in plugins of their phase. */
export function webhookAdmissionPlugins(options: WebhookAdmissionOptions): {
  mutating: MutatingAdmissionWebhook;
  validating: ValidatingAdmissionWebhook;
} {
  const { registry } = options;
  const services = new EndpointServiceResolver({
    service(namespace, name) {
      const store = registry.lookup('', 'v1', 'services');
      return store?.cache.get(store.key(namespace, name));
    },
    endpointSlices(namespace) {
      const store = registry.lookup('discovery.k8s.io', 'v1', 'endpointslices');
      return store ? store.cache.list(namespacePrefix(store.prefix, namespace)) : [];
    },
  });
  const common: Omit<WebhookDispatcherOptions, 'webhooks'> = {
    matcher: matcherOptions(registry),
    services,
    ...(options.matchConditions ? { matchConditions: options.matchConditions } : {}),
  };
  const mutatingSource = new WebhookSource({
    configurations: () => listAll(registry.lookup(GROUP, 'v1', 'mutatingwebhookconfigurations')),
  });
  const validatingSource = new WebhookSource({
    configurations: () => listAll(registry.lookup(GROUP, 'v1', 'validatingwebhookconfigurations')),
  });
  return {
    mutating: new MutatingAdmissionWebhook({ ...common, webhooks: () => mutatingSource.webhooks() }),
    validating: new ValidatingAdmissionWebhook({ ...common, webhooks: () => validatingSource.webhooks() }),
  };
}
