import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { storageClassPrinter, storageClassStrategy } from './storageclass.js';

const sc = (extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'standard', creationTimestamp: '2024-01-01T00:00:00Z' },
  provisioner: 'rancher.io/local-path',
  ...extra,
});
const msgs = (obj: KubeObject): string[] => {
  storageClassStrategy.defaults?.(obj);
  return (storageClassStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
};

test('storageclass defaults', () => {
  const s = sc();
  assert.deepEqual(msgs(s), []);
  assert.equal(s['reclaimPolicy'], 'Delete');
  assert.equal(s['volumeBindingMode'], 'Immediate');
});

const cases: { name: string; extra: Record<string, unknown>; want: string[] }[] = [
  { name: 'no provisioner', extra: { provisioner: '' }, want: ['provisioner: Required value'] },
  {
    name: 'reclaim',
    extra: { reclaimPolicy: 'Recycle' },
    want: ['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'],
  },
  {
    name: 'binding mode',
    extra: { volumeBindingMode: 'Later' },
    want: ['volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"'],
  },
];
for (const c of cases) test(`storageclass validation: ${c.name}`, () => assert.deepEqual(msgs(sc(c.extra)), c.want));

test('storageclass update forbids provisioner and parameter changes', () => {
  const old = sc({ parameters: { a: 'b' } });
  const next = sc({ provisioner: 'other.io/x', parameters: { a: 'c' }, allowVolumeExpansion: true });
  storageClassStrategy.defaults?.(old);
  storageClassStrategy.defaults?.(next);
  assert.deepEqual(
    (storageClassStrategy.validateUpdate?.(next, old) ?? []).map((e) => `${e.field}: ${e.message}`),
    ['parameters: Forbidden: updates to parameters are forbidden.', 'provisioner: Forbidden: updates to provisioner are forbidden.'],
  );
});

test('storageclass printer', () => {
  const s = sc({
    metadata: {
      name: 'local',
      creationTimestamp: '2024-01-01T00:00:00Z',
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  assert.deepEqual(
    storageClassPrinter.columns.map((c) => c.name),
    ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
  );
  assert.deepEqual(storageClassPrinter.row(s, Date.parse('2024-01-01T00:01:00Z')), [
    'local (default)',
    'rancher.io/local-path',
    'Delete',
    'WaitForFirstConsumer',
    false,
    '60s',
  ]);
});
