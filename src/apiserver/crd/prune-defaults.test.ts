import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneObject } from './prune.js';
import { applyDefaults, pruneNulls } from './defaults.js';
import { pruneAndDefault } from './custom-resource.js';
import type { JSONSchemaProps } from './schema.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        image: { type: 'string' },
        nested: { type: 'object', default: {}, properties: { mode: { type: 'string', default: 'fast' } } },
        items: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer', default: 10 } } },
        },
        free: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } },
        },
        opt: { type: 'string' },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

test('pruneObject drops unknown fields and reports their paths', () => {
  const obj = {
    apiVersion: 'a/v1',
    kind: 'K',
    metadata: { name: 'x', bogus: 1 },
    spec: {
      image: 'i',
      foo: 1,
      items: [{ name: 'n', extra: true }],
      free: { anything: 1, known: { a: 'x', b: 'y' } },
      labels: { k: 'v' },
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'y', z: 1 }, other: 2 },
    },
    top: 1,
  };
  const pruned = pruneObject(obj, schema);
  assert.deepEqual(pruned.sort(), [
    'metadata.bogus',
    'spec.foo',
    'spec.free.known.b',
    'spec.items[0].extra',
    'spec.template.other',
    'spec.template.spec.z',
    'top',
  ]);
  assert.deepEqual(obj, {
    apiVersion: 'a/v1',
    kind: 'K',
    metadata: { name: 'x' },
    spec: {
      image: 'i',
      items: [{ name: 'n' }],
      free: { anything: 1, known: { a: 'x' } },
      labels: { k: 'v' },
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'y' } },
    },
  });
});

test('applyDefaults fills missing and null fields, recursively inside defaults', () => {
  const obj: Record<string, unknown> = { metadata: {}, spec: { replicas: null, items: [{ name: 'a' }] } };
  applyDefaults(obj, schema);
  assert.deepEqual(obj['spec'], { replicas: 1, nested: { mode: 'fast' }, items: [{ name: 'a', weight: 10 }] });
});

test('applyDefaults does not invent objects without defaults', () => {
  const obj: Record<string, unknown> = { metadata: {} };
  applyDefaults(obj, schema);
  assert.deepEqual(obj, { metadata: {} });
});

test('pruneNulls drops non-nullable nulls without defaults', () => {
  const obj: Record<string, unknown> = { spec: { opt: null, image: 'x' } };
  pruneNulls(obj, schema);
  assert.deepEqual(obj, { spec: { image: 'x' } });
});

test('pruneAndDefault: prune first, then default', () => {
  const obj: Record<string, unknown> = { metadata: {}, spec: { bogus: 1 } };
  assert.deepEqual(pruneAndDefault(obj, schema), ['spec.bogus']);
  assert.deepEqual(obj['spec'], { replicas: 1, nested: { mode: 'fast' } });
});
