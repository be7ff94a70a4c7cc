import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregateMessage,
  duplicate,
  fieldErrorString,
  forbidden,
  goQuote,
  internalError,
  invalid,
  newPath,
  notFound,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './field.js';

test('FieldPath renders like field.Path.String()', () => {
  const cases: [string, string][] = [
    [newPath('metadata').toString(), 'metadata'],
    [newPath('metadata', 'labels').toString(), 'metadata.labels'],
    [newPath('spec').child('containers').index(0).child('image').toString(), 'spec.containers[0].image'],
    [newPath('metadata').child('labels').key('app').toString(), 'metadata.labels[app]'],
    [newPath('spec').child('template', 'spec').toString(), 'spec.template.spec'],
    [newPath('values').index(0).key('x').toString(), 'values[0][x]'],
    [newPath('a').index(1).index(2).toString(), 'a[1][2]'],
  ];
  for (const [got, want] of cases) assert.equal(got, want);
});

test('constructors match field.Error ErrorBody text', () => {
  const p = newPath('metadata', 'name');
  const cases: [ReturnType<typeof required>, string, string][] = [
    [required(p), 'FieldValueRequired', 'Required value'],
    [required(p, 'name or generateName is required'), 'FieldValueRequired', 'Required value: name or generateName is required'],
    [invalid(p, 'Foo', 'bad'), 'FieldValueInvalid', 'Invalid value: "Foo": bad'],
    [invalid(p, 5, 'neg'), 'FieldValueInvalid', 'Invalid value: 5: neg'],
    [invalid(p, true, ''), 'FieldValueInvalid', 'Invalid value: true'],
    [invalid(p, null, 'x'), 'FieldValueInvalid', 'Invalid value: null: x'],
    [invalid(p, ['a', 'b'], 'x'), 'FieldValueInvalid', 'Invalid value: ["a","b"]: x'],
    [invalid(p, { a: '<b>' }, 'x'), 'FieldValueInvalid', 'Invalid value: {"a":"\\u003cb\\u003e"}: x'],
    [
      notSupported(p, 'Foo', ['Always', 'Never']),
      'FieldValueNotSupported',
      'Unsupported value: "Foo": supported values: "Always", "Never"',
    ],
    [notSupported(p, 'Foo', []), 'FieldValueNotSupported', 'Unsupported value: "Foo"'],
    [duplicate(p, 'x'), 'FieldValueDuplicate', 'Duplicate value: "x"'],
    [notFound(p, 'x'), 'FieldValueNotFound', 'Not found: "x"'],
    [forbidden(p, 'not allowed on this type'), 'FieldValueForbidden', 'Forbidden: not allowed on this type'],
    [tooLong(p, 'xxxx', 262144), 'FieldValueTooLong', 'Too long: may not be more than 262144 bytes'],
    [tooLong(p, 'x', 1), 'FieldValueTooLong', 'Too long: may not be more than 1 byte'],
    [tooLong(p, 'x', -1), 'FieldValueTooLong', 'Too long: value is too long'],
    [tooMany(p, 5, 4), 'FieldValueTooMany', 'Too many: 5: must have at most 4 items'],
    [tooMany(p, -1, 1), 'FieldValueTooMany', 'Too many: must have at most 1 item'],
    [tooMany(p, 3, -1), 'FieldValueTooMany', 'Too many: 3: has too many items'],
    [typeInvalid(p, 'x', 'must be int'), 'FieldValueTypeInvalid', 'Invalid value: "x": must be int'],
    [internalError(p, new Error('boom')), 'InternalError', 'Internal error: boom'],
  ];
  for (const [e, type, message] of cases) {
    assert.equal(e.type, type);
    assert.equal(e.message, message);
    assert.equal(e.field, 'metadata.name');
  }
});

test('goQuote escapes as strconv.Quote', () => {
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote('a\nb\t'), '"a\\nb\\t"');
  assert.equal(goQuote('\x01'), '"\\x01"');
  assert.equal(goQuote('héllo'), '"héllo"');
});

test('aggregateMessage dedupes and brackets several errors', () => {
  const a = required('x');
  const b = invalid('y', 'v', 'bad');
  assert.equal(aggregateMessage([]), '');
  assert.equal(aggregateMessage([a]), 'x: Required value');
  assert.equal(aggregateMessage([a, a]), 'x: Required value');
  assert.equal(aggregateMessage([a, b]), '[x: Required value, y: Invalid value: "v": bad]');
  assert.equal(fieldErrorString(b), 'y: Invalid value: "v": bad');
  assert.equal(required(undefined).field, '<nil>');
});
