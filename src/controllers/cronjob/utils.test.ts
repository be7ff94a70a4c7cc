import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedule } from './schedule.js';
import { TimeZone } from './time-zone.js';
import type { CronJob } from './types.js';
import { byJobStartTime, jobName, mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration } from './utils.js';

const UTC = new TimeZone('UTC');
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000', ''));

function cj(schedule: string, status: { lastScheduleTime?: string } = {}, startingDeadlineSeconds?: number): CronJob {
  return {
    metadata: { name: 'hello', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { schedule, ...(startingDeadlineSeconds === undefined ? {} : { startingDeadlineSeconds }) },
    status,
  };
}

const cases: { name: string; schedule: string; last?: string; now: string; deadline?: number; want: string | undefined; missed: string }[] =
  [
    { name: 'before the first time', schedule: '0 * * * *', now: '2024-01-01T00:30:00Z', want: undefined, missed: 'none' },
    { name: 'the first time', schedule: '0 * * * *', now: '2024-01-01T01:00:00.1Z', want: '2024-01-01T01:00:00Z', missed: 'none' },
    {
      name: 'a few missed',
      schedule: '0 * * * *',
      last: '2024-01-01T01:00:00Z',
      now: '2024-01-01T05:10:00Z',
      want: '2024-01-01T05:00:00Z',
      missed: 'few',
    },
    {
      name: 'many missed',
      schedule: '*/1 * * * *',
      last: '2024-01-01T00:00:00Z',
      now: '2024-01-01T02:00:30Z',
      want: '2024-01-01T02:00:00Z',
      missed: 'many',
    },
    // an irregular schedule: the rough count of missed times should not overshoot the most recent one
    {
      name: 'irregular, on a weekday',
      schedule: '30 6-16/4 * * 1-5',
      last: '2024-01-01T06:30:00Z',
      now: '2024-01-03T12:00:00Z',
      want: '2024-01-03T10:30:00Z',
      missed: 'few',
    },
    // ...but it can: upstream's estimate lands past Friday's last time, and none is started
    {
      name: 'irregular, on a weekend',
      schedule: '30 6-16/4 * * 1-5',
      last: '2024-01-01T06:30:00Z',
      now: '2024-01-06T12:00:00Z',
      want: undefined,
      missed: 'few',
    },
    {
      name: 'irregular, over a weekend',
      schedule: '30 6-16/4 * * 1-5',
      last: '2024-01-05T06:30:00Z',
      now: '2024-01-08T07:00:00Z',
      want: '2024-01-08T06:30:00Z',
      missed: 'few',
    },
    {
      name: '@every after downtime',
      schedule: '@every 7m',
      last: '2024-01-01T00:00:00Z',
      now: '2024-01-01T01:00:00Z',
      want: '2024-01-01T00:56:00Z',
      missed: 'few',
    },
    // the starting deadline moves the earliest time up to now - deadline
    {
      name: 'deadline',
      schedule: '*/1 * * * *',
      last: '2024-01-01T00:00:00Z',
      now: '2024-01-01T03:00:30Z',
      deadline: 60,
      want: '2024-01-01T03:00:00Z',
      missed: 'none',
    },
  ];
for (const c of cases) {
  test(`mostRecentScheduleTime: ${c.name}`, () => {
    const r = mostRecentScheduleTime(
      cj(c.schedule, c.last ? { lastScheduleTime: c.last } : {}, c.deadline),
      Date.parse(c.now),
      parseSchedule(c.schedule, UTC),
      true,
    );
    assert.deepEqual({ mostRecent: iso(r.mostRecent), missed: r.missed }, { mostRecent: c.want, missed: c.missed });
  });
}

test('a schedule that never comes is an error, not a time', () => {
  const r = nextScheduleTime(cj('0 0 31 2 *'), Date.parse('2024-06-01T00:00:00Z'), parseSchedule('0 0 31 2 *', UTC));
  assert.deepEqual(r, { tooManyMissed: false, error: 'time difference between two schedules is less than 1 second' });
});

test('nextScheduleTimeDuration: after the most recent time, or from now when times were missed', () => {
  const s = parseSchedule('0 * * * *', UTC);
  const now = Date.parse('2024-01-01T05:10:00Z');
  assert.equal(nextScheduleTimeDuration(cj('0 * * * *', { lastScheduleTime: '2024-01-01T05:00:00Z' }), now, s), 50 * 60_000 + 100);
  assert.equal(nextScheduleTimeDuration(cj('0 * * * *', { lastScheduleTime: '2024-01-01T01:00:00Z' }), now, s), 50 * 60_000 + 100);
});

test('jobName: the scheduled time in minutes since the epoch', () => {
  assert.equal(jobName(cj('* * * * *'), Date.parse('2024-01-01T00:01:00Z')), 'hello-28401121');
});

test('byJobStartTime: started first, earliest first, names break ties', () => {
  const job = (name: string, startTime?: string) => ({ metadata: { name }, status: startTime ? { startTime } : {} });
  const jobs = [job('d'), job('c', '2024-01-01T00:02:00Z'), job('b', '2024-01-01T00:01:00Z'), job('a', '2024-01-01T00:02:00Z')];
  assert.deepEqual(
    jobs.sort(byJobStartTime).map((j) => j.metadata.name),
    ['b', 'a', 'c', 'd'],
  );
});
