import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../errors.js';
import { applyJsonPatch, applyJsonPatchOperations, decodeJsonPatch, JsonPatchError, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
import type { JsonPatchOperation } from './json-patch.js';

const ops = (s: string): JsonPatchOperation[] => JSON.parse(s) as JsonPatchOperation[];

// Cases from RFC 6902 appendix A and evanphx/json-patch's own suite (v4 behaviour).
const applies: Array<{ name: string; doc: unknown; patch: string; want: unknown }> = [
  {
    name: 'add an object member',
    doc: { foo: 'bar' },
    patch: '[{"op":"add","path":"/baz","value":"qux"}]',
    want: { foo: 'bar', baz: 'qux' },
  },
  {
    name: 'add an array element',
    doc: { foo: ['bar', 'baz'] },
    patch: '[{"op":"add","path":"/foo/1","value":"qux"}]',
    want: { foo: ['bar', 'qux', 'baz'] },
  },
  { name: 'add with - appends', doc: { foo: [1, 2] }, patch: '[{"op":"add","path":"/foo/-","value":3}]', want: { foo: [1, 2, 3] } },
  { name: 'add at index == length appends', doc: { foo: [1] }, patch: '[{"op":"add","path":"/foo/1","value":2}]', want: { foo: [1, 2] } },
  {
    name: 'add with negative index counts from the end',
    doc: { foo: [1, 2] },
    patch: '[{"op":"add","path":"/foo/-1","value":3}]',
    want: { foo: [1, 2, 3] },
  },
  {
    name: 'add replaces an existing member',
    doc: { foo: 1 },
    patch: '[{"op":"add","path":"/foo","value":{"a":[1]}}]',
    want: { foo: { a: [1] } },
  },
  { name: 'add without value adds null', doc: {}, patch: '[{"op":"add","path":"/foo"}]', want: { foo: null } },
  {
    name: 'add nested member',
    doc: { a: { b: {} } },
    patch: '[{"op":"add","path":"/a/b/c","value":true}]',
    want: { a: { b: { c: true } } },
  },
  { name: 'remove an object member', doc: { baz: 'qux', foo: 'bar' }, patch: '[{"op":"remove","path":"/baz"}]', want: { foo: 'bar' } },
  {
    name: 'remove an array element',
    doc: { foo: ['bar', 'qux', 'baz'] },
    patch: '[{"op":"remove","path":"/foo/1"}]',
    want: { foo: ['bar', 'baz'] },
  },
  { name: 'remove with negative index', doc: { foo: [1, 2, 3] }, patch: '[{"op":"remove","path":"/foo/-1"}]', want: { foo: [1, 2] } },
  {
    name: 'replace a value',
    doc: { baz: 'qux', foo: 'bar' },
    patch: '[{"op":"replace","path":"/baz","value":"boo"}]',
    want: { baz: 'boo', foo: 'bar' },
  },
  {
    name: 'replace of a missing key adds it (v4)',
    doc: { foo: 1 },
    patch: '[{"op":"replace","path":"/bar","value":2}]',
    want: { foo: 1, bar: 2 },
  },
  { name: 'replace an array element', doc: { foo: [1, 2] }, patch: '[{"op":"replace","path":"/foo/0","value":9}]', want: { foo: [9, 2] } },
  { name: 'replace the whole document', doc: { foo: 1 }, patch: '[{"op":"replace","path":"","value":{"bar":2}}]', want: { bar: 2 } },
  {
    name: 'move a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: '[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]',
    want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'move an array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: '[{"op":"move","from":"/foo/1","path":"/foo/3"}]',
    want: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'copy a value (deep)',
    doc: { a: { b: [1] } },
    patch: '[{"op":"copy","from":"/a","path":"/c"},{"op":"add","path":"/c/b/-","value":2}]',
    want: { a: { b: [1] }, c: { b: [1, 2] } },
  },
  {
    name: 'test then add',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: '[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2},{"op":"add","path":"/x","value":1}]',
    want: { baz: 'qux', foo: ['a', 2, 'c'], x: 1 },
  },
  {
    name: 'test of an object ignores key order',
    doc: { a: { x: 1, y: [1, { z: 2 }] } },
    patch: '[{"op":"test","path":"/a","value":{"y":[1,{"z":2}],"x":1}}]',
    want: { a: { x: 1, y: [1, { z: 2 }] } },
  },
  {
    name: 'test of a missing key against null passes',
    doc: { a: 1 },
    patch: '[{"op":"test","path":"/missing","value":null}]',
    want: { a: 1 },
  },
  { name: 'test of the whole document', doc: { a: 1 }, patch: '[{"op":"test","path":"","value":{"a":1}}]', want: { a: 1 } },
  {
    name: 'escaped pointer tokens ~0 and ~1',
    doc: { 'a/b': 1, 'm~n': 2 },
    patch: '[{"op":"replace","path":"/a~1b","value":10},{"op":"remove","path":"/m~0n"}]',
    want: { 'a/b': 10 },
  },
  {
    name: 'label key with slash',
    doc: { metadata: { labels: { 'app.kubernetes.io/name': 'x' } } },
    patch: '[{"op":"remove","path":"/metadata/labels/app.kubernetes.io~1name"}]',
    want: { metadata: { labels: {} } },
  },
  { name: 'empty key', doc: { '': 1 }, patch: '[{"op":"replace","path":"/","value":2}]', want: { '': 2 } },
  { name: 'null patch is no operation', doc: { a: 1 }, patch: 'null', want: { a: 1 } },
];

for (const c of applies) {
  test(`json patch: ${c.name}`, () => {
    const before = JSON.stringify(c.doc);
    assert.deepEqual(applyJsonPatch(c.doc, c.patch), c.want);
    assert.equal(JSON.stringify(c.doc), before, 'original must not change');
  });
}

const failures: Array<{ name: string; doc: unknown; patch: string; message: string }> = [
  { name: 'test fails', doc: { a: 1 }, patch: '[{"op":"test","path":"/a","value":2}]', message: 'testing value /a failed: test failed' },
  {
    name: 'test of existing value without value fails',
    doc: { a: 1 },
    patch: '[{"op":"test","path":"/a"}]',
    message: 'testing value /a failed: test failed',
  },
  {
    name: 'test type mismatch',
    doc: { a: 1 },
    patch: '[{"op":"test","path":"/a","value":"1"}]',
    message: 'testing value /a failed: test failed',
  },
  {
    name: 'add under a missing parent',
    doc: {},
    patch: '[{"op":"add","path":"/a/b","value":1}]',
    message: 'add operation does not apply: doc is missing path: "/a/b": missing value',
  },
  {
    name: 'add with empty path',
    doc: {},
    patch: '[{"op":"add","path":"","value":1}]',
    message: 'add operation does not apply: doc is missing path: "": missing value',
  },
  {
    name: 'add past the end of an array',
    doc: { a: [1] },
    patch: '[{"op":"add","path":"/a/5","value":1}]',
    message: "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced",
  },
  {
    name: 'add with a bad array index',
    doc: { a: [1] },
    patch: '[{"op":"add","path":"/a/x","value":1}]',
    message: `error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
  },
  {
    name: 'remove a missing key',
    doc: { a: 1 },
    patch: '[{"op":"remove","path":"/b"}]',
    message: "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value",
  },
  {
    name: 'remove past the end',
    doc: { a: [] },
    patch: '[{"op":"remove","path":"/a/0"}]',
    message: "error in remove for path: '/a/0': Unable to access invalid index: 0: invalid index referenced",
  },
  {
    name: 'replace past the end',
    doc: { a: [1] },
    patch: '[{"op":"replace","path":"/a/1","value":2}]',
    message: 'replace operation does not apply: doc is missing key: /a/1: missing value',
  },
  {
    name: 'replace document with a scalar',
    doc: { a: 1 },
    patch: '[{"op":"replace","path":"","value":1}]',
    message: 'replace operation value must be object or array: %!w(<nil>)',
  },
  {
    name: 'move from a missing key',
    doc: { a: 1 },
    patch: '[{"op":"move","from":"/b","path":"/c"}]',
    message: "error in move for path: 'b': Unable to remove nonexistent key: b: missing value",
  },
  {
    name: 'copy without from',
    doc: { a: 1 },
    patch: '[{"op":"copy","path":"/c"}]',
    message: 'copy operation failed to decode from: operation, missing from field: missing value',
  },
  { name: 'unknown op', doc: {}, patch: '[{"op":"frobnicate","path":"/a"}]', message: 'Unexpected kind: frobnicate' },
  { name: 'missing op', doc: {}, patch: '[{"path":"/a"}]', message: 'Unexpected kind: unknown' },
  { name: 'null operation', doc: {}, patch: '[null]', message: 'Unexpected kind: unknown' },
  {
    name: 'traversal through a scalar',
    doc: { a: 'x' },
    patch: '[{"op":"add","path":"/a/b","value":1}]',
    message: 'add operation does not apply: doc is missing path: "/a/b": missing value',
  },
];

for (const c of failures) {
  test(`json patch fails: ${c.name}`, () => {
    assert.throws(
      () => applyJsonPatchOperations(c.doc, ops(c.patch)),
      (err: unknown) => err instanceof JsonPatchError && err.message === c.message,
      c.message,
    );
    // Through the apiserver entry point it is the generic 422 without causes.
    assert.throws(
      () => applyJsonPatch(c.doc, c.patch),
      (err: unknown) =>
        isStatusError(err, 'Invalid') &&
        err.code === 422 &&
        err.status.message === 'the server rejected our request due to an error in our request' &&
        err.status.details?.causes === undefined,
    );
  });
}

test('a failed operation leaves the document untouched (atomic)', () => {
  const doc = { a: 1 };
  assert.throws(() => applyJsonPatch(doc, '[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":3}]'));
  assert.deepEqual(doc, { a: 1 });
});

const badBodies: Array<[string, string]> = [
  ['{"op":"add"}', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
  ['"x"', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
  ['["add"]', 'json: cannot unmarshal string into Go value of type jsonpatch.Operation'],
  ['[{"op":"add",}]', `invalid character '}' looking for beginning of object key string`],
  ['', 'unexpected end of JSON input'],
];

for (const [body, message] of badBodies) {
  test(`malformed json patch body ${JSON.stringify(body)} is 400`, () => {
    assert.throws(
      () => decodeJsonPatch(body),
      (err: unknown) => isStatusError(err, 'BadRequest') && err.code === 400 && err.status.message === message,
    );
  });
}

test('more than the maximum number of operations is 413', () => {
  const body = JSON.stringify(Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/a' })));
  assert.throws(
    () => decodeJsonPatch(body),
    (err: unknown) =>
      isStatusError(err, 'RequestEntityTooLarge') &&
      err.status.message === `Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001`,
  );
});

test('copy growth beyond the limit fails', () => {
  const doc = { a: 'x'.repeat(60) };
  const patch = ops('[{"op":"copy","from":"/a","path":"/b"},{"op":"copy","from":"/a","path":"/c"}]');
  assert.deepEqual(applyJsonPatchOperations(doc, patch, { accumulatedCopySizeLimit: 200 }), { a: doc.a, b: doc.a, c: doc.a });
  assert.throws(
    () => applyJsonPatchOperations(doc, patch, { accumulatedCopySizeLimit: 100 }),
    /accumulated size increase of copy is 124, exceeding the limit 100/,
  );
});
