import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateName,
  maskTrailingDash,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  NAME_SUFFIX_ALPHABET,
  randomNameSuffix,
  validatePathSegmentName,
} from './names.js';

test('generateName appends 5 characters from the upstream alphabet', () => {
  for (let i = 0; i < 50; i++) {
    const n = generateName('web-');
    assert.match(n, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  }
  assert.equal(NAME_SUFFIX_ALPHABET, 'bcdfghjklmnpqrstvwxz2456789');
  assert.equal(
    generateName('a'.repeat(70), () => 0),
    `${'a'.repeat(58)}bbbbb`,
  );
  assert.equal(
    randomNameSuffix(3, (max) => max - 1),
    '999',
  );
});

test('name validators by kind family', () => {
  const cases: [string, string[], boolean, boolean][] = [
    // name, validator results: [subdomain ok, label ok]
    ['web', [], true, true],
    ['web.example', [], true, false],
    ['Web', [], false, false],
    ['web-', [], false, false],
  ];
  for (const [name, , sub, label] of cases) {
    assert.equal(nameIsDNSSubdomain(name, false).length === 0, sub, name);
    assert.equal(nameIsDNSLabel(name, false).length === 0, label, name);
  }
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.deepEqual(nameIsDNSLabel('web-', true), []);
  assert.equal(nameIsDNS1035Label('1web', false).length, 1);
  assert.deepEqual(nameIsDNS1035Label('web-', true), []);
  assert.equal(maskTrailingDash('ab-'), 'aa');
  assert.equal(maskTrailingDash('-'), '-');
  const seg: [string, boolean, string[]][] = [
    ['system:controller:foo', false, []],
    ['.', false, ["may not be '.'"]],
    ['..', false, ["may not be '..'"]],
    ['..', true, []],
    ['a/b', false, ["may not contain '/'"]],
    ['a/b%c', false, ["may not contain '/'", "may not contain '%'"]],
    ['a%', true, ["may not contain '%'"]],
  ];
  for (const [name, prefix, want] of seg) assert.deepEqual(validatePathSegmentName(name, prefix), want, name);
});
