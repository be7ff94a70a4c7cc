import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { replicaSetPrinter, replicaSetStrategy } from './replicaset.js';
import { controllerRevisionPrinter, controllerRevisionStrategy } from './controllerrevision.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');
const meta = { name: 'rs', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' };
const template = {
  metadata: { labels: { app: 'a' } },
  spec: {
    containers: [
      { name: 'c', image: 'img' },
      { name: 'd', image: 'img2' },
    ],
  },
};

test('replicaset defaults, status and field labels', () => {
  const rs: KubeObject = { metadata: { ...meta }, spec: { selector: { matchLabels: { app: 'a' } }, template }, status: { replicas: 9 } };
  replicaSetStrategy.defaults?.(rs);
  replicaSetStrategy.prepareForCreate?.(rs);
  assert.equal((rs['spec'] as Record<string, unknown>)['replicas'], 1);
  assert.deepEqual(rs['status'], { replicas: 0 });
  assert.deepEqual(replicaSetStrategy.validate?.(rs), []);
  assert.deepEqual(replicaSetStrategy.selectableFields?.({ metadata: {} }), { 'status.replicas': '0' });
});

test('replicaset validation messages', () => {
  const rs: KubeObject = { metadata: { ...meta }, spec: { replicas: 1, selector: { matchLabels: { app: 'b' } }, template } };
  assert.deepEqual(
    (replicaSetStrategy.validate?.(rs) ?? []).map((e) => e.field),
    ['spec.template.metadata.labels'],
  );
  const status: KubeObject = { metadata: { ...meta }, status: { replicas: 1, readyReplicas: 2 } };
  assert.deepEqual(
    (replicaSetStrategy.validateStatusUpdate?.(status, status) ?? []).map((e) => `${e.field}: ${e.message}`),
    ['status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas'],
  );
});

test('replicaset printer', () => {
  const rs: KubeObject = {
    metadata: { ...meta },
    spec: { replicas: 3, selector: { matchLabels: { app: 'a' } }, template },
    status: { replicas: 2, readyReplicas: 1 },
  };
  assert.deepEqual(
    replicaSetPrinter.columns.map((c) => c.name),
    ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
  );
  assert.deepEqual(replicaSetPrinter.row(rs, NOW), ['rs', 3, 2, 1, '60m', 'c,d', 'img,img2', 'app=a']);
  assert.equal(replicaSetPrinter.row({ metadata: { name: 'x' } }, NOW)[7], '<none>');
});

test('controllerrevision validation and printer', () => {
  const cr: KubeObject = {
    metadata: { ...meta, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u', controller: true }] },
    revision: 2,
  };
  assert.deepEqual(
    (controllerRevisionStrategy.validate?.(cr) ?? []).map((e) => `${e.field}: ${e.message}`),
    ['data: Required value: data is mandatory'],
  );
  assert.deepEqual(controllerRevisionPrinter.row(cr, NOW), ['rs', 'daemonset.apps/ds', 2, '60m']);
  assert.equal(controllerRevisionPrinter.row({ metadata: { name: 'x' } }, NOW)[1], '<none>');
  const changed = { ...cr, data: { b: 1 } };
  assert.deepEqual(
    (controllerRevisionStrategy.validateUpdate?.(changed, { ...cr, data: { a: 1 } }) ?? []).map((e) => e.field),
    ['data'],
  );
});
