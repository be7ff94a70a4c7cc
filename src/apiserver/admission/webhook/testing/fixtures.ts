/** Fixtures for the webhook unit tests: request attributes and webhooks from configuration objects. */
import { builtinResources } from '../../../../api/catalog.js';
import type { ResourceType } from '../../../../api/resource.js';
import type { KubeObject } from '../../../../machinery/object.js';
import { cloneJson } from '../../../../machinery/clone.js';
import type { AdmissionAttributes } from '../../interface.js';
import { webhooksOf } from '../accessor.js';
import type { Webhook } from '../interface.js';

export function resourceType(group: string, plural: string, version?: string): ResourceType {
  const t = builtinResources.find((r) => r.group === group && r.plural === plural && (!version || r.version === version));
  if (!t) throw new Error(`no built-in resource ${group}/${plural}`);
  return t;
}

export function podObject(name: string, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
}

/** CREATE of a pod in namespace `ns` unless overridden. */
export function podAttributes(overrides: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE',
    type: resourceType('', 'pods'),
    namespace: 'ns',
    name: 'p',
    subresource: '',
    object: podObject('p'),
    user: { name: 'alice', groups: ['dev', 'system:authenticated'] },
    dryRun: false,
    warnings: [],
    ...overrides,
  };
}

/** One webhook (defaulted as the registry stores it) of a configuration named `config`. */
export function webhook(hook: Record<string, unknown>, mutating = true, config = 'config'): Webhook {
  const type = resourceType('admissionregistration.k8s.io', mutating ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations');
  const obj: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: type.kind,
    metadata: { name: config },
    webhooks: [
      cloneJson({
        name: 'hook.k8ts.io',
        clientConfig: { url: 'https://127.0.0.1:1/' },
        rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        ...hook,
      }),
    ],
  };
  type.strategy.defaults?.(obj);
  const [first] = webhooksOf(obj);
  if (!first) throw new Error('no webhook');
  return first;
}
