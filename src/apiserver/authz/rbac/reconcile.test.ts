import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rbacResources } from '../../../api/rbac/resources.js';
import { openSqliteStorage } from '../../../storage/sqlite/sqlite-storage.js';
import { ApiRegistry } from '../../api-registry.js';
import { managedFieldsTracker } from '../../registry/managed-fields-tracker.js';
import { uncovered } from './covers.js';
import type { PolicyRule } from './rules.js';
import { reconcileBinding, reconcileBootstrapPolicy, reconcileRole } from './reconcile.js';

describe('reconcile', () => {
  const desired = {
    kind: 'ClusterRole',
    metadata: { name: 'r', labels: { l: 'x' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
  };

  it('adds missing rules and metadata, keeping what the user added', () => {
    const existing = {
      kind: 'ClusterRole',
      metadata: { name: 'r', labels: { mine: 'y' } },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'secrets'] }],
    };
    const out = reconcileRole(existing, desired);
    assert.deepEqual(out?.['rules'], [
      { verbs: ['get'], apiGroups: [''], resources: ['pods', 'secrets'] },
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
    ]);
    assert.deepEqual(out?.metadata.labels, { mine: 'y', l: 'x' });
    assert.equal(reconcileRole(out ?? existing, desired), undefined);
  });

  it('adds missing subjects to a binding', () => {
    const want = { kind: 'ClusterRoleBinding', metadata: { name: 'b' }, subjects: [{ kind: 'Group', name: 'system:masters' }] };
    const have = { kind: 'ClusterRoleBinding', metadata: { name: 'b' }, subjects: [{ kind: 'User', name: 'me' }] };
    assert.deepEqual(reconcileBinding(have, want)?.['subjects'], [
      { kind: 'User', name: 'me' },
      { kind: 'Group', name: 'system:masters' },
    ]);
    assert.equal(reconcileBinding(want, want), undefined);
  });
});

describe('reconcileBootstrapPolicy', () => {
  it('creates the policy, completes autoupdate roles and leaves autoupdate=false ones alone', async () => {
    const storage = await openSqliteStorage({ path: ':memory:' });
    const registry = new ApiRegistry({ storage, tracker: managedFieldsTracker });
    try {
      for (const type of rbacResources) await registry.add(type);
      const clusterRoles = registry.lookup('rbac.authorization.k8s.io', 'v1', 'clusterroles');
      const clusterRoleBindings = registry.lookup('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings');
      assert.ok(clusterRoles && clusterRoleBindings);
      await reconcileBootstrapPolicy({ clusterRoles, clusterRoleBindings });
      const masters = await clusterRoleBindings.read('', 'cluster-admin');
      assert.deepEqual(masters?.obj['subjects'], [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]);
      const write = {
        user: { name: 'admin', groups: ['system:masters'] },
        dryRun: false,
        fieldManager: 't',
        fieldValidation: 'Ignore' as const,
        warnings: [],
      };
      const shrink = (name: string, autoupdate: string) =>
        clusterRoles.update(
          {
            namespace: '',
            name,
            tryUpdate: (cur) => {
              cur.metadata.annotations = { ...cur.metadata.annotations, 'rbac.authorization.kubernetes.io/autoupdate': autoupdate };
              cur['rules'] = [];
              return cur;
            },
          },
          write,
        );
      await shrink('system:discovery', 'true');
      await shrink('system:basic-user', 'false');
      await reconcileBootstrapPolicy({ clusterRoles, clusterRoleBindings });
      const discovery = (await clusterRoles.read('', 'system:discovery'))?.obj['rules'] as PolicyRule[] | undefined;
      assert.ok(discovery);
      assert.deepEqual(uncovered(discovery, [{ verbs: ['get'], nonResourceURLs: ['/api', '/apis/*', '/version'] }]), []);
      assert.deepEqual((await clusterRoles.read('', 'system:basic-user'))?.obj['rules'], []);
    } finally {
      registry.stop();
      await storage.close();
    }
  });
});
