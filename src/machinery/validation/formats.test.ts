import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isFullyQualifiedDomainName,
  isQualifiedName,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
  isHTTPHeaderName,
  isRelaxedEnvVarName,
} from './formats.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const QNAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('isDNS1123Subdomain', () => {
  for (const ok of ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '1.a', 'a.b.c', 'a'.repeat(253)]) {
    assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
  }
  assert.deepEqual(isDNS1123Subdomain('Foo'), [SUBDOMAIN_MSG]);
  for (const bad of ['', 'A', 'a.', '.a', 'a..b', '-a', 'a-', 'a_b', 'a@b', 'a b']) assert.equal(isDNS1123Subdomain(bad).length, 1, bad);
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
});

test('isDNS1123Label', () => {
  for (const ok of ['a', 'ab', 'a-b', '0', '1-2', 'a'.repeat(63)]) assert.deepEqual(isDNS1123Label(ok), [], ok);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('Foo'), [LABEL_MSG]);
  assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  for (const bad of ['', '-a', 'a-', 'a_b', 'A']) assert.equal(isDNS1123Label(bad).length, 1, bad);
});

test('isDNS1035Label', () => {
  for (const ok of ['a', 'a-1', 'abc']) assert.deepEqual(isDNS1035Label(ok), []);
  assert.deepEqual(isDNS1035Label('1a'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.equal(isDNS1035Label('a.b').length, 1);
});

test('isQualifiedName', () => {
  for (const ok of [
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes',
    'now.with.dots/simple',
    'now-with.dashes-and.dots/simple',
    '1-num.2-num/3-num',
    '1234/5678',
    '1.2.3.4/5678',
    'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123',
    'a'.repeat(63),
  ]) {
    assert.deepEqual(isQualifiedName(ok), [], ok);
  }
  assert.deepEqual(isQualifiedName('nospecialchars%^=@'), [QNAME_MSG]);
  assert.deepEqual(isQualifiedName('/simple'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', QNAME_MSG]);
  assert.deepEqual(isQualifiedName('Example.com/x'), [`prefix part ${SUBDOMAIN_MSG}`]);
  assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.match(
    isQualifiedName('a/b/c')[0] ?? '',
    /^a qualified name must consist .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
  );
  for (const bad of ['_underscore', '-dash', 'dot.', 'space here', 'Uppercase/x']) assert.ok(isQualifiedName(bad).length > 0, bad);
});

test('isValidLabelValue', () => {
  for (const ok of [
    '',
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    'end-with-num-1',
    '1234',
    'a'.repeat(63),
    'Uppercase_Is_OK_123',
  ]) {
    assert.deepEqual(isValidLabelValue(ok), [], ok);
  }
  for (const bad of [
    'nospecialchars%^=@',
    'Tama-nui-te-rā.is.Māori.sun',
    '\\backslashes\\are\\bad',
    '-starts-with-dash',
    'ends-with-dash-',
    '.starts.with.dot',
    'ends.with.dot.',
  ]) {
    assert.equal(isValidLabelValue(bad).length, 1, bad);
  }
  assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('ports, percent, identifiers', () => {
  const portNums: [number, boolean][] = [
    [1, true],
    [65535, true],
    [80, true],
    [0, false],
    [-1, false],
    [65536, false],
    [1.5, false],
  ];
  for (const [p, ok] of portNums) assert.deepEqual(isValidPortNum(p), ok ? [] : ['must be between 1 and 65535, inclusive'], String(p));
  for (const ok of ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'])
    assert.deepEqual(isValidPortName(ok), [], ok);
  assert.deepEqual(isValidPortName('longerthan15characters'), ['must be no more than 15 characters']);
  assert.deepEqual(isValidPortName('1234'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
  assert.deepEqual(isValidPortName('-ab'), ['must not begin or end with a hyphen']);
  assert.deepEqual(isValidPortName('Http'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
  assert.deepEqual(isValidPortName(''), [
    'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'must contain at least one letter (a-z)',
  ]);
  for (const ok of ['0%', '100%', '93%', '1000%']) assert.deepEqual(isValidPercent(ok), []);
  for (const bad of ['', '0', '100', '%', 'a%', '1.5%', '-1%']) {
    assert.deepEqual(
      isValidPercent(bad),
      [
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ],
      bad,
    );
  }
  for (const ok of ['a', 'ab', '_a', 'a_b', 'A1']) assert.deepEqual(isCIdentifier(ok), []);
  for (const bad of ['', '1a', 'a-b', 'a.b']) assert.equal(isCIdentifier(bad).length, 1, bad);
  for (const ok of ['A', 'my.env-name', 'MY_ENV.NAME', '_a', '-a']) assert.deepEqual(isEnvVarName(ok), [], ok);
  assert.equal(isEnvVarName('1a').length, 1);
  assert.deepEqual(isEnvVarName('..a'), ["must not start with '..'"]);
  assert.deepEqual(isEnvVarName('.'), ["must not be '.'"]);
  assert.deepEqual(isRelaxedEnvVarName('1a b'), []);
  assert.equal(isRelaxedEnvVarName('a=b').length, 1);
  assert.deepEqual(isConfigMapKey('key.name'), []);
  assert.deepEqual(isConfigMapKey('..'), ["must not be '..'"]);
  assert.deepEqual(isHTTPHeaderName('X-Header-Name'), []);
  assert.deepEqual(isWildcardDNS1123Subdomain('*.example.com'), []);
  assert.equal(isWildcardDNS1123Subdomain('*.*.example.com').length, 1);
  assert.deepEqual(isFullyQualifiedDomainName('spec.host', 'example.com.'), []);
  assert.equal(
    isFullyQualifiedDomainName('spec.host', 'example')[0]?.message,
    'Invalid value: "example": should be a domain with at least two segments separated by dots',
  );
});
