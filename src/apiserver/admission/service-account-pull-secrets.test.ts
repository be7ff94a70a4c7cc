import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceType } from '../../api/resource.js';
import type { KubeObject } from '../../machinery/object.js';
import { ServiceAccountImagePullSecrets } from './service-account-pull-secrets.js';

const PODS = { group: '', version: 'v1', plural: 'pods' } as unknown as ResourceType;

test('a new pod without imagePullSecrets gets its ServiceAccount’s', () => {
  const accounts: Record<string, KubeObject> = {
    'ns/default': { metadata: { name: 'default' }, imagePullSecrets: [{ name: 'regcred' }] },
    'ns/builder': { metadata: { name: 'builder' }, imagePullSecrets: [{ name: 'a' }, { name: 'b' }] },
  };
  const plugin = new ServiceAccountImagePullSecrets((ns, name) => accounts[`${ns}/${name}`]);
  const admit = (spec: Record<string, unknown>, annotations?: Record<string, string>, operation: 'CREATE' | 'UPDATE' = 'CREATE') => {
    const object: KubeObject = { metadata: { name: 'p', ...(annotations ? { annotations } : {}) }, spec };
    plugin.admit({ operation, type: PODS, namespace: 'ns', name: 'p', subresource: '', object, dryRun: false });
    return (object['spec'] as Record<string, unknown>)['imagePullSecrets'];
  };
  assert.deepEqual(admit({}), [{ name: 'regcred' }]);
  assert.deepEqual(admit({ serviceAccountName: 'builder' }), [{ name: 'a' }, { name: 'b' }]);
  assert.deepEqual(admit({ imagePullSecrets: [{ name: 'own' }] }), [{ name: 'own' }], 'the pod’s own are kept');
  assert.equal(admit({ serviceAccountName: 'missing' }), undefined);
  assert.equal(admit({}, { 'kubernetes.io/config.mirror': 'x' }), undefined, 'mirror pods are left alone');
  assert.equal(admit({}, undefined, 'UPDATE'), undefined);
});
