import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeValue,
  everythingFields,
  fieldLabelNotSupportedMessage,
  FieldSelectorError,
  nothingFields,
  oneTermEqualSelector,
  parseFieldSelector,
  unescapeValue,
  unsupportedFieldLabel,
  fieldSelectorFromSet,
} from './fields.js';

test('parse and print', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a=b'],
    ['a!=b', 'a!=b'],
    ['b=1,a=2', 'a=2,b=1'],
    ['x=a\\,b', 'x=a\\,b'],
    ['x=a\\=b', 'x=a\\=b'],
    ['x=a\\\\b', 'x=a\\\\b'],
    ['metadata.name=web,', 'metadata.name=web'],
    ['a=', 'a='],
    ['a\\,b=c', 'a\\,b=c'],
    ['status.phase!=Running,spec.nodeName=n1', 'spec.nodeName=n1,status.phase!=Running'],
  ];
  for (const [input, want] of cases) assert.equal(parseFieldSelector(input).toString(), want, input);
  assert.deepEqual(parseFieldSelector('x=a\\,b').requirements, [{ field: 'x', operator: '=', value: 'a,b' }]);
  assert.deepEqual(parseFieldSelector('a==b,c!=d').requirements, [
    { field: 'a', operator: '=', value: 'b' },
    { field: 'c', operator: '!=', value: 'd' },
  ]);
});

test('parse errors carry upstream text', () => {
  const cases: [string, string][] = [
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x=a\\', 'invalid field selector: invalid escape sequence: \\'],
    ['x=a\\b', 'invalid field selector: invalid escape sequence: \\b'],
    ['x=a=b', 'invalid field selector: unescaped character in value: 61'],
  ];
  for (const [input, want] of cases) {
    assert.throws(
      () => parseFieldSelector(input),
      (e: unknown) => e instanceof FieldSelectorError && e.message === want,
      input,
    );
  }
});

test('matches', () => {
  const fields = { 'metadata.name': 'web', 'status.phase': 'Running', 'spec.nodeName': '' };
  const cases: [string, boolean][] = [
    ['', true],
    ['metadata.name=web', true],
    ['metadata.name==web', true],
    ['metadata.name!=web', false],
    ['metadata.name=db', false],
    ['status.phase!=Pending,metadata.name=web', true],
    ['spec.nodeName=', true],
    ['spec.missing=', true],
    ['spec.missing!=x', true],
    ['spec.missing=x', false],
  ];
  for (const [sel, want] of cases) assert.equal(parseFieldSelector(sel).matches(fields), want, sel);
  assert.equal(nothingFields().matches({}), false);
  assert.ok(everythingFields().isEmpty());
});

test('escaping, field names, helpers', () => {
  const cases: [string, string][] = [
    ['a,b', 'a\\,b'],
    ['a=b', 'a\\=b'],
    ['a\\b', 'a\\\\b'],
    ['plain', 'plain'],
    ['', ''],
  ];
  for (const [raw, esc] of cases) {
    assert.equal(escapeValue(raw), esc);
    assert.equal(unescapeValue(esc), raw);
  }
  const s = parseFieldSelector('spec.nodeName=n,metadata.name=a,spec.nodeName!=m');
  assert.deepEqual(s.fieldNames(), ['metadata.name', 'spec.nodeName']);
  assert.equal(s.requiresExactMatch('spec.nodeName'), 'n');
  assert.equal(unsupportedFieldLabel(s, ['metadata.name', 'spec.nodeName']), undefined);
  assert.equal(unsupportedFieldLabel(s, ['metadata.name']), 'spec.nodeName');
  assert.equal(fieldLabelNotSupportedMessage('spec.foo'), 'field label not supported: spec.foo');
  assert.equal(oneTermEqualSelector('metadata.name', 'a,b').toString(), 'metadata.name=a\\,b');
  assert.equal(fieldSelectorFromSet({ a: '1' }).toString(), 'a=1');
  const t = s.transform((f, v) => (f === 'metadata.name' ? ['', ''] : [f.toUpperCase(), v]));
  assert.equal(t.toString(), 'SPEC.NODENAME!=m,SPEC.NODENAME=n');
});
