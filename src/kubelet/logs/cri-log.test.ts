import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { criLogLine, formatLogTimestamp, parseCriLogLine } from './cri-log.js';

describe('CRI log format', () => {
  it('parses full and partial lines', () => {
    assert.deepEqual(parseCriLogLine('2026-12-06T13:00:00.123456789Z stdout F hello world'), {
      timestamp: '2026-12-06T13:00:00.123456789Z',
      time: Date.parse('2026-12-06T13:00:00.123Z'),
      stream: 'stdout',
      log: 'hello world\n',
    });
    assert.equal(parseCriLogLine('2026-12-06T13:00:00Z stderr P part')?.log, 'part');
    assert.equal(parseCriLogLine('2026-12-06T13:00:00Z stdout F')?.log, '\n');
  });

  it('rejects what is not CRI format', () => {
    for (const line of ['', 'hello', 'nottime stdout F x', '2026-12-06T13:00:00Z other F x'])
      assert.equal(parseCriLogLine(line), undefined, line);
  });

  it('prints timestamps as RFC3339Nano (no trailing zeros)', () => {
    assert.equal(formatLogTimestamp('2026-12-06T13:00:00.123450000Z'), '2026-12-06T13:00:00.12345Z');
    assert.equal(formatLogTimestamp('2026-12-06T13:00:00.000000000Z'), '2026-12-06T13:00:00Z');
    assert.equal(formatLogTimestamp('2026-12-06T13:00:00.5+01:00'), '2026-12-06T13:00:00.5+01:00');
  });

  it('writes lines it can read back', () => {
    const line = criLogLine(Date.parse('2026-12-06T13:00:00.250Z'), 'stderr', 'boom');
    assert.equal(line, '2026-12-06T13:00:00.250000000Z stderr F boom\n');
    assert.equal(parseCriLogLine(line.trimEnd())?.log, 'boom\n');
  });
});
