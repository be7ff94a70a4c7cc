import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { evaluatorFor, quotaMatches, scopeSelectors } from './evaluators.js';
import { parseObjectCountName } from './object-count.js';
import { resourceListJSON } from './resources.js';

const NOW = new Date();
const usage = (group: string, resource: string, obj: KubeObject) =>
  resourceListJSON(evaluatorFor(group, resource)?.usage(obj, NOW) ?? new Map());

describe('service evaluator', () => {
  const svc = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 's' }, spec });
  const ports = [{ port: 80 }, { port: 443, nodePort: 30443 }];
  it('counts services, node ports and load balancers', () => {
    assert.deepEqual(usage('', 'services', svc({ type: 'ClusterIP', ports })), { 'count/services': '1', services: '1' });
    assert.deepEqual(usage('', 'services', svc({ type: 'NodePort', ports })), {
      'count/services': '1',
      services: '1',
      'services.nodeports': '2',
    });
    assert.deepEqual(usage('', 'services', svc({ type: 'LoadBalancer', ports })), {
      'count/services': '1',
      services: '1',
      'services.loadbalancers': '1',
      'services.nodeports': '2',
    });
    assert.deepEqual(usage('', 'services', svc({ type: 'LoadBalancer', ports, allocateLoadBalancerNodePorts: false })), {
      'count/services': '1',
      services: '1',
      'services.loadbalancers': '1',
      'services.nodeports': '1',
    });
  });
  it('charges creates and updates', () => {
    const e = evaluatorFor('', 'services');
    assert.deepEqual([e?.handles('CREATE'), e?.handles('UPDATE'), e?.handles('DELETE')], [true, true, false]);
  });
});

describe('persistent volume claim evaluator', () => {
  it('counts claims and storage, also per storage class, the larger of request and allocation', () => {
    const claim: KubeObject = {
      metadata: { name: 'c' },
      spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
      status: { allocatedResources: { storage: '2Gi' } },
    };
    assert.deepEqual(usage('', 'persistentvolumeclaims', claim), {
      'count/persistentvolumeclaims': '1',
      'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
      'fast.storageclass.storage.k8s.io/requests.storage': '2Gi',
      persistentvolumeclaims: '1',
      'requests.storage': '2Gi',
    });
    const annotated: KubeObject = {
      metadata: { name: 'c', annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow' } },
      spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
    };
    assert.equal(usage('', 'persistentvolumeclaims', annotated)['slow.storageclass.storage.k8s.io/requests.storage'], '1Gi');
    const e = evaluatorFor('', 'persistentvolumeclaims');
    assert.deepEqual(
      e?.matchingResources(['requests.storage', 'gold.storageclass.storage.k8s.io/requests.storage', 'pods', 'persistentvolumeclaims']),
      ['requests.storage', 'gold.storageclass.storage.k8s.io/requests.storage', 'persistentvolumeclaims'],
    );
  });
});

describe('object count evaluator', () => {
  it('counts count/<resource>.<group>, and the legacy names of the core ones', () => {
    assert.deepEqual(usage('', 'configmaps', { metadata: {} }), { configmaps: '1', 'count/configmaps': '1' });
    assert.deepEqual(usage('apps', 'deployments', { metadata: {} }), { 'count/deployments.apps': '1' });
    assert.deepEqual(usage('', 'endpoints', { metadata: {} }), { 'count/endpoints': '1' });
    assert.deepEqual(evaluatorFor('', 'secrets')?.matchingResources(['secrets', 'count/secrets', 'configmaps']), [
      'secrets',
      'count/secrets',
    ]);
    assert.equal(evaluatorFor('', 'secrets')?.handles('UPDATE'), false);
  });
  it('ignores events and reviews', () => {
    assert.equal(evaluatorFor('', 'events'), undefined);
    assert.equal(evaluatorFor('authorization.k8s.io', 'subjectaccessreviews'), undefined);
  });
  it('parses count names', () => {
    assert.deepEqual(parseObjectCountName('count/deployments.apps'), { group: 'apps', resource: 'deployments' });
    assert.deepEqual(parseObjectCountName('count/widgets.example.com'), { group: 'example.com', resource: 'widgets' });
    assert.deepEqual(parseObjectCountName('count/pods'), { group: '', resource: 'pods' });
    assert.equal(parseObjectCountName('pods'), undefined);
  });
});

describe('quota scopes', () => {
  const quota: KubeObject = {
    metadata: { name: 'q' },
    spec: {
      scopes: ['NotTerminating'],
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
    },
  };
  it('spec.scopes become Exists requirements before the selector’s expressions', () => {
    assert.deepEqual(scopeSelectors(quota), [
      { scopeName: 'NotTerminating', operator: 'Exists' },
      { scopeName: 'PriorityClass', operator: 'In', values: ['high'] },
    ]);
  });
  it('a quota matches an object it tracks a name of and whose every scope it is in', () => {
    const pods = evaluatorFor('', 'pods');
    const configmaps = evaluatorFor('', 'configmaps');
    assert.ok(pods && configmaps);
    const high: KubeObject = { metadata: {}, spec: { priorityClassName: 'high', containers: [] } };
    const low: KubeObject = { metadata: {}, spec: { priorityClassName: 'low', containers: [] } };
    assert.equal(quotaMatches(quota, ['pods'], pods, high), true);
    assert.equal(quotaMatches(quota, ['pods'], pods, low), false);
    assert.equal(quotaMatches(quota, ['configmaps'], pods, high), false);
    // objects without scopes are never in a scoped quota
    assert.equal(quotaMatches(quota, ['configmaps'], configmaps, { metadata: {} }), false);
    assert.equal(quotaMatches({ metadata: {}, spec: {} }, ['configmaps'], configmaps, { metadata: {} }), true);
  });
});
