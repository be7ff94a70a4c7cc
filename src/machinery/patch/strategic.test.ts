import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { defineTypes, field, int64, list, map, rawExtension, ref, string } from '../schema/dsl.js';
import { isStatusError } from '../errors.js';
import { applyStrategicMergePatch } from './strategic.js';

// A copy of upstream's MergeItem test struct (strategicpatch/patch_test.go), declared in our DSL.
const ITEM = 'test.patch.v1.MergeItem';
const RETAIN_ITEM = 'test.patch.v1.RetainKeysMergeItem';
defineTypes(
  {
    name: ITEM,
    fields: {
      name: field(1, string),
      value: field(2, string),
      other: field(3, string),
      mergingList: field(4, list(ref(ITEM)), undefined, { patchStrategy: 'merge', patchMergeKey: 'name' }),
      nonMergingList: field(5, list(ref(ITEM))),
      mergingIntList: field(6, list(int64), undefined, { patchStrategy: 'merge' }),
      nonMergingIntList: field(7, list(int64)),
      mergeItemPtr: field(8, list(ref(ITEM)), undefined, { patchStrategy: 'merge', patchMergeKey: 'name' }),
      simpleMap: field(9, map(string)),
      replacingItem: field(10, rawExtension, undefined, { patchStrategy: 'replace' }),
      retainKeysMap: field(11, ref(RETAIN_ITEM), undefined, { patchStrategy: 'retainKeys' }),
      retainKeysMergingList: field(12, list(ref(ITEM)), undefined, { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
    },
  },
  {
    name: RETAIN_ITEM,
    fields: {
      name: field(1, string),
      value: field(2, string),
      other: field(3, string),
      simpleMap: field(4, map(string)),
      mergingIntList: field(5, list(int64), undefined, { patchStrategy: 'merge' }),
      mergingList: field(6, list(ref(ITEM)), undefined, { patchStrategy: 'merge', patchMergeKey: 'name' }),
      nonMergingList: field(7, list(ref(ITEM))),
    },
  },
);

interface Case {
  name: string;
  original: string;
  patch: string;
  want: string;
}

const y = (s: string): unknown => parse(s) ?? {};

function check(c: Case, typeName = ITEM): void {
  const original = y(c.original);
  const before = JSON.stringify(original);
  const got = applyStrategicMergePatch(original, y(c.patch), typeName);
  assert.deepEqual(got, y(c.want));
  assert.equal(JSON.stringify(original), before, 'original must not change');
}

// Cases ported from upstream's customStrategicMergePatchTestCaseData and the two-way/three-way
// tables (applying the expected patch to original/current yields modified/result).
const upstream: Case[] = [
  { name: 'nil patch', original: 'name: 1\nvalue: 1', patch: '{}', want: 'name: 1\nvalue: 1' },
  { name: 'add field to map', original: 'name: 1', patch: 'value: 1', want: 'name: 1\nvalue: 1' },
  { name: 'add field and delete field from map', original: 'name: 1', patch: 'name: null\nvalue: 1', want: 'value: 1' },
  {
    name: 'delete field from nested map',
    original: 'simpleMap:\n  key1: 1\n  key2: 1',
    patch: 'simpleMap:\n  key2: null',
    want: 'simpleMap:\n  key1: 1',
  },
  { name: 'delete all fields from map', original: 'name: 1\nvalue: 1', patch: 'name: null\nvalue: null', want: '{}' },
  {
    name: 'unique scalars when merging lists',
    original: 'mergingIntList: [1, 2]',
    patch: 'mergingIntList: [2, 3]',
    want: 'mergingIntList: [1, 2, 3]',
  },
  {
    name: 'delete map from nested map',
    original: 'simpleMap:\n  key1: 1\n  key2: 1',
    patch: 'simpleMap:\n  $patch: delete',
    want: 'simpleMap: {}',
  },
  {
    name: 'delete all items from merging list',
    original: 'mergingList:\n- name: 1\n- name: 2',
    patch: 'mergingList:\n- $patch: replace',
    want: 'mergingList: []',
  },
  { name: 'merge empty merging lists', original: 'mergingList: []', patch: 'mergingList: []', want: 'mergingList: []' },
  {
    name: 'empty patch list keeps a merging list',
    original: 'mergingList:\n- name: 1',
    patch: 'mergingList: []',
    want: 'mergingList:\n- name: 1',
  },
  { name: 'delete all keys from map ($patch: replace)', original: 'name: 1\nvalue: 1', patch: '$patch: replace', want: '{}' },
  { name: 'add key and delete all keys from map', original: 'name: 1\nvalue: 1', patch: 'other: a\n$patch: replace', want: 'other: a' },
  { name: '$patch: delete at the top level', original: 'name: 1', patch: '$patch: delete', want: '{}' },
  {
    name: 'delete all duplicate entries in a merging list',
    original: 'mergingList:\n- name: 1\n- name: 1\n- name: 2\n  value: a\n- name: 3\n- name: 3',
    patch: 'mergingList:\n- name: 1\n  $patch: delete\n- name: 3\n  $patch: delete',
    want: 'mergingList:\n- name: 2\n  value: a',
  },
  {
    name: 'replace list of scalars',
    original: 'nonMergingIntList: [1, 2]',
    patch: 'nonMergingIntList: [2, 3]',
    want: 'nonMergingIntList: [2, 3]',
  },
  {
    // Upstream compares merging lists sorted; the real order puts patch items the live list
    // does not know first (no $setElementOrder to say otherwise).
    name: 'merge lists of maps (new items first)',
    original: 'mergingList:\n- name: 1\n  value: a',
    patch: 'mergingList:\n- name: 2\n  value: b',
    want: 'mergingList:\n- name: 2\n  value: b\n- name: 1\n  value: a',
  },
  {
    name: 'add field to map in merging list',
    original: 'mergingList:\n- name: 1\n- name: 2\n  value: 2',
    patch: 'mergingList:\n- name: 1\n  value: 1',
    want: 'mergingList:\n- name: 1\n  value: 1\n- name: 2\n  value: 2',
  },
  {
    name: 'delete missing map from merging list',
    original: 'mergingList:\n- name: 1',
    patch: 'mergingList:\n- name: 9\n  $patch: delete',
    want: 'mergingList:\n- name: 1',
  },
  {
    name: 'add map and delete map from merging list',
    original: 'merginglist: x\nmergingList:\n- name: 1\n- name: 2',
    patch: 'mergingList:\n- name: 3\n- name: 1\n  $patch: delete',
    want: 'merginglist: x\nmergingList:\n- name: 3\n- name: 2',
  },
  {
    name: 'delete field from map in merging list',
    original: 'mergingList:\n- name: 1\n  value: 1\n- name: 2\n  value: 2',
    patch: 'mergingList:\n- name: 1\n  value: null',
    want: 'mergingList:\n- name: 1\n- name: 2\n  value: 2',
  },
  {
    name: 'replace non merging list nested in merging list',
    original: 'mergingList:\n- name: 1\n  nonMergingList:\n  - name: 1\n  - name: 2\n    value: 2\n- name: 2',
    patch: 'mergingList:\n- name: 1\n  nonMergingList:\n  - name: 1\n    value: 1',
    want: 'mergingList:\n- name: 1\n  nonMergingList:\n  - name: 1\n    value: 1\n- name: 2',
  },
  {
    name: 'add field to map in merging list nested in merging list',
    original: 'mergingList:\n- name: 1\n  mergingList:\n  - name: 1\n  - name: 2\n    value: 2\n- name: 2',
    patch: 'mergingList:\n- name: 1\n  mergingList:\n  - name: 1\n    value: 1',
    want: 'mergingList:\n- name: 1\n  mergingList:\n  - name: 1\n    value: 1\n  - name: 2\n    value: 2\n- name: 2',
  },
  {
    name: 'preserve the order from the patch in a merging list',
    original: 'mergingList:\n- name: 1\n- name: 2\n  value: b\n- name: 3',
    patch: 'mergingList:\n- name: 3\n  value: c\n- name: 1\n  value: a\n- name: 2\n  other: x',
    want: 'mergingList:\n- name: 3\n  value: c\n- name: 1\n  value: a\n- name: 2\n  value: b\n  other: x',
  },
  {
    name: 'preserve the order from the patch in a merging list 2',
    original: 'mergingList:\n- name: 1\n- name: 2\n  value: b\n- name: 3',
    patch: 'mergingList:\n- name: 3\n  value: c\n- name: 1\n  value: a',
    want: 'mergingList:\n- name: 2\n  value: b\n- name: 3\n  value: c\n- name: 1\n  value: a',
  },
  {
    name: 'preserve the order from the patch in a merging int list',
    original: 'mergingIntList: [1, 2, 3]',
    patch: 'mergingIntList: [3, 1, 2]',
    want: 'mergingIntList: [3, 1, 2]',
  },
  {
    name: 'preserve the order from the patch in a merging int list 2',
    original: 'mergingIntList: [1, 2, 3]',
    patch: 'mergingIntList: [3, 1]',
    want: 'mergingIntList: [2, 3, 1]',
  },
  {
    name: 'set elements order in a list',
    original: 'mergingList:\n- name: 1\n- name: 3\n  value: 3\n- name: 4\n  value: 4\n- name: 2\n  value: 2',
    patch: '$setElementOrder/mergingList:\n- name: 4\n- name: 2\n- name: 3\n- name: 1',
    want: 'mergingList:\n- name: 4\n  value: 4\n- name: 2\n  value: 2\n- name: 3\n  value: 3\n- name: 1',
  },
  {
    name: 'set elements order in a list with server-only items',
    original: 'mergingList:\n- name: 1\n  other: a\n- name: 3\n  value: 3\n- name: 4\n  value: 4\n- name: 2\n  value: 2\n- name: 9',
    patch: '$setElementOrder/mergingList:\n- name: 4\n- name: 2\n- name: 3\n- name: 1',
    want: 'mergingList:\n- name: 4\n  value: 4\n- name: 2\n  value: 2\n- name: 3\n  value: 3\n- name: 1\n  other: a\n- name: 9',
  },
  {
    name: 'set elements order in a list with server-only items 2',
    original: 'mergingList:\n- name: 1\n  other: a\n- name: 2\n  value: 2\n- name: 9\n- name: 3\n  value: 3\n- name: 4\n  value: 4',
    patch: '$setElementOrder/mergingList:\n- name: 2\n- name: 1\n- name: 4\n- name: 3',
    want: 'mergingList:\n- name: 2\n  value: 2\n- name: 1\n  other: a\n- name: 9\n- name: 4\n  value: 4\n- name: 3\n  value: 3',
  },
  {
    name: 'set elements order in a list with server-only items 3',
    original:
      'mergingList:\n- name: 1\n  other: a\n- name: 2\n  value: 2\n- name: 7\n- name: 9\n- name: 8\n- name: 3\n  value: 3\n- name: 4\n  value: 4',
    patch: '$setElementOrder/mergingList:\n- name: 2\n- name: 1\n- name: 4\n- name: 3',
    want: 'mergingList:\n- name: 2\n  value: 2\n- name: 1\n  other: a\n- name: 7\n- name: 9\n- name: 8\n- name: 4\n  value: 4\n- name: 3\n  value: 3',
  },
  {
    name: 'add an item in a list and preserve order with $setElementOrder',
    original: 'mergingList:\n- name: 1\n- name: 3\n  value: 3\n- name: 2',
    patch: '$setElementOrder/mergingList:\n- name: 1\n- name: 4\n- name: 3\n- name: 2\nmergingList:\n- name: 4\n  value: 4',
    want: 'mergingList:\n- name: 1\n- name: 4\n  value: 4\n- name: 3\n  value: 3\n- name: 2',
  },
  {
    name: 'set elements order in an int list with server-only items',
    original: 'mergingIntList: [1, 3, 4, 2, 9]',
    patch: '$setElementOrder/mergingIntList: [4, 2, 3, 1]',
    want: 'mergingIntList: [4, 2, 3, 1, 9]',
  },
  {
    name: 'add and delete in an int list with $setElementOrder',
    original: 'mergingIntList: [1, 3, 2]',
    patch: '$setElementOrder/mergingIntList: [1, 4, 2]\n$deleteFromPrimitiveList/mergingIntList: [3]\nmergingIntList: [4]',
    want: 'mergingIntList: [1, 4, 2]',
  },
  {
    name: '$setElementOrder contains an item not present in the list',
    original: 'mergingList:\n- name: 1\n- name: 3',
    patch: '$setElementOrder/mergingList:\n- name: 3\n- name: 2\n- name: 1\nmergingList:\n- name: 3\n  value: 3\n- name: 1\n  value: 1',
    want: 'mergingList:\n- name: 3\n  value: 3\n- name: 1\n  value: 1',
  },
  {
    name: 'set element order for a merging list with duplicates',
    original: 'mergingList:\n- name: 1\n- name: 2\n  value: dup1\n- name: 3\n- name: 2\n  value: dup2\n- name: 4',
    patch: '$setElementOrder/mergingList:\n- name: 2\n- name: 1\n- name: 4\n- name: 3\n- name: 2',
    want: 'mergingList:\n- name: 2\n  value: dup1\n- name: 2\n  value: dup2\n- name: 1\n- name: 4\n- name: 3',
  },
  {
    name: 'set element order for an int list with duplicates',
    original: 'mergingIntList: [1, 2, 3, 2, 4]',
    patch: '$setElementOrder/mergingIntList: [2, 1, 4, 3, 2]',
    want: 'mergingIntList: [2, 2, 1, 4, 3]',
  },
  {
    name: 'delete and reorder in one list, reorder in another',
    original: 'mergingList:\n- name: a\n  value: a\n- name: b\n  value: b\nmergeItemPtr:\n- name: c\n  value: c\n- name: d\n  value: d',
    patch:
      '$setElementOrder/mergingList:\n- name: b\n$setElementOrder/mergeItemPtr:\n- name: d\n- name: c\nmergingList:\n- $patch: delete\n  name: a',
    want: 'mergingList:\n- name: b\n  value: b\nmergeItemPtr:\n- name: d\n  value: d\n- name: c\n  value: c',
  },
  {
    name: '$deleteFromPrimitiveList of a missing item',
    original: 'mergingIntList: [1, 2]',
    patch: '$deleteFromPrimitiveList/mergingIntList: [3]',
    want: 'mergingIntList: [1, 2]',
  },
  {
    name: '$deleteFromPrimitiveList on a null list',
    original: 'mergingIntList:',
    patch: '$deleteFromPrimitiveList/mergingIntList: [3]',
    want: 'mergingIntList:',
  },
  {
    name: '$deleteFromPrimitiveList on a missing list',
    original: 'foo: [bar]',
    patch: '$deleteFromPrimitiveList/mergingIntList: [3]',
    want: 'foo: [bar]',
  },
  {
    name: '$deleteFromPrimitiveList deletes from a merge list',
    original: 'mergingIntList: [1, 2, 3]',
    patch: '$deleteFromPrimitiveList/mergingIntList: [2]',
    want: 'mergingIntList: [1, 3]',
  },
  {
    name: '$deleteFromPrimitiveList deletes from a non-merge list',
    original: 'nonMergingIntList: [1, 2, 3]',
    patch: '$deleteFromPrimitiveList/nonMergingIntList: [2]',
    want: 'nonMergingIntList: [1, 3]',
  },
  {
    name: 'retainKeys map can add a field without directive',
    original: 'retainKeysMap:\n  name: foo',
    patch: 'retainKeysMap:\n  value: bar',
    want: 'retainKeysMap:\n  name: foo\n  value: bar',
  },
  {
    name: 'retainKeys map merge an empty map',
    original: 'retainKeysMap:\n  name: foo\n  value: a',
    patch: 'retainKeysMap: {}',
    want: 'retainKeysMap:\n  name: foo\n  value: a',
  },
  {
    name: 'retainKeys map clears a defaulted field',
    original: 'retainKeysMap:\n  value: foo',
    patch: 'retainKeysMap:\n  $retainKeys: [other]\n  other: bar',
    want: 'retainKeysMap:\n  other: bar',
  },
  {
    name: 'retainKeys discriminated union',
    original: 'retainKeysMap:\n  name: type1\n  value: foo',
    patch: 'retainKeysMap:\n  $retainKeys: [name, other]\n  name: type2\n  other: bar',
    want: 'retainKeysMap:\n  name: type2\n  other: bar',
  },
  {
    name: 'retainKeys map deletes nested merging int list',
    original: 'retainKeysMap:\n  name: foo\n  mergingIntList: [1, 2]',
    patch: 'retainKeysMap:\n  $retainKeys: [name]',
    want: 'retainKeysMap:\n  name: foo',
  },
  {
    name: 'retainKeys list of maps clears a field',
    original: 'retainKeysMergingList:\n- name: bar\n- name: foo\n  value: a\n  other: x',
    patch:
      '$setElementOrder/retainKeysMergingList:\n- name: bar\n- name: foo\nretainKeysMergingList:\n- $retainKeys: [name, value]\n  name: foo',
    want: 'retainKeysMergingList:\n- name: bar\n- name: foo\n  value: a',
  },
  {
    name: 'replace RawExtension field (patchStrategy replace)',
    original: 'name: my-object\nreplacingItem:\n  Some: Generic\n  Yaml: Inside',
    patch: 'replacingItem:\n  Newly: Modified\n  Yaml: Inside',
    want: 'name: my-object\nreplacingItem:\n  Newly: Modified\n  Yaml: Inside',
  },
];

for (const c of upstream) test(`smp: ${c.name}`, () => check(c));

// Unknown fields (TestUnknownField): maps merge, nulls of new values are discarded, lists replace.
const unknown: Case[] = [
  {
    name: 'unknown: discard nulls in new nested value',
    original: 'name: foo',
    patch: 'complex_nullable:\n  key:\n    keynotnull: value\n    keynull: null',
    want: 'name: foo\ncomplex_nullable:\n  key:\n    keynotnull: value',
  },
  { name: 'unknown: all-null new map leaves empty map', original: '{}', patch: 'complex:\n  nested: null', want: 'complex: {}' },
  {
    name: 'unknown: nulls in original are preserved',
    original: 'thing: null\ncomplex:\n  key: null',
    patch: 'nested:\n  value: 5',
    want: 'thing: null\ncomplex:\n  key: null\nnested:\n  value: 5',
  },
  {
    name: 'unknown: filter nulls from nested slices',
    original: '{}',
    patch: 'complex_nullable:\n- inner_one:\n    key_one: foo\n    key_two: null',
    want: 'complex_nullable:\n- inner_one:\n    key_one: foo',
  },
  {
    name: 'unknown: keep null elements of scalar slices',
    original: '{}',
    patch: 'complex_nullable: [key1, null, key2]',
    want: 'complex_nullable: [key1, null, key2]',
  },
  {
    name: 'unknown: nested maps merge',
    original: 'complex:\n  nested: true\n  keep: 1',
    patch: 'complex:\n  nested: false',
    want: 'complex:\n  nested: false\n  keep: 1',
  },
  { name: 'unknown: lists replace', original: 'array: [1, 2, 3]', patch: 'array: [4]', want: 'array: [4]' },
  {
    name: 'unknown: removed fields',
    original: 'name: foo\nscalar: true\ncomplex:\n  nested: true\narray: [1]',
    patch: 'complex: null\nscalar: null',
    want: 'name: foo\narray: [1]',
  },
  { name: 'type change replaces', original: 'simpleMap:\n  a: b', patch: 'simpleMap: [1]', want: 'simpleMap: [1]' },
  {
    name: 'directives in a new value are dropped',
    original: '{}',
    patch: 'mergingList:\n- name: 1\n- name: 2\n  $patch: delete\nsimpleMap:\n  $patch: replace\n  a: b',
    want: 'mergingList:\n- name: 1',
  },
];

for (const c of unknown) test(`smp: ${c.name}`, () => check(c));

interface ErrorCase {
  name: string;
  original: string;
  patch: string;
  code: number;
  reason?: string;
  message: string | RegExp;
}

const errors: ErrorCase[] = [
  {
    name: 'missing merge key',
    original: 'mergingList:\n- name: 1\n  value: a',
    patch: 'mergingList:\n- value: b',
    code: 500,
    message: 'map: map[value:b] does not contain declared merge key: name',
  },
  {
    name: '$setElementOrder order does not match the patch list',
    original: 'mergingList:\n- name: 1\n- name: 3\n- name: 2',
    patch: '$setElementOrder/mergingList:\n- name: 1\n- name: 2\n- name: 3\nmergingList:\n- name: 3\n  value: 3\n- name: 1\n  value: 1',
    code: 500,
    message: /doesn't match \$setElementOrder list/,
  },
  {
    name: '$setElementOrder order does not match the int patch list',
    original: 'mergingIntList: [1, 3, 2]',
    patch: '$setElementOrder/mergingIntList: [1, 2, 3]\nmergingIntList: [3, 1]',
    code: 500,
    message: /doesn't match/,
  },
  {
    name: 'bad $setElementOrder key',
    original: 'mergingList: []',
    patch: '$setElementOrder: []',
    code: 400,
    reason: 'BadRequest',
    message: 'invalid patch format of setElementOrder list',
  },
  {
    name: 'bad $deleteFromPrimitiveList key',
    original: 'mergingIntList: [1]',
    patch: '$deleteFromPrimitiveListmergingIntList: [1]',
    code: 400,
    reason: 'BadRequest',
    message: 'invalid patch format of primitive list',
  },
  {
    name: '$retainKeys not a list',
    original: 'retainKeysMap:\n  name: a',
    patch: 'retainKeysMap:\n  $retainKeys: name',
    code: 400,
    reason: 'BadRequest',
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'patched key missing from $retainKeys',
    original: 'retainKeysMap:\n  name: a',
    patch: 'retainKeysMap:\n  $retainKeys: [name]\n  value: b',
    code: 400,
    reason: 'BadRequest',
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'lists of lists',
    original: 'mergingIntList: [[1]]',
    patch: 'mergingIntList: [[2]]',
    code: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
  },
  {
    name: 'mixed element types',
    original: 'mergingIntList: [1]',
    patch: 'mergingIntList: [a]',
    code: 500,
    message: 'list element types are not identical: [[1] [a]]',
  },
  {
    name: 'unknown $patch in a map',
    original: 'simpleMap:\n  a: b',
    patch: 'simpleMap:\n  $patch: merge',
    code: 500,
    message: 'unknown patch type: merge in map: map[$patch:merge]',
  },
  {
    name: '$patch: merge in a list',
    original: 'mergingList:\n- name: 1',
    patch: 'mergingList:\n- $patch: merge',
    code: 500,
    message: 'merging lists cannot yet be specified in the patch',
  },
  {
    name: 'unknown $patch in a list',
    original: 'mergingList:\n- name: 1',
    patch: 'mergingList:\n- $patch: frob\n  name: 1',
    code: 500,
    message: 'unknown patch type: frob in map: map[$patch:frob name:1]',
  },
  {
    name: '$patch: delete without merge key',
    original: 'mergingList:\n- name: 1',
    patch: 'mergingList:\n- $patch: delete',
    code: 500,
    message: 'map: map[$patch:delete] does not contain declared merge key: name',
  },
];

for (const c of errors) {
  test(`smp error: ${c.name}`, () => {
    assert.throws(
      () => applyStrategicMergePatch(y(c.original), y(c.patch), ITEM),
      (err: unknown) => {
        if (!isStatusError(err)) return false;
        assert.equal(err.code, c.code);
        assert.equal(err.status.reason, c.reason);
        if (typeof c.message === 'string') assert.equal(err.status.message, c.message);
        else assert.match(err.status.message ?? '', c.message);
        return true;
      },
    );
  });
}

test('smp on an unregistered type is 415 like a custom resource', () => {
  assert.throws(
    () => applyStrategicMergePatch({ spec: {} }, { spec: { a: 1 } }, 'com.example.v1.Widget'),
    (err: unknown) =>
      isStatusError(err, 'UnsupportedMediaType') &&
      err.code === 415 &&
      err.status.message ===
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  );
});

test('smp: a non-object patch is 400, a null patch changes nothing', () => {
  assert.throws(
    () => applyStrategicMergePatch({}, [1], ITEM),
    (err: unknown) =>
      isStatusError(err, 'BadRequest') &&
      err.status.message === 'json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
  assert.deepEqual(applyStrategicMergePatch({ name: 'a' }, null, ITEM), { name: 'a' });
});
