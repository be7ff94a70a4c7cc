import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { pdbPrinter, pdbStrategy } from './pdb.js';

const pdb = (spec: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'web', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});

const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
  { name: 'min only', spec: { minAvailable: 2 }, want: [] },
  {
    name: 'both',
    spec: { minAvailable: 1, maxUnavailable: 1 },
    want: [
      'spec: Invalid value: {"selector":{"matchLabels":{"app":"web"}},"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set',
    ],
  },
  {
    name: 'over 100%',
    spec: { maxUnavailable: '150%' },
    want: ['spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
  },
  { name: 'negative', spec: { minAvailable: -1 }, want: ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'policy',
    spec: { unhealthyPodEvictionPolicy: 'Never' },
    want: ['spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"'],
  },
];
for (const c of cases) {
  test(`pdb validation: ${c.name}`, () =>
    assert.deepEqual(
      (pdbStrategy.validate?.(pdb(c.spec)) ?? []).map((e) => `${e.field}: ${e.message}`),
      c.want,
    ));
}

test('pdb status and printer', () => {
  const p = pdb({ minAvailable: '50%' });
  pdbStrategy.prepareForCreate?.(p);
  assert.deepEqual(p['status'], { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  p['status'] = { disruptionsAllowed: 2 };
  assert.deepEqual(
    pdbPrinter.columns.map((c) => c.name),
    ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
  );
  assert.deepEqual(pdbPrinter.row(p, Date.parse('2024-01-01T00:00:10Z')), ['web', '50%', 'N/A', 2, '10s']);
});
