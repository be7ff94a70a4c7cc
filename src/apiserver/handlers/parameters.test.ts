import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/errors.js';
import { boolParam, int64Param, listParameters, optionalBoolParam, optionalInt64Param, strconvParseInt } from './parameters.js';

const q = (text: string): URLSearchParams => new URLSearchParams(text);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('boolParam (Convert_Slice_string_To_bool)', () => {
  const cases: [string, boolean, boolean | undefined][] = [
    // query, boolParam, optionalBoolParam
    ['', false, undefined],
    ['other=true', false, undefined],
    ['watch=true', true, true],
    ['watch=True', true, true],
    ['watch=TRUE', true, true],
    ['watch=1', true, true],
    ['watch=yes', true, true],
    ['watch=', true, true],
    ['watch', true, true],
    ['watch=%20false', true, true],
    ['watch=false', false, false],
    ['watch=False', false, false],
    ['watch=FALSE', false, false],
    ['watch=fal%C5%BFe', false, false], // strings.EqualFold folds ſ to s
    ['watch=0', false, false],
    ['watch=00', true, true],
    ['watch=false&watch=true', false, false], // the first value counts
    ['watch=true&watch=false', true, true],
  ];
  for (const [text, want, wantOptional] of cases) {
    it(`?${text}`, () => {
      assert.equal(boolParam(q(text), 'watch'), want, `boolParam: want ${want}`);
      assert.equal(optionalBoolParam(q(text), 'watch'), wantOptional, `optionalBoolParam: want ${wantOptional}`);
    });
  }
});

describe('strconvParseInt (strconv.ParseInt(s, 10, bitSize))', () => {
  const syntax = (s: string): { error: string } => ({ error: `strconv.ParseInt: parsing ${s}: invalid syntax` });
  const range = (s: string): { error: string } => ({ error: `strconv.ParseInt: parsing ${s}: value out of range` });
  const cases: [string, 32 | 64, { value: bigint } | { error: string }][] = [
    ['0', 64, { value: 0n }],
    ['42', 64, { value: 42n }],
    ['+42', 64, { value: 42n }],
    ['-42', 64, { value: -42n }],
    ['007', 64, { value: 7n }],
    ['9223372036854775807', 64, { value: 9223372036854775807n }],
    ['-9223372036854775808', 64, { value: -9223372036854775808n }],
    ['9223372036854775808', 64, range('"9223372036854775808"')],
    ['-9223372036854775809', 64, range('"-9223372036854775809"')],
    ['18446744073709551616', 64, range('"18446744073709551616"')],
    // the digits overflow uint64 before the bad character is reached
    ['99999999999999999999x', 64, range('"99999999999999999999x"')],
    ['9x9999999999999999999999', 64, syntax('"9x9999999999999999999999"')],
    ['2147483647', 32, { value: 2147483647n }],
    ['2147483648', 32, range('"2147483648"')],
    ['-2147483648', 32, { value: -2147483648n }],
    ['abc', 64, syntax('"abc"')],
    ['', 64, syntax('""')],
    ['+', 64, syntax('"+"')],
    ['-', 64, syntax('"-"')],
    ['1.5', 64, syntax('"1.5"')],
    ['1e3', 64, syntax('"1e3"')],
    ['0x10', 64, syntax('"0x10"')],
    ['1_000', 64, syntax('"1_000"')],
    [' 1', 64, syntax('" 1"')],
    ['١', 64, syntax('"١"')], // only ASCII digits
    ['a"b\\\n', 64, syntax('"a\\"b\\\\\\n"')], // strconv.Quote escapes
  ];
  for (const [text, bits, want] of cases) {
    it(`${JSON.stringify(text)} (${bits} bits)`, () => assert.deepEqual(strconvParseInt(text, bits), want));
  }
});

describe('int64Param and optionalInt64Param (Convert_Slice_string_To_[Pointer_]int64)', () => {
  it('reads the first value; absent is 0 or undefined', () => {
    assert.equal(int64Param(q('limit=5&limit=x'), 'limit'), 5);
    assert.equal(int64Param(q(''), 'limit'), 0);
    assert.equal(optionalInt64Param(q('timeoutSeconds=-3'), 'timeoutSeconds'), -3);
    assert.equal(optionalInt64Param(q(''), 'timeoutSeconds'), undefined);
  });
  const bad: [string, string][] = [
    ['limit=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['limit=', 'strconv.ParseInt: parsing "": invalid syntax'],
    ['limit', 'strconv.ParseInt: parsing "": invalid syntax'],
    ['limit=99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
  ];
  for (const [text, message] of bad) {
    it(`?${text} is 400 BadRequest`, () => {
      for (const read of [int64Param, optionalInt64Param]) {
        const err = thrown(() => read(q(text), 'limit'));
        assert.ok(err instanceof StatusError, `want a StatusError, got ${String(err)}`);
        const { code, reason } = err.status;
        assert.deepEqual({ code, reason, message: err.status.message }, { code: 400, reason: 'BadRequest', message });
      }
    });
  }
});

describe('listParameters', () => {
  it('decodes ListOptions switches and numbers', () => {
    assert.deepEqual(listParameters(q('watch=True&allowWatchBookmarks&timeoutSeconds=30&limit=2&sendInitialEvents=false')), {
      watch: true,
      allowWatchBookmarks: true,
      timeoutSeconds: 30,
      limit: 2,
      sendInitialEvents: false,
    });
    assert.deepEqual(listParameters(q('')), { watch: false, allowWatchBookmarks: false, limit: 0 });
  });
  it('reports timeoutSeconds before limit, in ListOptions field order', () => {
    assert.throws(() => listParameters(q('limit=a&timeoutSeconds=b')), /parsing "b": invalid syntax/);
  });
});
