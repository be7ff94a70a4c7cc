import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leasePrinter, leaseStrategy } from './lease.js';

const cases: { spec: Record<string, unknown>; want: string[] }[] = [
  { spec: { holderIdentity: 'a', leaseDurationSeconds: 15 }, want: [] },
  { spec: { leaseDurationSeconds: 0 }, want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'] },
  { spec: { leaseTransitions: -1 }, want: ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'] },
  { spec: { preferredHolder: 'b' }, want: ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined'] },
];
for (const c of cases) {
  test(`lease validation ${JSON.stringify(c.spec)}`, () => {
    assert.deepEqual(
      (leaseStrategy.validate?.({ metadata: { name: 'l' }, spec: c.spec }) ?? []).map((e) => `${e.field}: ${e.message}`),
      c.want,
    );
  });
}

test('lease printer', () => {
  assert.deepEqual(
    leasePrinter.columns.map((c) => c.name),
    ['Name', 'Holder', 'Age'],
  );
  const lease = { metadata: { name: 'kube-scheduler', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { holderIdentity: 'node-1_abc' } };
  assert.deepEqual(leasePrinter.row(lease, Date.parse('2024-01-02T00:00:00Z')), ['kube-scheduler', 'node-1_abc', '24h']);
  assert.equal(leasePrinter.row({ metadata: { name: 'x' } }, 0)[1], '');
});
