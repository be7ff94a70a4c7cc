import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  getScaledValueFromIntOrPercent,
  intValue,
  IntOrStringError,
  isPercent,
  validatePositiveIntOrPercent,
  type IntOrString,
} from './intstr.js';

test('getScaledValueFromIntOrPercent (upstream TestGetIntFromIntOrPercent)', () => {
  const cases: [IntOrString, number, boolean, number][] = [
    [123, 100, false, 123],
    ['90%', 100, true, 90],
    ['90%', 95, true, 86],
    ['90%', 95, false, 85],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['0%', 10, true, 0],
    ['100%', 7, false, 7],
    ['50%', 1, true, 1],
    ['50%', 1, false, 0],
    ['-10%', 100, true, -10],
  ];
  for (const [v, total, up, want] of cases) assert.equal(getScaledValueFromIntOrPercent(v, total, up), want, `${v} of ${total}`);
});

test('getScaledValueFromIntOrPercent errors', () => {
  const cases: [IntOrString | undefined, string][] = [
    [undefined, 'nil value for IntOrString'],
    ['123', 'invalid value for IntOrString: invalid type: string is not a percentage'],
    ['abc%', 'invalid value for IntOrString: invalid value "abc%": strconv.Atoi: parsing "abc": invalid syntax'],
    ['%', 'invalid value for IntOrString: invalid value "%": strconv.Atoi: parsing "": invalid syntax'],
    ['1.5%', 'invalid value for IntOrString: invalid value "1.5%": strconv.Atoi: parsing "1.5": invalid syntax'],
  ];
  for (const [v, want] of cases) {
    assert.throws(
      () => getScaledValueFromIntOrPercent(v, 10, true),
      (e: unknown) => e instanceof IntOrStringError && e.message === want,
    );
  }
});

test('intValue, percent checks', () => {
  assert.equal(intValue(8080), 8080);
  assert.equal(intValue('8080'), 8080);
  assert.equal(intValue('http'), 0);
  assert.ok(isPercent('5%') && !isPercent(5) && !isPercent('5'));
  assert.deepEqual(validatePositiveIntOrPercent('25%', 'spec.strategy.rollingUpdate.maxSurge'), []);
  assert.deepEqual(validatePositiveIntOrPercent(0, 'x'), []);
  assert.equal(validatePositiveIntOrPercent(-1, 'x')[0]?.message, 'Invalid value: -1: must be greater than or equal to 0');
  assert.equal(
    validatePositiveIntOrPercent('25', 'x')[0]?.message,
    "Invalid value: \"25\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  );
});
