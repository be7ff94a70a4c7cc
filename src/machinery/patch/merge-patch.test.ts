import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../errors.js';
import { applyMergePatch, createMergePatch, decodeMergePatch } from './merge-patch.js';

// RFC 7386 appendix A, plus evanphx/json-patch specifics.
const cases: Array<{ name: string; doc: unknown; patch: unknown; want: unknown }> = [
  { name: 'replace a value', doc: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'add a value', doc: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
  { name: 'null deletes', doc: { a: 'b' }, patch: { a: null }, want: {} },
  { name: 'null deletes one of two', doc: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
  { name: 'array replaces scalar', doc: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'scalar replaces array', doc: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
  { name: 'nested merge and delete', doc: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, want: { a: { b: 'd' } } },
  { name: 'arrays are replaced whole', doc: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
  {
    name: 'new object has its nulls pruned',
    doc: { e: null },
    patch: { a: 1, b: { c: null, d: 2 } },
    want: { e: null, a: 1, b: { d: 2 } },
  },
  { name: 'deleting a missing key is a no-op', doc: {}, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
  { name: 'null array elements are kept', doc: {}, patch: { a: [null, { b: null, c: 1 }] }, want: { a: [null, { c: 1 }] } },
  { name: 'object over scalar prunes nulls', doc: { a: 1 }, patch: { a: { b: null, c: 2 } }, want: { a: { c: 2 } } },
  {
    name: 'labels',
    doc: { metadata: { labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { a: null, c: '3' } } },
    want: { metadata: { labels: { b: '2', c: '3' } } },
  },
  { name: 'empty patch', doc: { a: 1 }, patch: {}, want: { a: 1 } },
  { name: 'array patch becomes the document', doc: { a: 1 }, patch: [{ b: null, c: 1 }], want: [{ c: 1 }] },
  {
    name: '__proto__ is an ordinary key',
    doc: {},
    patch: JSON.parse('{"__proto__":{"x":1}}') as unknown,
    want: JSON.parse('{"__proto__":{"x":1}}') as unknown,
  },
];

for (const c of cases) {
  test(`merge patch: ${c.name}`, () => {
    const before = JSON.stringify(c.doc);
    const got = applyMergePatch(c.doc, c.patch);
    assert.deepEqual(got, c.want);
    assert.equal(JSON.stringify(c.doc), before, 'original must not change');
    assert.equal(Object.getPrototypeOf(got), Array.isArray(got) ? Array.prototype : Object.prototype);
  });
}

for (const body of ['null', '"x"', '42', 'true', '{bad', '']) {
  test(`merge patch body ${JSON.stringify(body)} is 400 Invalid JSON Patch`, () => {
    assert.throws(
      () => decodeMergePatch(body),
      (err: unknown) => isStatusError(err, 'BadRequest') && err.status.message === 'Invalid JSON Patch',
    );
  });
}

test('decodeMergePatch accepts objects and arrays', () => {
  assert.deepEqual(decodeMergePatch(Buffer.from('{"a":null}')), { a: null });
  assert.deepEqual(decodeMergePatch('[1]'), [1]);
});

test('createMergePatch: adds, changes, deletions, nested and arrays', () => {
  const original = { a: 1, b: { c: 1, d: 2 }, e: [1, 2], f: 'same', g: { h: 1 }, gone: true };
  const modified = { a: 2, b: { c: 1, d: 3, n: null }, e: [1, 2, 3], f: 'same', g: { h: 1 }, added: { x: 1 } };
  const patch = createMergePatch(original, modified);
  assert.deepEqual(patch, { a: 2, b: { d: 3, n: null }, e: [1, 2, 3], added: { x: 1 }, gone: null });
});

test('createMergePatch round-trips through applyMergePatch', () => {
  const original = { metadata: { name: 'p', labels: { a: '1', b: '2' } }, spec: { replicas: 1, tpl: { c: [1] } } };
  const modified = { metadata: { name: 'p', labels: { b: '3', c: '4' } }, spec: { tpl: { c: [2] } } };
  assert.deepEqual(applyMergePatch(original, createMergePatch(original, modified)), modified);
  assert.deepEqual(createMergePatch(modified, modified), {});
});

test('createMergePatch: type changes replace', () => {
  assert.deepEqual(createMergePatch({ a: { b: 1 } }, { a: 'x' }), { a: 'x' });
  assert.deepEqual(createMergePatch({ a: 'x' }, { a: { b: 1 } }), { a: { b: 1 } });
  assert.deepEqual(createMergePatch({ a: 1 }, { a: '1' }), { a: '1' });
});
