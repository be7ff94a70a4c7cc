import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  canonicalQuantity,
  isValidQuantity,
  newMilliQuantity,
  newScaledQuantity,
  newQuantity,
  parseQuantity,
  quantityFromJSON,
  QuantityParseError,
} from './quantity.js';

test('canonical strings (upstream TestQuantityString / ParseEmit)', () => {
  const cases: [string, string][] = [
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['300Mi', '300Mi'],
    ['307200Ki', '300Mi'],
    ['6Ki', '6Ki'],
    ['1001Gi', '1001Gi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['5', '5'],
    ['5000m', '5'],
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1G', '1G'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1m', '1m'],
    ['1000u', '1m'],
    ['80m', '80m'],
    ['1080m', '1080m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['300M', '300M'],
    ['1T', '1T'],
    ['1234567M', '1234567M'],
    ['1234567m', '1234567m'],
    ['3k', '3k'],
    ['1025', '1025'],
    ['0', '0'],
    ['00', '0'],
    ['-0', '0'],
    ['1e9', '1e9'],
    ['.001e12', '1e9'],
    ['1e-3', '1e-3'],
    ['0.001e0', '1e-3'],
    ['1e-9', '1e-9'],
    ['1000e-12', '1e-9'],
    ['80e-3', '80e-3'],
    ['300e6', '300e6'],
    ['1e12', '1e12'],
    ['1e3', '1e3'],
    ['3e3', '3e3'],
    ['1n', '1n'],
    ['80n', '80n'],
    ['1080n', '1080n'],
    ['1u', '1u'],
    ['80u', '80u'],
    ['1080u', '1080u'],
    ['1000m', '1'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['0.5e-9', '1e-9'],
    ['0.1n', '1n'],
    ['1.5', '1500m'],
    ['2e-1', '200e-3'],
    ['1.5e3', '1500'],
    ['12e6', '12e6'],
    ['1E', '1E'],
    ['1E3', '1E3'],
    ['100m', '100m'],
    ['-1Ki', '-1Ki'],
    ['-1.5', '-1500m'],
    ['-500m', '-500m'],
    ['1Ei', '1Ei'],
    ['8Ei', '9223372036854775807'],
    ['1.1Mi', '1153433600m'],
    ['0.5Ki', '512'],
    ['1023', '1023'],
    ['+1', '+1'],
    ['01', '01'],
    ['1000E', '1'],
  ];
  for (const [input, want] of cases) assert.equal(parseQuantity(input).toString(), want, input);
  assert.equal(JSON.stringify({ cpu: parseQuantity('0.5') }), '{"cpu":"500m"}');
});

test('parse errors carry upstream text', () => {
  const cases: [string, string][] = [
    ['', ERR_FORMAT_WRONG],
    ['a', ERR_FORMAT_WRONG],
    ['1a', ERR_FORMAT_WRONG],
    ['1KiB', ERR_FORMAT_WRONG],
    ['1.2.3', ERR_FORMAT_WRONG],
    ['1Z', ERR_FORMAT_WRONG],
    [' 1', ERR_FORMAT_WRONG],
    ['1 ', ERR_FORMAT_WRONG],
    ['1k2', ERR_SUFFIX],
    ['1e', ERR_SUFFIX],
    ['1m1', ERR_SUFFIX],
    ['-3.01e-', ERR_SUFFIX],
    ['1ki', ERR_SUFFIX],
    ['1Mi1', ERR_SUFFIX],
  ];
  for (const [input, want] of cases) {
    assert.throws(
      () => parseQuantity(input),
      (e: unknown) => e instanceof QuantityParseError && e.message === want && e.code === 'InvalidQuantity',
      input,
    );
    assert.equal(isValidQuantity(input), false);
  }
  assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

test('value and milliValue round up away from zero', () => {
  const cases: [string, bigint, bigint][] = [
    ['1', 1n, 1000n],
    ['500m', 1n, 500n],
    ['1500m', 2n, 1500n],
    ['-1500m', -2n, -1500n],
    ['1n', 1n, 1n],
    ['1Ki', 1024n, 1024000n],
    ['1.5', 2n, 1500n],
    ['0', 0n, 0n],
    ['100M', 100000000n, 100000000000n],
    ['8Ei', 9223372036854775807n, 9223372036854775807000n],
  ];
  for (const [input, v, mv] of cases) {
    const q = parseQuantity(input);
    assert.equal(q.valueBig(), v, input);
    assert.equal(q.milliValueBig(), mv, input);
  }
  assert.equal(parseQuantity('250m').milliValue(), 250);
  assert.equal(parseQuantity('2Gi').value(), 2147483648);
});

test('compare, add, sub without float drift', () => {
  const cmp: [string, string, number][] = [
    ['1', '1000m', 0],
    ['1Ki', '1024', 0],
    ['1Ki', '1k', 1],
    ['100m', '0.1', 0],
    ['1G', '1Gi', -1],
    ['-1', '1', -1],
    ['0', '-0', 0],
    ['1e3', '1k', 0],
  ];
  for (const [a, b, want] of cmp) assert.equal(parseQuantity(a).cmp(parseQuantity(b)), want, `${a} vs ${b}`);
  assert.equal(parseQuantity('100m').add(parseQuantity('200m')).toString(), '300m');
  assert.equal(parseQuantity('0.1').add(parseQuantity('0.2')).cmp(parseQuantity('0.3')), 0);
  assert.equal(parseQuantity('1Gi').add(parseQuantity('512Mi')).toString(), '1536Mi');
  assert.equal(parseQuantity('1').sub(parseQuantity('250m')).toString(), '750m');
  assert.equal(parseQuantity('0').add(parseQuantity('1Ki')).toString(), '1Ki');
  assert.equal(parseQuantity('1Gi').sub(parseQuantity('1Gi')).toString(), '0');
  assert.equal(parseQuantity('2').mul(3).toString(), '6');
  assert.ok(parseQuantity('1').equal(parseQuantity('1000m')));
  assert.equal(parseQuantity('1').neg().toString(), '-1');
});

test('constructors and JSON forms', () => {
  assert.equal(newQuantity(1024, 'BinarySI').toString(), '1Ki');
  assert.equal(newQuantity(5).toString(), '5');
  assert.equal(newMilliQuantity(1500).toString(), '1500m');
  assert.equal(newMilliQuantity(500, 'BinarySI').toString(), '500m');
  assert.equal(quantityFromJSON(0.5).toString(), '500m');
  assert.equal(quantityFromJSON(2).toString(), '2');
  assert.equal(quantityFromJSON(' 1Gi ').toString(), '1Gi');
  assert.throws(() => quantityFromJSON(true), QuantityParseError);
  assert.equal(canonicalQuantity('2048Ki'), '2Mi');
});

test('parsed amounts and formats (upstream TestQuantityParse)', () => {
  const cases: [string, number, number, string][] = [
    ['5n', 5, -9, 'DecimalSI'],
    ['50k', 5, 4, 'DecimalSI'],
    ['40T', 4, 13, 'DecimalSI'],
    ['12E', 12, 18, 'DecimalSI'],
    ['1E-3', 1, -3, 'DecimalExponent'],
    ['1E18', 1, 18, 'DecimalExponent'],
    ['100.035k', 100035, 0, 'DecimalSI'],
    ['0.0005k', 5, -1, 'DecimalSI'],
    ['0.50000', 5, -1, 'DecimalSI'],
    ['0.5e-2', 5, -3, 'DecimalExponent'],
    ['1.3E+6', 13, 5, 'DecimalExponent'],
    ['1.53E12', 153, 10, 'DecimalExponent'],
    ['6.987654321G', 6987654321, 0, 'DecimalSI'],
    ['1.01E', 101, 16, 'DecimalSI'],
    ['3.001n', 4, -9, 'DecimalSI'],
    ['1.1E-9', 2, -9, 'DecimalExponent'],
    ['0.0000000001', 1, -9, 'DecimalSI'],
    ['0.00000012345', 124, -9, 'DecimalSI'],
    ['0.9n', 1, -9, 'DecimalSI'],
    ['100.035Ki', 10243584, -2, 'BinarySI'],
    ['0.05Gi', 536870912, -1, 'BinarySI'],
    ['0.000000000001Ki', 2, -9, 'DecimalSI'],
    ['.0001k', 100, -3, 'DecimalSI'],
    ['1.', 1, 0, 'DecimalSI'],
    ['1.G', 1, 9, 'DecimalSI'],
    // biome-ignore lint/correctness/noPrecisionLoss: the case is that the literal overflows int64, as upstream's table has it
    ['9223372036854775807Ki', 9223372036854775807, 0, 'BinarySI'],
  ];
  for (const [input, value, scale, format] of cases) {
    const q = parseQuantity(input);
    const want = input.startsWith('9223372036854775807') ? newScaledQuantity(9223372036854775807n, 0) : newScaledQuantity(value, scale);
    assert.equal(q.cmp(want), 0, `${input}: got ${q.toString()}`);
    assert.equal(q.format, format, input);
  }
});
