import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { clusterRoleBindingStrategy, roleBindingPrinter, roleBindingStrategy } from './binding.js';
import { clusterRoleStrategy, rolePrinter, roleStrategy } from './role.js';

const NOW = Date.parse('2024-01-01T03:00:00Z');
const msgs = (errs: { field: string; message: string }[] | undefined): string[] => (errs ?? []).map((e) => `${e.field}: ${e.message}`);

const ruleCases: { name: string; rule: Record<string, unknown>; namespaced: boolean; want: string[] }[] = [
  { name: 'valid', rule: { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, namespaced: true, want: [] },
  {
    name: 'no verbs',
    rule: { apiGroups: [''], resources: ['pods'] },
    namespaced: true,
    want: ['rules[0].verbs: Required value: verbs must contain at least one value'],
  },
  {
    name: 'no groups or resources',
    rule: { verbs: ['get'] },
    namespaced: true,
    want: [
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ],
  },
  {
    name: 'namespaced URLs',
    rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    namespaced: true,
    want: ['rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs'],
  },
  { name: 'cluster URLs', rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] }, namespaced: false, want: [] },
];
for (const c of ruleCases) {
  test(`policy rule: ${c.name}`, () => {
    const obj: KubeObject = { metadata: { name: 'r' }, rules: [c.rule] };
    assert.deepEqual(msgs((c.namespaced ? roleStrategy : clusterRoleStrategy).validate?.(obj)), c.want);
  });
}

test('cluster role aggregation rule', () => {
  assert.deepEqual(msgs(clusterRoleStrategy.validate?.({ metadata: { name: 'r' }, aggregationRule: {} })), [
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
});

test('role printer shows Created At', () => {
  assert.deepEqual(
    rolePrinter.columns.map((c) => `${c.name}:${c.type}`),
    ['Name:string', 'Created At:date'],
  );
  assert.deepEqual(rolePrinter.row({ metadata: { name: 'r', creationTimestamp: '2024-01-01T00:00:00Z' } }, NOW), [
    'r',
    '2024-01-01T00:00:00Z',
  ]);
});

function binding(subjects: unknown[], roleRef: Record<string, unknown> = { kind: 'Role', name: 'reader' }): KubeObject {
  return { metadata: { name: 'b', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' }, roleRef, subjects };
}

test('binding defaults apiGroups', () => {
  const b = binding([
    { kind: 'User', name: 'alice' },
    { kind: 'ServiceAccount', name: 'default', namespace: 'ns' },
  ]);
  roleBindingStrategy.defaults?.(b);
  assert.deepEqual(b['roleRef'], { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' });
  assert.deepEqual(b['subjects'], [
    { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'ServiceAccount', name: 'default', namespace: 'ns', apiGroup: '' },
  ]);
  assert.deepEqual(roleBindingStrategy.validate?.(b), []);
});

const bindingCases: { name: string; cluster: boolean; b: KubeObject; want: string[] }[] = [
  {
    name: 'bad subject kind',
    cluster: false,
    b: binding([{ kind: 'Robot', name: 'r2' }]),
    want: ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
  },
  { name: 'missing name', cluster: false, b: binding([{ kind: 'User' }]), want: ['subjects[0].name: Required value'] },
  {
    name: 'cluster binding to Role',
    cluster: true,
    b: binding([{ kind: 'ServiceAccount', name: 'sa' }]),
    want: ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"', 'subjects[0].namespace: Required value'],
  },
];
for (const c of bindingCases) {
  test(`binding validation: ${c.name}`, () => {
    const s = c.cluster ? clusterRoleBindingStrategy : roleBindingStrategy;
    s.defaults?.(c.b);
    assert.deepEqual(msgs(s.validate?.(c.b)), c.want);
  });
}

test('roleRef cannot change', () => {
  const old = binding([]);
  const next = binding([], { kind: 'ClusterRole', name: 'admin' });
  roleBindingStrategy.defaults?.(old);
  roleBindingStrategy.defaults?.(next);
  assert.deepEqual(
    (roleBindingStrategy.validateUpdate?.(next, old) ?? []).map((e) => `${e.field}: ${e.type}`),
    ['roleRef: FieldValueInvalid'],
  );
  assert.match(msgs(roleBindingStrategy.validateUpdate?.(next, old))[0] ?? '', /cannot change roleRef$/);
});

test('rolebinding printer', () => {
  const b = binding([
    { kind: 'User', name: 'a' },
    { kind: 'User', name: 'b' },
    { kind: 'Group', name: 'g' },
    { kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' },
  ]);
  assert.deepEqual(
    roleBindingPrinter.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Role:0', 'Age:0', 'Users:1', 'Groups:1', 'ServiceAccounts:1'],
  );
  assert.deepEqual(roleBindingPrinter.row(b, NOW), ['b', 'Role/reader', '3h', 'a, b', 'g', 'kube-system:sa']);
});
