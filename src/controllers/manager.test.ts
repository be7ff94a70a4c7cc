import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../apiserver/authz/rbac/bootstrap-policy.js';
import { CONTROLLER_ACCOUNTS } from './manager.js';

describe('the controller manager’s ServiceAccounts', () => {
  it('each has its system:controller:<name> ClusterRole, bound to kube-system/<name>', () => {
    const roles = new Set(bootstrapClusterRoles().map((r) => r.metadata.name));
    const bindings = bootstrapClusterRoleBindings();
    for (const account of CONTROLLER_ACCOUNTS) {
      const role = `system:controller:${account}`;
      assert.ok(roles.has(role), `${role} missing`);
      const binding = bindings.find((b) => (b['roleRef'] as { name: string }).name === role);
      assert.deepEqual(binding?.['subjects'], [{ kind: 'ServiceAccount', name: account, namespace: 'kube-system' }]);
    }
  });
});
