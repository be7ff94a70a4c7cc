import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './fieldsv1.js';
import {
  deserializePathElement,
  fieldElement as f,
  indexElement,
  keyElement,
  pathString,
  serializePathElement,
  valueElement,
  type FieldPath,
} from './path-element.js';

const p = (...names: string[]): FieldPath => names.map(f);

test('path elements serialize as upstream FieldsV1 keys', () => {
  const cases: Array<[string, ReturnType<typeof f>, string]> = [
    ['field', f('image'), 'f:image'],
    ['key', keyElement({ name: 'c1' }), 'k:{"name":"c1"}'],
    ['multi-key sorted by name', keyElement({ protocol: 'TCP', containerPort: 80 }), 'k:{"containerPort":80,"protocol":"TCP"}'],
    ['set value', valueElement('foregroundDeletion'), 'v:"foregroundDeletion"'],
    ['numeric value', valueElement(5), 'v:5'],
    ['index', indexElement(3), 'i:3'],
    ['html escaped like Go', valueElement('a<b>&'), 'v:"a\\u003cb\\u003e\\u0026"'],
  ];
  for (const [name, pe, want] of cases) {
    assert.equal(serializePathElement(pe), want, name);
    assert.deepEqual(deserializePathElement(want), pe, `${name} round trip`);
  }
});

test('deserializePathElement rejects malformed keys and skips unknown kinds', () => {
  assert.throws(() => deserializePathElement('f'));
  assert.throws(() => deserializePathElement('fx'));
  assert.throws(() => deserializePathElement('i:x'));
  assert.equal(deserializePathElement('z:whatever'), undefined);
});

test('pathString prints paths as conflict messages do', () => {
  assert.equal(pathString(p('data', 'key')), '.data.key');
  assert.equal(pathString([f('spec'), f('containers'), keyElement({ name: 'c1' }), f('image')]), '.spec.containers[name="c1"].image');
  assert.equal(pathString([f('ports'), keyElement({ containerPort: 80, protocol: 'TCP' })]), '.ports[containerPort=80,protocol="TCP"]');
  assert.equal(pathString([f('metadata'), f('finalizers'), valueElement('x')]), '.metadata.finalizers[="x"]');
  assert.equal(pathString([f('args'), indexElement(0)]), '.args[0]');
});

test('FieldSet encodes members, children and "." as upstream', () => {
  const s = FieldSet.of(
    p('metadata', 'labels'),
    p('metadata', 'labels', 'app'),
    p('spec', 'replicas'),
    [f('spec'), f('containers'), keyElement({ name: 'c1' })],
    [f('spec'), f('containers'), keyElement({ name: 'c1' }), f('image')],
    [f('metadata'), f('finalizers'), valueElement('b')],
    [f('metadata'), f('finalizers'), valueElement('a')],
  );
  const v1 = s.toFieldsV1();
  assert.equal(
    JSON.stringify(v1),
    '{"f:metadata":{"f:finalizers":{"v:\\"a\\"":{},"v:\\"b\\"":{}},"f:labels":{".":{},"f:app":{}}},' +
      '"f:spec":{"f:containers":{"k:{\\"name\\":\\"c1\\"}":{".":{},"f:image":{}}},"f:replicas":{}}}',
  );
  assert.ok(FieldSet.fromFieldsV1(v1).equals(s));
});

test('FieldSet orders fields before keys before values before indexes', () => {
  const s = FieldSet.of([indexElement(1)], [valueElement('x')], [keyElement({ a: 1 })], [f('z')], [indexElement(0)]);
  assert.deepEqual(Object.keys(s.toFieldsV1()), ['f:z', 'k:{"a":1}', 'v:"x"', 'i:0', 'i:1']);
});

test('FieldSet.fromFieldsV1 drops unknown element kinds and rejects non-objects', () => {
  const s = FieldSet.fromFieldsV1({ 'f:a': {}, 'x:b': {}, 'f:c': { '.': {}, 'f:d': {} } });
  assert.ok(s.has(p('a')));
  assert.ok(s.has(p('c')));
  assert.ok(s.has(p('c', 'd')));
  assert.equal(s.size(), 3);
  assert.throws(() => FieldSet.fromFieldsV1([]));
  assert.throws(() => FieldSet.fromFieldsV1({ 'k:notjson': {} }));
});

test('FieldSet set algebra', () => {
  const a = FieldSet.of(p('a'), p('b', 'c'), p('b', 'd'));
  const b = FieldSet.of(p('b', 'c'), p('e'));
  const cases: Array<[string, FieldSet, FieldPath[]]> = [
    ['union', a.union(b), [p('a'), p('e'), p('b', 'c'), p('b', 'd')]],
    ['intersection', a.intersection(b), [p('b', 'c')]],
    ['difference', a.difference(b), [p('a'), p('b', 'd')]],
    ['difference the other way', b.difference(a), [p('e')]],
  ];
  for (const [name, got, want] of cases) {
    assert.deepEqual(got.paths().map(pathString), want.map(pathString), name);
  }
});

test('recursiveDifference removes whole subtrees under a member', () => {
  const a = FieldSet.of(p('status', 'replicas'), p('status', 'conditions'), p('spec', 'replicas'));
  const got = a.recursiveDifference(FieldSet.of(p('status')));
  assert.deepEqual(got.paths().map(pathString), ['.spec.replicas']);
  // plain difference keeps the children
  assert.equal(a.difference(FieldSet.of(p('status'))).size(), 3);
});

test('empty sets and the empty path', () => {
  const s = new FieldSet();
  s.insert([]);
  assert.ok(s.isEmpty());
  assert.deepEqual(s.toFieldsV1(), {});
  assert.ok(
    FieldSet.of(p('a'))
      .difference(FieldSet.of(p('a')))
      .isEmpty(),
  );
  assert.deepEqual(
    FieldSet.of(p('a', 'b'))
      .difference(FieldSet.of(p('a', 'b')))
      .toFieldsV1(),
    {},
  );
});

test('has and withPrefix', () => {
  const s = FieldSet.of(p('a', 'b', 'c'));
  assert.ok(s.has(p('a', 'b', 'c')));
  assert.ok(!s.has(p('a', 'b')));
  assert.ok(s.withPrefix(f('a')).has(p('b', 'c')));
  assert.ok(s.withPrefix(f('zz')).isEmpty());
});

test('stored FieldsV1 is read lazily and means the same as an eager parse', () => {
  const fields = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"c1"}': { '.': {}, 'f:image': {} } }, 'f:unknown': { 'x:odd': {} } },
    'f:status': { 'f:phase': {} },
  };
  const eager = FieldSet.fromFieldsV1(fields);
  const lazy = FieldSet.fromStoredFieldsV1(fields);
  const status = FieldSet.of(p('status', 'phase'));
  // an operation that only looks at status agrees, and the untouched rest still encodes the same
  assert.deepEqual(lazy.intersection(status).toFieldsV1(), eager.intersection(status).toFieldsV1());
  assert.deepEqual(lazy.difference(status).toFieldsV1(), eager.difference(status).toFieldsV1());
  assert.deepEqual(FieldSet.fromStoredFieldsV1(fields).toFieldsV1(), eager.toFieldsV1());
  assert.ok(FieldSet.fromStoredFieldsV1(fields).equals(eager));
  assert.throws(() => FieldSet.fromStoredFieldsV1([]), /must be a JSON object/);
  // a malformed key of a stored set throws where that node is first used
  const bad = FieldSet.fromStoredFieldsV1({ 'f:spec': { zz: {} } });
  assert.throws(() => bad.toFieldsV1(), /missing colon|2 characters/);
});

test('set operations return the set itself when nothing changes, and share untouched subtrees', () => {
  const a = FieldSet.of(p('a'), p('b', 'c'), p('b', 'd'), p('x', 'y', 'z'));
  assert.equal(a.union(FieldSet.of(p('b', 'c'))), a, 'union with a subset');
  assert.equal(a.union(new FieldSet()), a, 'union with nothing');
  assert.equal(a.difference(FieldSet.of(p('q'), p('b', 'e'))), a, 'difference with a disjoint set');
  assert.equal(a.recursiveDifference(FieldSet.of(p('x', 'q'))), a, 'recursive difference with a disjoint set');
  const grown = a.union(FieldSet.of(p('b', 'e')));
  assert.notEqual(grown, a);
  assert.equal(grown.withPrefix(f('x')), a.withPrefix(f('x')), 'the untouched subtree is shared');
  assert.deepEqual(grown.paths(), [p('a'), p('b', 'c'), p('b', 'd'), p('b', 'e'), p('x', 'y', 'z')]);
  const shrunk = a.difference(FieldSet.of(p('b', 'c')));
  assert.deepEqual(shrunk.paths(), [p('a'), p('b', 'd'), p('x', 'y', 'z')]);
  assert.equal(shrunk.withPrefix(f('x')), a.withPrefix(f('x')));
  assert.deepEqual(a.recursiveDifference(FieldSet.of(p('x'))).paths(), [p('a'), p('b', 'c'), p('b', 'd')]);
});

test('equals compares paths, whatever the shape of the nodes holding them', () => {
  const a = FieldSet.of(p('a'), p('b', 'c'));
  assert.ok(a.equals(FieldSet.of(p('b', 'c'), p('a'))));
  assert.ok(a.equals(a.union(FieldSet.of(p('b', 'c')))));
  const withEmptyChild = FieldSet.of(p('a'), p('b', 'c'));
  withEmptyChild.child(f('z'));
  assert.ok(a.equals(withEmptyChild) && withEmptyChild.equals(a), 'an empty child holds no path');
  assert.ok(!a.equals(FieldSet.of(p('a'))));
  assert.ok(!a.equals(FieldSet.of(p('a'), p('b', 'c'), p('b'))), 'a member and a prefix differ');
  assert.ok(!FieldSet.of(p('a'), p('b', 'c'), p('b')).equals(a));
  assert.ok(FieldSet.fromStoredFieldsV1({ 'f:a': {}, 'f:b': { 'f:c': {} } }).equals(a));
});
