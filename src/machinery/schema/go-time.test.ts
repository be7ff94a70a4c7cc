import { it } from 'node:test';
import assert from 'node:assert/strict';
import { goTimeParseError, RFC3339, RFC3339_MICRO } from './go-time.js';

const R = '"2006-01-02T15:04:05Z07:00"';

it('parses RFC 3339 as Go does and words its errors like time.ParseError', () => {
  const table: [typeof RFC3339 | typeof RFC3339_MICRO, string, string | undefined][] = [
    [RFC3339, '2024-01-02T03:04:05Z', undefined],
    [RFC3339, '2024-01-02T03:04:05.123+01:00', undefined],
    [RFC3339, '2024-02-29T00:00:00-07:00', undefined],
    [RFC3339, 'yesterday', `parsing time "yesterday" as ${R}: cannot parse "yesterday" as "2006"`],
    [RFC3339, '2024-1-02T03:04:05Z', `parsing time "2024-1-02T03:04:05Z" as ${R}: cannot parse "1-02T03:04:05Z" as "01"`],
    [RFC3339, '2024-01-02 03:04:05Z', `parsing time "2024-01-02 03:04:05Z" as ${R}: cannot parse " 03:04:05Z" as "T"`],
    [RFC3339, '2024-13-02T03:04:05Z', 'parsing time "2024-13-02T03:04:05Z": month out of range'],
    [RFC3339, '2023-02-29T03:04:05Z', 'parsing time "2023-02-29T03:04:05Z": day out of range'],
    [RFC3339, '2024-01-02T03:04:05', `parsing time "2024-01-02T03:04:05" as ${R}: cannot parse "" as "Z07:00"`],
    [RFC3339, '2024-01-02T03:04:05Zjunk', 'parsing time "2024-01-02T03:04:05Zjunk": extra text: "junk"'],
    [RFC3339_MICRO, '2024-01-02T03:04:05.123456Z', undefined],
    [
      RFC3339_MICRO,
      '2024-01-02T03:04:05Z',
      'parsing time "2024-01-02T03:04:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    ],
  ];
  for (const [layout, input, want] of table) assert.equal(goTimeParseError(layout, input), want, input);
});
