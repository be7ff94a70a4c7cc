import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote, managerFromUserAgent, managerOrUserAgent, newInvalidOptions, validateFieldManager } from './field-manager.js';

test('default manager names come from the User-Agent prefix', () => {
  const cases: Array<[string, string]> = [
    ['kubectl/v1.32.5 (linux/amd64) kubernetes/abc', 'kubectl'],
    [
      'kube-controller-manager/v1.30.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:deployment-controller',
      'kube-controller-manager',
    ],
    ['node-fetch', 'node-fetch'],
    ['Go-http-client/2.0', 'Go-http-client'],
    ['', ''],
    ['a\u0000b\tc/1', 'abc'],
    [`${'x'.repeat(200)}/1`, 'x'.repeat(128)],
    [`${'é'.repeat(70)}/1`, 'é'.repeat(64)],
  ];
  for (const [ua, want] of cases) assert.equal(managerFromUserAgent(ua), want, ua);
});

test('an explicit fieldManager wins over the User-Agent', () => {
  assert.equal(managerOrUserAgent('mine', 'kubectl/v1'), 'mine');
  assert.equal(managerOrUserAgent(undefined, 'kubectl/v1'), 'kubectl');
  assert.equal(managerOrUserAgent('', undefined), '');
});

test('validateFieldManager: length, printable characters, required for apply', () => {
  assert.deepEqual(validateFieldManager('kubectl'), []);
  assert.deepEqual(validateFieldManager('x'.repeat(128)), []);
  assert.deepEqual(validateFieldManager(undefined), []);
  assert.deepEqual(validateFieldManager('x'.repeat(129)), [
    { type: 'FieldValueTooLong', field: 'fieldManager', message: 'Too long: must have at most 128 bytes' },
  ]);
  assert.deepEqual(validateFieldManager('ab\u0007'), [
    { type: 'FieldValueInvalid', field: 'fieldManager', message: 'Invalid value: "ab\\a": invalid character U+0007 (at position 2)' },
  ]);
  assert.deepEqual(validateFieldManager('', { apply: true }), [
    { type: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' },
  ]);
});

test('goQuote quotes like Go', () => {
  const cases: Array<[string, string]> = [
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\u0000\u0001', '"\\n\\t\\x00\\x01"'],
    ['\u0085é', '"\\u0085é"'],
  ];
  for (const [input, want] of cases) assert.equal(goQuote(input), want, JSON.stringify(input));
});

test('invalid options become 422 on the options kind', () => {
  const err = newInvalidOptions('PatchOptions', validateFieldManager('', { apply: true }));
  assert.equal(err.code, 422);
  assert.equal(err.status.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  assert.equal(err.status.details?.causes?.[0]?.field, 'fieldManager');
});
