import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceAttrs } from '../rbac/testing.js';
import { NodeGraph } from './graph.js';
import { NodeAuthorizer } from './node-authorizer.js';

const graph = new NodeGraph();
graph.setPod('/p/ns/a', {
  metadata: { name: 'a', namespace: 'ns' },
  spec: {
    nodeName: 'n1',
    serviceAccountName: 'sa',
    volumes: [
      { name: 's', secret: { secretName: 'mine' } },
      { name: 'c', configMap: { name: 'cm' } },
      { name: 'd', persistentVolumeClaim: { claimName: 'data' } },
    ],
  },
});
graph.setVolume('pv1', { metadata: { name: 'pv1' }, spec: { claimRef: { namespace: 'ns', name: 'data' } } });
const authorizer = new NodeAuthorizer({ graph });
const n1 = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const decide = (verb: string, resource: string, more: Parameters<typeof resourceAttrs>[3] = {}, user = n1) =>
  authorizer.authorize(resourceAttrs(user, verb, resource, more));

describe('NodeAuthorizer', () => {
  it('has no opinion on users that are not nodes, and names the unknown node', () => {
    assert.deepEqual(decide('get', 'secrets', { namespace: 'ns', name: 'mine' }, { name: 'alice', groups: [] }), {
      allowed: false,
      reason: '',
    });
    assert.deepEqual(decide('get', 'nodes', {}, { name: 'kubelet', groups: ['system:nodes'] }), {
      allowed: false,
      reason: 'unknown node for user "kubelet"',
    });
  });

  it('lets a node read the Secrets, ConfigMaps, claims and volumes of its own pods only', () => {
    assert.equal(decide('get', 'secrets', { namespace: 'ns', name: 'mine' }).allowed, true);
    assert.equal(decide('watch', 'configmaps', { namespace: 'ns', name: 'cm' }).allowed, true);
    assert.equal(decide('get', 'persistentvolumeclaims', { namespace: 'ns', name: 'data' }).allowed, true);
    assert.equal(decide('get', 'persistentvolumes', { name: 'pv1' }).allowed, true);
    assert.deepEqual(decide('get', 'secrets', { namespace: 'ns', name: 'theirs' }), {
      allowed: false,
      reason: "no relationship found between node 'n1' and this object",
    });
    const n2 = { name: 'system:node:n2', groups: ['system:nodes'] };
    assert.equal(decide('get', 'secrets', { namespace: 'ns', name: 'mine' }, n2).allowed, false);
  });

  it('gives upstream reasons for verbs outside reading single objects', () => {
    assert.deepEqual(decide('list', 'secrets', { namespace: 'ns' }), { allowed: false, reason: 'No Object name found' });
    assert.deepEqual(decide('update', 'secrets', { namespace: 'ns', name: 'mine' }), {
      allowed: false,
      reason: 'can only read resources of this type',
    });
    assert.deepEqual(decide('list', 'persistentvolumes'), { allowed: false, reason: 'can only get individual resources of this type' });
    assert.deepEqual(decide('get', 'secrets', { name: 'mine' }), {
      allowed: false,
      reason: 'can only read namespaced object of this type',
    });
  });

  it('lets a node update the status of its pods’ claims and ask tokens for their service accounts', () => {
    assert.equal(decide('patch', 'persistentvolumeclaims/status', { namespace: 'ns', name: 'data' }).allowed, true);
    assert.equal(decide('create', 'serviceaccounts/token', { namespace: 'ns', name: 'sa' }).allowed, true);
    assert.equal(decide('create', 'serviceaccounts/token', { namespace: 'ns', name: 'default' }).allowed, false);
    assert.deepEqual(decide('get', 'serviceaccounts', { namespace: 'ns', name: 'sa' }), {
      allowed: false,
      reason: 'can only create tokens for individual service accounts',
    });
  });

  it('limits leases and CSINodes to the node’s own', () => {
    const lease = (verb: string, namespace: string, name: string) =>
      decide(verb, 'leases', { group: 'coordination.k8s.io', namespace, name });
    assert.equal(lease('update', 'kube-node-lease', 'n1').allowed, true);
    assert.equal(lease('create', 'kube-node-lease', '').allowed, true);
    assert.deepEqual(lease('update', 'kube-node-lease', 'n2'), {
      allowed: false,
      reason: 'can only access node lease with the same name as the requesting node',
    });
    assert.deepEqual(lease('get', 'kube-system', 'n1'), {
      allowed: false,
      reason: 'can only access leases in the "kube-node-lease" system namespace',
    });
    assert.equal(lease('list', 'kube-node-lease', '').allowed, false);
    assert.equal(decide('get', 'csinodes', { group: 'storage.k8s.io', name: 'n2' }).allowed, false);
  });

  it('allows the rest by the system:node rules', () => {
    assert.equal(decide('patch', 'nodes/status', { name: 'n1' }).allowed, true);
    assert.equal(decide('list', 'pods').allowed, true);
    assert.equal(decide('create', 'events', { namespace: 'ns' }).allowed, true);
    assert.equal(decide('delete', 'nodes', { name: 'n1' }).allowed, false);
    assert.equal(decide('list', 'namespaces').allowed, false);
  });

  it('cannot list a node’s rules (upstream RulesFor)', () => {
    assert.equal(authorizer.rulesFor(n1).incomplete, true);
    assert.equal(authorizer.rulesFor({ name: 'alice', groups: [] }).incomplete, false);
  });
});
