import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSchedule } from './schedule.js';
import { TimeZone } from './time-zone.js';

const UTC = new TimeZone('UTC');
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

const cases: { spec: string; from: string; want: (string | undefined)[] }[] = [
  { spec: '*/15 * * * *', from: '2024-01-01T00:07:30Z', want: ['2024-01-01T00:15:00.000Z', '2024-01-01T00:30:00.000Z'] },
  { spec: '0 0 * * *', from: '2024-01-01T00:00:00Z', want: ['2024-01-02T00:00:00.000Z'] },
  { spec: '59 23 31 12 *', from: '2024-06-01T00:00:00Z', want: ['2024-12-31T23:59:00.000Z', '2025-12-31T23:59:00.000Z'] },
  { spec: '0 0 29 2 *', from: '2024-03-01T00:00:00Z', want: ['2028-02-29T00:00:00.000Z'] },
  // a day that never comes: no time within five years (Go's zero time)
  { spec: '0 0 30 2 *', from: '2024-01-01T00:00:00Z', want: [undefined] },
  // day of month and day of week both restricted: either matches
  { spec: '0 9 1 * mon', from: '2024-01-02T00:00:00Z', want: ['2024-01-08T09:00:00.000Z', '2024-01-15T09:00:00.000Z'] },
  // one of them `*` or `?`: both must match
  { spec: '0 9 ? * MON', from: '2024-01-02T00:00:00Z', want: ['2024-01-08T09:00:00.000Z'] },
  { spec: '0 9 */10 * *', from: '2024-01-02T00:00:00Z', want: ['2024-01-11T09:00:00.000Z', '2024-01-21T09:00:00.000Z'] },
  { spec: '0 0 1 jan-mar/2 *', from: '2024-01-02T00:00:00Z', want: ['2024-03-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'] },
  { spec: '5,10-12 * * * *', from: '2024-01-01T00:10:00Z', want: ['2024-01-01T00:11:00.000Z', '2024-01-01T00:12:00.000Z'] },
  { spec: '@hourly', from: '2024-01-01T00:59:59.500Z', want: ['2024-01-01T01:00:00.000Z'] },
  { spec: '@daily', from: '2024-01-01T12:00:00Z', want: ['2024-01-02T00:00:00.000Z'] },
  { spec: '@weekly', from: '2024-01-01T12:00:00Z', want: ['2024-01-07T00:00:00.000Z'] },
  { spec: '@monthly', from: '2024-01-01T12:00:00Z', want: ['2024-02-01T00:00:00.000Z'] },
  { spec: '@yearly', from: '2024-01-01T12:00:00Z', want: ['2025-01-01T00:00:00.000Z'] },
  { spec: '@every 90s', from: '2024-01-01T00:00:00.250Z', want: ['2024-01-01T00:01:30.000Z', '2024-01-01T00:03:00.000Z'] },
  { spec: 'TZ=Europe/Paris 0 9 * * *', from: '2024-01-01T00:00:00Z', want: ['2024-01-01T08:00:00.000Z'] },
  { spec: 'CRON_TZ=Asia/Kolkata 0 9 * * *', from: '2024-07-01T00:00:00Z', want: ['2024-07-01T03:30:00.000Z'] },
  // New York springs forward on 10 March 2024: 02:30 does not exist that day and is skipped
  { spec: 'TZ=America/New_York 30 2 * * *', from: '2024-03-09T08:00:00Z', want: ['2024-03-11T06:30:00.000Z'] },
  // ...and falls back on 3 November 2024: 01:30 happens twice, and runs twice
  {
    spec: 'TZ=America/New_York 30 1 * * *',
    from: '2024-11-03T04:00:00Z',
    want: ['2024-11-03T05:30:00.000Z', '2024-11-03T06:30:00.000Z', '2024-11-04T06:30:00.000Z'],
  },
  // Paris: a daily 09:00 keeps its wall time across the change of offset
  { spec: 'TZ=Europe/Paris 0 9 * * *', from: '2024-03-30T09:00:00Z', want: ['2024-03-31T07:00:00.000Z', '2024-04-01T07:00:00.000Z'] },
];
for (const c of cases) {
  test(`next of ${JSON.stringify(c.spec)} from ${c.from}`, () => {
    const s = parseSchedule(c.spec, UTC);
    let t: number | undefined = at(c.from);
    const got: (string | undefined)[] = [];
    for (let i = 0; i < c.want.length && t !== undefined; i++) {
      t = s.next(t);
      got.push(iso(t));
    }
    assert.deepEqual(got, c.want);
  });
}

test('a schedule without a time zone follows the zone it is given as local', () => {
  const s = parseSchedule('0 9 * * *', new TimeZone('Asia/Tokyo'));
  assert.equal(iso(s.next(at('2024-01-01T00:00:00Z'))), '2024-01-02T00:00:00.000Z');
});

const field = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min, max }).map(String),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 1, max: max - min + 1 }).map((step) => `*/${step}`),
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(',')),
  );
const spec = fc.tuple(field(0, 59), field(0, 23), field(1, 31), field(0, 6)).map(([mi, h, dom, dow]) => `${mi} ${h} ${dom} * ${dow}`);
const instant = fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') });

/** Minute by minute, the first matching minute after `t` within `limit` minutes. */
function bruteForceNext(specText: string, t: number, limit: number): number | undefined {
  const [mi, h, dom, , dow] = specText.split(' ');
  const set = (f: string, min: number, max: number): Set<number> => {
    const out = new Set<number>();
    for (const part of f.split(',')) {
      const [range, step] = part.split('/');
      const [a, b] = range === '*' ? [min, max] : (range ?? '').split('-').map(Number);
      const lo = a ?? min;
      const hi = step && b === undefined && range !== '*' ? max : (b ?? lo);
      for (let v = lo; v <= hi; v += Number(step ?? 1)) out.add(v);
    }
    return out;
  };
  const [M, H, D, W] = [set(mi ?? '', 0, 59), set(h ?? '', 0, 23), set(dom ?? '', 1, 31), set(dow ?? '', 0, 6)];
  const star = (f: string | undefined): boolean => f === '*' || f === '*/1';
  let m = Math.floor(t / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < limit; i++, m += 60_000) {
    const d = new Date(m);
    const dm = D.has(d.getUTCDate());
    const wm = W.has(d.getUTCDay());
    const day = star(dom) || star(dow) ? dm && wm : dm || wm;
    if (day && H.has(d.getUTCHours()) && M.has(d.getUTCMinutes())) return m;
  }
  return undefined;
}

test('property: next is the first matching minute after t (UTC, against brute force)', () => {
  fc.assert(
    fc.property(spec, instant, (s, t) => {
      const want = bruteForceNext(s, t, 70 * 24 * 60);
      if (want === undefined) return true;
      assert.equal(iso(parseSchedule(s, UTC).next(t)), iso(want), s);
      return true;
    }),
    { numRuns: 150 },
  );
});

test('property: in a fixed-offset zone, next is the UTC next shifted by the offset', () => {
  const plus5 = new TimeZone('Etc/GMT-5');
  fc.assert(
    fc.property(spec, instant, (s, t) => {
      const shift = 5 * 3600_000;
      const utc = parseSchedule(s, UTC).next(t + shift);
      const zoned = parseSchedule(s, plus5).next(t);
      assert.equal(zoned, utc === undefined ? undefined : utc - shift, s);
    }),
    { numRuns: 150 },
  );
});

test('property: next is strictly later, and stable between t and next', () => {
  fc.assert(
    fc.property(spec, instant, fc.double({ min: 0, max: 1, noNaN: true }), (s, t, frac) => {
      const sched = parseSchedule(s, new TimeZone('Europe/Berlin'));
      const n = sched.next(t);
      if (n === undefined) return;
      assert.ok(n > t);
      const between = t + Math.floor((n - t - 1) * frac);
      assert.equal(sched.next(between), n);
    }),
    { numRuns: 150 },
  );
});
