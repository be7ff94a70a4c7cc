import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../api/all-types.js';
import {
  bytes,
  double,
  field,
  int32,
  int64,
  intOrString,
  list,
  map,
  quantity,
  rawExtension,
  ref,
  string,
  time,
  type FieldDef,
} from '../../machinery/schema/dsl.js';
import { closure, definition, fieldSchema } from './schemas.js';
import type { JsonSchema } from './well-known.js';

const CORE = 'io.k8s.api.core.v1';

test('scalars map to upstream type/format or well-known references', () => {
  const cases: Array<{ name: string; def: FieldDef; v3: JsonSchema; v2: JsonSchema }> = [
    { name: 'int32', def: field(1, int32), v3: { type: 'integer', format: 'int32' }, v2: { type: 'integer', format: 'int32' } },
    { name: 'int64', def: field(1, int64), v3: { type: 'integer', format: 'int64' }, v2: { type: 'integer', format: 'int64' } },
    { name: 'double', def: field(1, double), v3: { type: 'number', format: 'double' }, v2: { type: 'number', format: 'double' } },
    { name: 'bytes', def: field(1, bytes), v3: { type: 'string', format: 'byte' }, v2: { type: 'string', format: 'byte' } },
    {
      name: 'time',
      def: field(1, time),
      v3: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }] },
      v2: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time' },
    },
    {
      name: 'quantity',
      def: field(1, quantity),
      v3: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' }] },
      v2: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' },
    },
    {
      name: 'intOrString',
      def: field(1, intOrString),
      v3: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }] },
      v2: { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
    },
    {
      name: 'rawExtension',
      def: field(1, rawExtension),
      v3: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.runtime.RawExtension' }] },
      v2: { $ref: '#/definitions/io.k8s.apimachinery.pkg.runtime.RawExtension' },
    },
    {
      name: 'map of quantity',
      def: field(1, map(quantity)),
      v3: { type: 'object', additionalProperties: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' } },
      v2: { type: 'object', additionalProperties: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' } },
    },
    {
      name: 'list of strings',
      def: field(1, list(string)),
      v3: { type: 'array', items: { type: 'string', default: '' } },
      v2: { type: 'array', items: { type: 'string' } },
    },
    {
      name: 'list of structs',
      def: field(1, list(ref(`${CORE}.Container`))),
      v3: { type: 'array', items: { allOf: [{ $ref: `#/components/schemas/${CORE}.Container` }], default: {} } },
      v2: { type: 'array', items: { $ref: `#/definitions/${CORE}.Container` } },
    },
  ];
  for (const c of cases) {
    assert.deepEqual(fieldSchema('f', c.def, false, 'v3'), c.v3, `${c.name} (v3)`);
    assert.deepEqual(fieldSchema('f', c.def, false, 'v2'), c.v2, `${c.name} (v2)`);
  }
});

test('well-known definitions are published as upstream does', () => {
  assert.deepEqual(definition('io.k8s.apimachinery.pkg.util.intstr.IntOrString', 'v3')?.['format'], 'int-or-string');
  assert.deepEqual(definition('io.k8s.apimachinery.pkg.util.intstr.IntOrString', 'v2')?.['type'], 'string');
  assert.equal(definition('io.k8s.apimachinery.pkg.apis.meta.v1.Time', 'v3')?.['format'], 'date-time');
  assert.equal(definition('io.k8s.apimachinery.pkg.api.resource.Quantity', 'v2')?.['type'], 'string');
  assert.equal(definition('io.k8s.apimachinery.pkg.runtime.RawExtension', 'v3')?.['type'], 'object');
});

test('Pod: kind markers, metadata and spec as non-pointer structs', () => {
  const pod = definition(`${CORE}.Pod`, 'v3') as JsonSchema & { properties: Record<string, JsonSchema> };
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(Object.keys(pod.properties), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.deepEqual(pod.properties['metadata'], {
    allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    default: {},
    description: pod.properties['metadata']?.['description'],
  });
  assert.equal(pod.properties['kind']?.['type'], 'string');
  assert.equal(pod['type'], 'object');
});

test('PodSpec.containers carries patch and list markers; Container.name is required', () => {
  const spec = definition(`${CORE}.PodSpec`, 'v3') as { properties: Record<string, JsonSchema>; required?: string[] };
  const containers = spec.properties['containers'] ?? {};
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.deepEqual(spec.required, ['containers']);
  const container = definition(`${CORE}.Container`, 'v3') as { properties: Record<string, JsonSchema>; required?: string[] };
  assert.deepEqual(container.required, ['name']);
  assert.deepEqual(container.properties['name'], {
    type: 'string',
    default: '',
    description: container.properties['name']?.['description'],
  });
  assert.deepEqual(container.properties['imagePullPolicy']?.['enum'], ['Always', 'IfNotPresent', 'Never']);
  const v2 = definition(`${CORE}.PodSpec`, 'v2') as { properties: Record<string, JsonSchema> };
  assert.equal(v2.properties['containers']?.['x-kubernetes-patch-merge-key'], 'name');
  assert.deepEqual(v2.properties['containers']?.['items'], { $ref: `#/definitions/${CORE}.Container` });
});

test('atomic structs are marked with x-kubernetes-map-type', () => {
  const selector = definition('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', 'v3');
  assert.equal(selector?.['x-kubernetes-map-type'], 'atomic');
});

test('closure reaches nested and well-known definitions', () => {
  const names = closure([`${CORE}.Pod`]);
  for (const want of [
    `${CORE}.Container`,
    `${CORE}.Probe`,
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
    'io.k8s.apimachinery.pkg.api.resource.Quantity',
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  ]) {
    assert.ok(names.includes(want), `closure lacks ${want}`);
  }
  assert.ok(!names.includes('io.k8s.api.apps.v1.Deployment'));
  assert.deepEqual(names, [...names].sort());
});
