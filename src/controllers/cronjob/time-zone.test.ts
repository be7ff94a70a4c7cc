import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeZone } from './time-zone.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

test('wall fields of an instant, with the weekday', () => {
  assert.deepEqual(new TimeZone('America/New_York').wall(at('2024-01-01T04:59:59.900Z')), {
    year: 2023,
    month: 12,
    day: 31,
    hour: 23,
    minute: 59,
    second: 59,
    weekday: 0,
  });
  assert.deepEqual(new TimeZone('UTC').wall(at('2024-02-29T12:34:56Z')), {
    year: 2024,
    month: 2,
    day: 29,
    hour: 12,
    minute: 34,
    second: 56,
    weekday: 4,
  });
});

test('offsets, including on the day of a change', () => {
  const ny = new TimeZone('America/New_York');
  assert.equal(ny.offsetAt(at('2024-03-10T06:59:00Z')), -5 * 3600_000);
  assert.equal(ny.offsetAt(at('2024-03-10T07:00:00Z')), -4 * 3600_000);
  assert.equal(new TimeZone('Asia/Kathmandu').offsetAt(at('2024-06-01T00:00:00Z')), (5 * 60 + 45) * 60_000);
});

const dates: { zone: string; fields: [number, number, number, number, number]; want: string }[] = [
  { zone: 'Europe/Paris', fields: [2024, 1, 1, 9, 0], want: '2024-01-01T08:00:00.000Z' },
  // overflowing fields carry over, as time.Date normalizes them
  { zone: 'UTC', fields: [2024, 13, 32, 24, 60], want: '2025-02-02T01:00:00.000Z' },
  { zone: 'UTC', fields: [2024, 3, 0, 0, 0], want: '2024-02-29T00:00:00.000Z' },
  // a time in the spring-forward gap: Go takes the offset from after the change
  { zone: 'America/New_York', fields: [2024, 3, 10, 2, 30], want: '2024-03-10T06:30:00.000Z' },
  { zone: 'Europe/Paris', fields: [2024, 3, 31, 2, 30], want: '2024-03-31T01:30:00.000Z' },
  // a time in the fall-back overlap: the first of the two
  { zone: 'America/New_York', fields: [2024, 11, 3, 1, 30], want: '2024-11-03T05:30:00.000Z' },
];
for (const d of dates) {
  test(`date(${d.fields.join(', ')}) in ${d.zone}`, () => {
    assert.equal(iso(new TimeZone(d.zone).date(...d.fields)), d.want);
  });
}

test('addDate keeps the wall clock across a change of offset', () => {
  const paris = new TimeZone('Europe/Paris');
  assert.equal(iso(paris.addDate(at('2024-03-30T08:00:00Z'), 0, 0, 1)), '2024-03-31T07:00:00.000Z');
  assert.equal(iso(paris.addDate(at('2024-01-31T08:00:00Z'), 0, 1, 0)), '2024-03-02T08:00:00.000Z');
});

test('RFC 3339 with the zone offset, Z when it is zero', () => {
  const t = at('2024-01-01T08:00:00Z');
  assert.equal(new TimeZone('Europe/Paris').formatRFC3339(t), '2024-01-01T09:00:00+01:00');
  assert.equal(new TimeZone('America/New_York').formatRFC3339(t), '2024-01-01T03:00:00-05:00');
  assert.equal(new TimeZone('Asia/Kolkata').formatRFC3339(t), '2024-01-01T13:30:00+05:30');
  assert.equal(new TimeZone('Europe/London').formatRFC3339(t), '2024-01-01T08:00:00Z');
  assert.equal(new TimeZone('UTC').formatRFC3339(t), '2024-01-01T08:00:00Z');
});

test('an unknown zone throws', () => {
  assert.throws(() => new TimeZone('Mars/Olympus'), RangeError);
});
