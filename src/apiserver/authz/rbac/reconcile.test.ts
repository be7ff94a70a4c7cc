import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reconcileBinding, reconcileRole } from './reconcile.js';

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
