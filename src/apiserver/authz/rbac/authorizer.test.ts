import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../machinery/object.js';
import { BootstrapAuthorizer } from '../bootstrap.js';
import { RbacAuthorizer, UnionAuthorizer } from './authorizer.js';
import { RuleResolver } from './resolver.js';
import { arrayObjects, resourceAttrs } from './testing.js';

const RBAC = 'rbac.authorization.k8s.io';
const role = (kind: string, name: string, namespace: string | undefined, rules: unknown[]): KubeObject => ({
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  rules,
});
const bindingOf = (kind: string, name: string, namespace: string | undefined, ref: [string, string], subjects: unknown[]): KubeObject => ({
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: RBAC, kind: ref[0], name: ref[1] },
  subjects,
});

const objects = [
  role('ClusterRole', 'reader', undefined, [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]),
  role('ClusterRole', 'node-reader', undefined, [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }]),
  role('Role', 'cm-writer', 'a', [{ verbs: ['create'], apiGroups: [''], resources: ['configmaps'] }]),
  bindingOf('RoleBinding', 'read', 'a', ['ClusterRole', 'reader'], [{ kind: 'User', name: 'alice' }]),
  bindingOf('RoleBinding', 'write', 'a', ['Role', 'cm-writer'], [{ kind: 'ServiceAccount', name: 'robot' }]),
  bindingOf('RoleBinding', 'broken', 'b', ['Role', 'missing'], [{ kind: 'Group', name: 'devs' }]),
  bindingOf('ClusterRoleBinding', 'nodes', undefined, ['ClusterRole', 'node-reader'], [{ kind: 'Group', name: 'ops' }]),
];
const resolver = new RuleResolver({ objects: arrayObjects(objects) });
const rbac = new RbacAuthorizer({ resolver });
const alice = { name: 'alice', groups: ['devs', 'system:authenticated'] };
const robot = {
  name: 'system:serviceaccount:a:robot',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:a', 'system:authenticated'],
};

describe('RbacAuthorizer', () => {
  it('allows through a RoleBinding in its namespace only, naming the binding', () => {
    const d = rbac.authorize(resourceAttrs(alice, 'list', 'pods', { namespace: 'a' }));
    assert.deepEqual(d, { allowed: true, reason: 'RBAC: allowed by RoleBinding "read/a" of ClusterRole "reader" to User "alice"' });
    assert.equal(rbac.authorize(resourceAttrs(alice, 'list', 'pods', { namespace: 'c' })).allowed, false);
    assert.equal(rbac.authorize(resourceAttrs(alice, 'list', 'pods')).allowed, false);
    assert.equal(rbac.authorize(resourceAttrs(alice, 'delete', 'pods', { namespace: 'a' })).allowed, false);
  });

  it('binds service accounts by the binding namespace and groups cluster-wide', () => {
    assert.equal(rbac.authorize(resourceAttrs(robot, 'create', 'configmaps', { namespace: 'a' })).allowed, true);
    const ops = { name: 'carol', groups: ['ops'] };
    assert.equal(rbac.authorize(resourceAttrs(ops, 'get', 'nodes', { name: 'n1' })).allowed, true);
    assert.equal(rbac.authorize(resourceAttrs(ops, 'get', 'nodes', { namespace: 'a' })).allowed, true);
  });

  it('says which role could not be found when nothing allows', () => {
    const d = rbac.authorize(resourceAttrs(alice, 'get', 'secrets', { namespace: 'b' }));
    assert.deepEqual(d, { allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "missing" not found' });
  });

  it('lists the rules a user holds in a namespace', () => {
    const rules = rbac.rulesFor(alice, 'a');
    assert.deepEqual(rules, {
      resourceRules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
      nonResourceRules: [],
      incomplete: false,
    });
    assert.equal(rbac.rulesFor(alice, 'b').incomplete, true);
  });

  it('is a union with the bootstrap authorizer: system:masters may do everything', async () => {
    const union = new UnionAuthorizer([new BootstrapAuthorizer(), rbac]);
    const admin = { name: 'admin', groups: ['system:masters'] };
    assert.equal((await union.authorize(resourceAttrs(admin, 'delete', 'nodes'))).allowed, true);
    assert.equal((await union.authorize(resourceAttrs(alice, 'get', 'pods', { namespace: 'a' }))).allowed, true);
    assert.equal((await union.authorize(resourceAttrs(alice, 'get', 'nodes'))).allowed, false);
    assert.deepEqual(union.rulesFor(admin, '').resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
  });
});
