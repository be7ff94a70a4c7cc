/**
 * The bootstrap policy against the calls the components make: the scheduler, the controller
 * manager and each controller's ServiceAccount may do what they do, and no more than upstream's
 * roles let them (table-driven: identity, verb, resource, group, namespace → allowed).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserInfo } from '../../registry/context.js';
import { RbacAuthorizer } from './authorizer.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.js';
import { RuleResolver } from './resolver.js';
import { arrayObjects, resourceAttrs } from './testing.js';

const rbac = new RbacAuthorizer({
  resolver: new RuleResolver({ objects: arrayObjects([...bootstrapClusterRoles(), ...bootstrapClusterRoleBindings()]) }),
});
const user = (name: string): UserInfo => ({ name, groups: ['system:authenticated'] });
const controller = (name: string): UserInfo => ({
  name: `system:serviceaccount:kube-system:${name}`,
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
});
const scheduler = user('system:kube-scheduler');
const manager = user('system:kube-controller-manager');

/** [who, verb, resource[/subresource], group, namespace, name, allowed] */
type Case = [UserInfo, string, string, string, string, string, boolean];
const CASES: Case[] = [
  [scheduler, 'update', 'leases', 'coordination.k8s.io', 'kube-system', 'kube-scheduler', true],
  [scheduler, 'update', 'leases', 'coordination.k8s.io', 'kube-system', 'kube-controller-manager', false],
  [scheduler, 'create', 'pods/binding', '', 'default', 'p', true],
  [scheduler, 'patch', 'pods/status', '', 'default', 'p', true],
  [scheduler, 'delete', 'pods', '', 'default', 'victim', true],
  [scheduler, 'create', 'events', 'events.k8s.io', 'default', '', true],
  [scheduler, 'patch', 'persistentvolumeclaims', '', 'default', 'c', true],
  [scheduler, 'update', 'persistentvolumes', '', '', 'v', true],
  [scheduler, 'list', 'csinodes', 'storage.k8s.io', '', '', true],
  [scheduler, 'list', 'storageclasses', 'storage.k8s.io', '', '', true],
  [scheduler, 'delete', 'nodes', '', '', 'n', false],
  [scheduler, 'delete', 'namespaces', '', 'default', 'default', false],
  [scheduler, 'get', 'secrets', '', 'default', 's', false],
  [manager, 'update', 'leases', 'coordination.k8s.io', 'kube-system', 'kube-controller-manager', true],
  [manager, 'watch', 'replicasets', 'apps', '', '', true],
  [manager, 'create', 'serviceaccounts', '', 'kube-system', '', true],
  [manager, 'create', 'serviceaccounts/token', '', 'kube-system', 'job-controller', true],
  [manager, 'create', 'pods', '', 'default', '', false],
  [manager, 'delete', 'namespaces', '', 'default', 'default', false],
  [controller('deployment-controller'), 'create', 'replicasets', 'apps', 'default', '', true],
  [controller('deployment-controller'), 'create', 'pods', '', 'default', '', false],
  [controller('replicaset-controller'), 'create', 'pods', '', 'default', '', true],
  [controller('replicaset-controller'), 'delete', 'deployments', 'apps', 'default', 'd', false],
  [controller('statefulset-controller'), 'create', 'persistentvolumeclaims', '', 'default', '', true],
  [controller('daemon-set-controller'), 'create', 'controllerrevisions', 'apps', 'default', '', true],
  [controller('job-controller'), 'patch', 'jobs/status', 'batch', 'default', 'j', true],
  [controller('cronjob-controller'), 'create', 'jobs', 'batch', 'default', '', true],
  [controller('ttl-after-finished-controller'), 'delete', 'jobs', 'batch', 'default', 'j', true],
  [controller('generic-garbage-collector'), 'delete', 'configmaps', '', 'default', 'c', true],
  [controller('namespace-controller'), 'deletecollection', 'secrets', '', 'gone', '', true],
  [controller('namespace-controller'), 'update', 'namespaces/finalize', '', 'gone', 'gone', true],
  [controller('namespace-controller'), 'create', 'pods', '', 'default', '', false],
  [controller('node-controller'), 'patch', 'nodes', '', '', 'n', true],
  [controller('node-controller'), 'delete', 'pods', '', 'default', 'p', true],
  [controller('node-controller'), 'update', 'pods/status', '', 'default', 'p', true],
  [controller('node-controller'), 'create', 'pods', '', 'default', '', false],
  [controller('endpoint-controller'), 'update', 'endpoints', '', 'default', 'e', true],
  [controller('endpointslice-controller'), 'create', 'endpointslices', 'discovery.k8s.io', 'default', '', true],
  [controller('service-account-controller'), 'create', 'serviceaccounts', '', 'default', '', true],
  [controller('service-lb-controller'), 'update', 'services/status', '', 'default', 's', true],
  [controller('service-lb-controller'), 'update', 'services', '', 'default', 's', false],
  [controller('persistent-volume-binder'), 'update', 'persistentvolumeclaims/status', '', 'default', 'c', true],
  [controller('pvc-protection-controller'), 'update', 'persistentvolumeclaims', '', 'default', 'c', true],
  [controller('pv-protection-controller'), 'update', 'persistentvolumes', '', '', 'v', true],
  [controller('nfs-provisioner'), 'create', 'persistentvolumes', '', '', '', true],
  [controller('nfs-provisioner'), 'get', 'secrets', '', 'default', 's', false],
  [controller('disruption-controller'), 'update', 'poddisruptionbudgets/status', 'policy', 'default', 'b', true],
  [controller('horizontal-pod-autoscaler'), 'update', 'deployments/scale', 'apps', 'default', 'd', true],
  [controller('clusterrole-aggregation-controller'), 'escalate', 'clusterroles', 'rbac.authorization.k8s.io', '', 'admin', true],
  [controller('deployment-controller'), 'get', 'secrets', '', 'default', 's', false],
  [user('system:serviceaccount:default:deployment-controller'), 'create', 'replicasets', 'apps', 'default', '', false],
];

describe('the components’ bootstrap policy', () => {
  for (const [who, verb, resource, group, namespace, name, allowed] of CASES) {
    it(`${who.name} ${allowed ? 'may' : 'may not'} ${verb} ${resource}${group ? `.${group}` : ''} ${namespace}/${name}`, () => {
      const decision = rbac.authorize(resourceAttrs(who, verb, resource, { group, namespace, name }));
      assert.equal(decision.allowed, allowed, decision.reason);
    });
  }
});
