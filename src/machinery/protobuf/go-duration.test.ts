import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, parseGoDuration } from './go-duration.js';

describe('Go durations', () => {
  // Cases from Go's time.Duration.String tests.
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [1_100n, '1.1µs'],
    [2_200_000n, '2.2ms'],
    [3_300_000_000n, '3.3s'],
    [4n * 60_000_000_000n + 5_000_000_000n, '4m5s'],
    [4n * 60_000_000_000n + 5_001_000_000n, '4m5.001s'],
    [5n * 3_600_000_000_000n + 6n * 60_000_000_000n + 7_001_000_000n, '5h6m7.001s'],
    [8n * 60_000_000_000n + 1n, '8m0.000000001s'],
    [3_600_000_000_000n, '1h0m0s'],
    [-1_500_000_000n, '-1.5s'],
    [2n ** 63n - 1n, '2562047h47m16.854775807s'],
  ];
  for (const [ns, text] of cases) {
    it(`${ns} ↔ ${text}`, () => {
      assert.equal(formatGoDuration(ns), text);
      assert.equal(parseGoDuration(text), ns);
    });
  }

  it('parses the other spellings Go accepts', () => {
    assert.equal(parseGoDuration('1h30m'), 5_400_000_000_000n);
    assert.equal(parseGoDuration('+.5s'), 500_000_000n);
    assert.equal(parseGoDuration('1.5us'), 1_500n);
    assert.equal(parseGoDuration('0'), 0n);
  });

  for (const bad of ['', '1', 's', '.s', '1x', '--1s', '3000000h']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseGoDuration(bad), /time: /));
  }
});
