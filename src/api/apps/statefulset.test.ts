import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { statefulSetPrinter, statefulSetStrategy } from './statefulset.js';
import { daemonSetPrinter, daemonSetStrategy } from './daemonset.js';

const NOW = Date.parse('2024-01-03T00:00:00Z');
const template = {
  metadata: { labels: { app: 'a' } },
  spec: { containers: [{ name: 'c', image: 'img' }], nodeSelector: { zone: 'z1', disk: 'ssd' } },
};

function sts(spec: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'db', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { selector: { matchLabels: { app: 'a' } }, template, serviceName: 'db', ...spec },
  };
}

test('statefulset defaults', () => {
  const s = sts({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] });
  statefulSetStrategy.defaults?.(s);
  const spec = s['spec'] as Record<string, unknown>;
  assert.equal(spec['podManagementPolicy'], 'OrderedReady');
  assert.deepEqual(spec['updateStrategy'], { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(spec['persistentVolumeClaimRetentionPolicy'], { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(spec['replicas'], 1);
  assert.equal(spec['revisionHistoryLimit'], 10);
  assert.deepEqual(spec['volumeClaimTemplates'], [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    },
  ]);
  assert.deepEqual(statefulSetStrategy.validate?.(s), []);
});

const stsCases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
  {
    name: 'pod management',
    spec: { podManagementPolicy: 'Fast' },
    want: ["spec.podManagementPolicy: Invalid value: \"Fast\": must be 'OrderedReady' or 'Parallel'"],
  },
  {
    name: 'update strategy',
    spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: {} } },
    want: ["spec.updateStrategy.rollingUpdate: Invalid value: {}: only allowed for updateStrategy 'RollingUpdate'"],
  },
  {
    name: 'retention',
    spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Retain' } },
    want: ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"'],
  },
  { name: 'selector', spec: { selector: undefined }, want: ['spec.selector: Required value'] },
];
for (const c of stsCases) {
  test(`statefulset validation: ${c.name}`, () => {
    const s = sts(c.spec);
    statefulSetStrategy.defaults?.(s);
    assert.deepEqual(
      (statefulSetStrategy.validate?.(s) ?? []).map((e) => `${e.field}: ${e.message}`),
      c.want,
    );
  });
}

test('statefulset update forbids other spec fields', () => {
  const old = sts();
  const next = sts({ serviceName: 'other', replicas: 4 });
  statefulSetStrategy.defaults?.(old);
  statefulSetStrategy.defaults?.(next);
  assert.deepEqual(
    (statefulSetStrategy.validateUpdate?.(next, old) ?? []).map((e) => `${e.field}: ${e.type}`),
    ['spec: FieldValueForbidden'],
  );
  const scaled = sts({ replicas: 4 });
  statefulSetStrategy.defaults?.(scaled);
  assert.deepEqual(statefulSetStrategy.validateUpdate?.(scaled, old), []);
});

test('statefulset printer', () => {
  const s = { ...sts({ replicas: 3 }), status: { readyReplicas: 1 } };
  assert.deepEqual(
    statefulSetPrinter.columns.map((c) => c.name),
    ['Name', 'Ready', 'Age', 'Containers', 'Images'],
  );
  assert.deepEqual(statefulSetPrinter.row(s, NOW), ['db', '1/3', '2d', 'c', 'img']);
});

test('daemonset defaults and validation', () => {
  const ds: KubeObject = { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'a' } }, template } };
  daemonSetStrategy.defaults?.(ds);
  const spec = ds['spec'] as Record<string, unknown>;
  assert.deepEqual(spec['updateStrategy'], { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(spec['revisionHistoryLimit'], 10);
  assert.deepEqual(daemonSetStrategy.validate?.(ds), []);
  spec['updateStrategy'] = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } };
  spec['selector'] = { matchLabels: { app: 'b' } };
  assert.deepEqual(
    (daemonSetStrategy.validate?.(ds) ?? []).map((e) => `${e.field}: ${e.message}`),
    [
      'spec.template.metadata.labels: Invalid value: {"app":"a"}: `selector` does not match template `labels`',
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero',
    ],
  );
});

test('daemonset printer', () => {
  const ds: KubeObject = {
    metadata: { name: 'agent', creationTimestamp: '2024-01-02T23:59:00Z' },
    spec: { selector: { matchLabels: { app: 'a' } }, template },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
  };
  assert.deepEqual(
    daemonSetPrinter.columns.map((c) => c.name),
    ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector'],
  );
  assert.deepEqual(daemonSetPrinter.row(ds, NOW), ['agent', 3, 3, 2, 3, 2, 'disk=ssd,zone=z1', '60s', 'c', 'img', 'app=a']);
});

test('statefulset containers may mount their volumeClaimTemplates by name', () => {
  const mounting = {
    metadata: { labels: { app: 'a' } },
    spec: { containers: [{ name: 'c', image: 'img', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
  };
  const s = sts({ template: mounting, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] });
  statefulSetStrategy.defaults?.(s);
  assert.deepEqual(statefulSetStrategy.validate?.(s), []);
  const unknown = sts({ template: mounting });
  statefulSetStrategy.defaults?.(unknown);
  assert.deepEqual(
    statefulSetStrategy.validate?.(unknown)?.map((e) => e.field),
    ['spec.template.spec.containers[0].volumeMounts[0].name'],
  );
});
