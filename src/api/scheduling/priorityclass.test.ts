import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { priorityClassPrinter, priorityClassStrategy } from './priorityclass.js';

const pc = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, creationTimestamp: '2024-01-01T00:00:00Z' },
  value: 1000,
  ...extra,
});
const msgs = (obj: KubeObject): string[] => {
  priorityClassStrategy.defaults?.(obj);
  return (priorityClassStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
};

const cases: { name: string; obj: KubeObject; want: string[] }[] = [
  { name: 'user class', obj: pc('high'), want: [] },
  {
    name: 'too high',
    obj: pc('high', { value: 1_000_000_001 }),
    want: ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
  },
  { name: 'system class', obj: pc('system-node-critical', { value: 2000001000 }), want: [] },
  {
    name: 'unknown system class',
    obj: pc('system-mine'),
    want: [
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ],
  },
  {
    name: 'wrong system value',
    obj: pc('system-cluster-critical'),
    want: [
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000",
    ],
  },
  {
    name: 'policy',
    obj: pc('p', { preemptionPolicy: 'Sometimes' }),
    want: ['preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"'],
  },
];
for (const c of cases) test(`priorityclass validation: ${c.name}`, () => assert.deepEqual(msgs(c.obj), c.want));

test('priorityclass defaults, update and printer', () => {
  const p = pc('high');
  priorityClassStrategy.defaults?.(p);
  assert.equal(p['preemptionPolicy'], 'PreemptLowerPriority');
  const changed = pc('high', { value: 5 });
  priorityClassStrategy.defaults?.(changed);
  assert.deepEqual(
    (priorityClassStrategy.validateUpdate?.(changed, p) ?? []).map((e) => `${e.field}: ${e.message}`),
    ['value: Forbidden: may not be changed in an update.'],
  );
  assert.deepEqual(
    priorityClassPrinter.columns.map((c) => c.name),
    ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
  );
  assert.deepEqual(priorityClassPrinter.row(p, Date.parse('2024-01-01T00:00:01Z')), ['high', 1000, false, '1s', 'PreemptLowerPriority']);
});
