import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateValue } from './validate.js';
import type { JSONSchemaProps } from './schema.js';

const schema: JSONSchemaProps = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', maximum: 1000000 },
        size: { type: 'string', enum: ['a', 'b'] },
        image: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        port: { 'x-kubernetes-int-or-string': true },
        items: {
          type: 'array',
          minItems: 1,
          maxItems: 2,
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        },
        tags: { type: 'array', uniqueItems: true, items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        note: { type: 'string', nullable: true },
        when: { type: 'string', format: 'date-time' },
      },
    },
  },
};

const cases: { name: string; spec: unknown; want: string[] }[] = [
  { name: 'valid', spec: { image: 'nginx', replicas: 3, port: 'http', note: null }, want: [] },
  {
    name: 'type',
    spec: { image: 'ab', replicas: 'three' },
    want: ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
  },
  {
    name: 'float for integer',
    spec: { image: 'ab', replicas: 1.5 },
    want: ['spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"'],
  },
  { name: 'required', spec: {}, want: ['spec.image: Required value'] },
  { name: 'enum', spec: { image: 'ab', size: 'x' }, want: ['spec.size: Unsupported value: "x": supported values: "a", "b"'] },
  {
    name: 'maximum',
    spec: { image: 'ab', replicas: 20 },
    want: ['spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10'],
  },
  {
    name: 'minimum',
    spec: { image: 'ab', replicas: 0 },
    want: ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1'],
  },
  {
    name: 'float bound',
    spec: { image: 'ab', ratio: 1000000.5 },
    want: ['spec.ratio: Invalid value: 1000000.5: spec.ratio in body should be less than or equal to 1e+06'],
  },
  { name: 'maxLength', spec: { image: 'abcdef' }, want: ['spec.image: Too long: may not be more than 5 bytes'] },
  { name: 'minLength', spec: { image: 'a' }, want: ['spec.image: Invalid value: "a": spec.image in body should be at least 2 chars long'] },
  { name: 'pattern', spec: { image: 'AB' }, want: ['spec.image: Invalid value: "AB": spec.image in body should match \'^[a-z]+$\''] },
  {
    name: 'int-or-string',
    spec: { image: 'ab', port: true },
    want: ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'],
  },
  { name: 'array items', spec: { image: 'ab', items: [{}] }, want: ['spec.items[0].name: Required value'] },
  {
    name: 'maxItems',
    spec: { image: 'ab', items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
    want: ['spec.items: Too many: 3: must have at most 2 items'],
  },
  {
    name: 'minItems',
    spec: { image: 'ab', items: [] },
    want: ['spec.items: Invalid value: 0: spec.items in body should have at least 1 items'],
  },
  {
    name: 'uniqueItems',
    spec: { image: 'ab', tags: ['x', 'x'] },
    want: ['spec.tags: Invalid value: "": spec.tags in body shouldn\'t contain duplicates'],
  },
  {
    name: 'additionalProperties',
    spec: { image: 'ab', labels: { a: 1 } },
    want: ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"'],
  },
  {
    name: 'null not nullable',
    spec: { image: null },
    want: ['spec.image: Invalid value: "null": spec.image in body must be of type string: "null"'],
  },
  {
    name: 'format',
    spec: { image: 'ab', when: 'yesterday' },
    want: ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"'],
  },
];

for (const c of cases) {
  test(`validateValue: ${c.name}`, () => {
    const got = validateValue(schema, { spec: c.spec }).map((e) => `${e.field}: ${e.message}`);
    assert.deepEqual(got, c.want);
  });
}

test('validateValue: missing spec at the root', () => {
  assert.deepEqual(
    validateValue(schema, {}).map((e) => `${e.field}: ${e.message}`),
    ['spec: Required value'],
  );
});

test('validateValue: anyOf failures have no field path, as upstream', () => {
  const s: JSONSchemaProps = { type: 'object', properties: { v: { type: 'integer', anyOf: [{ minimum: 5 }, { maximum: 1 }] } } };
  assert.deepEqual(
    validateValue(s, { v: 3 }).map((e) => `${e.field}: ${e.message}`),
    ['<nil>: Invalid value: "": "v" must validate at least one schema (anyOf)'],
  );
  assert.deepEqual(validateValue(s, { v: 7 }), []);
});
