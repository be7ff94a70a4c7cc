import { test } from 'node:test';
import assert from 'node:assert/strict';
import { customResourceType, type ServedVersion } from './custom-resource.js';
import type { KubeObject } from '../../machinery/object.js';

function version(overrides: Partial<ServedVersion> = {}): ServedVersion {
  return {
    group: 'stable.example.com',
    version: 'v1',
    storageVersion: 'v1',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList' },
    namespaced: true,
    schema: {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { color: { type: 'string' }, replicas: { type: 'integer', default: 2 } } },
        status: { type: 'object', properties: { ready: { type: 'boolean' } } },
      },
    },
    status: false,
    scale: undefined,
    columns: [],
    selectableFields: ['.spec.color'],
    deprecationWarning: undefined,
    ...overrides,
  };
}

const obj = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name: 'x', generation: 1 },
  spec: { color: 'red' },
  ...extra,
});

test('without a status subresource a status change moves the generation', () => {
  const t = customResourceType(version());
  const next = obj({ status: { ready: true } });
  t.strategy.prepareForUpdate?.(next, obj());
  assert.equal(next.metadata.generation, 2);
});

test('with a status subresource status is dropped on create', () => {
  const t = customResourceType(version({ status: true }));
  const o = obj({ status: { ready: true } });
  t.strategy.prepareForCreate?.(o);
  assert.equal(o['status'], undefined);
  const next = obj({ status: { ready: true } });
  t.strategy.prepareForUpdate?.(next, obj());
  assert.equal(next.metadata.generation, 1);
});

test('selectable fields are field labels', () => {
  const t = customResourceType(version());
  assert.deepEqual(t.strategy.selectableFields?.(obj()), { 'spec.color': 'red' });
  assert.deepEqual(t.strategy.selectableFields?.({ metadata: {} }), { 'spec.color': '' });
});

test('objects read from storage get defaults and the served version', () => {
  const t = customResourceType(version({ version: 'v1beta1', storageVersion: 'v1' }));
  const read = t.storage!.fromStorage(obj());
  assert.equal(read.apiVersion, 'stable.example.com/v1beta1');
  assert.deepEqual(read['spec'], { color: 'red', replicas: 2 });
  assert.equal(t.storage!.toStorage(read).apiVersion, 'stable.example.com/v1');
});

test('scale paths are validated as upstream', () => {
  const t = customResourceType(version({ scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } }));
  const msgs = (o: KubeObject): string[] => (t.strategy.validate?.(o) ?? []).map((e) => `${e.field}: ${e.message}`);
  assert.deepEqual(msgs(obj({ spec: { replicas: -1 } })), ['.spec.replicas: Invalid value: -1: should be a non-negative integer']);
  assert.deepEqual(msgs(obj({ spec: { replicas: 3 } })), []);
});

test('deprecated versions warn', () => {
  const t = customResourceType(version({ deprecationWarning: 'stable.example.com/v1 CronTab is deprecated' }));
  assert.deepEqual(t.strategy.warnings?.(obj()), ['stable.example.com/v1 CronTab is deprecated']);
});
