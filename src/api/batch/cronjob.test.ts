import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { cronJobPrinter, cronJobStrategy } from './cronjob.js';
import { parseCronSchedule } from './cron-schedule.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');

function cronJob(spec: Record<string, unknown> = {}, name = 'hello'): KubeObject {
  return {
    metadata: { name, namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

function errors(obj: KubeObject): string[] {
  cronJobStrategy.defaults?.(obj);
  return (cronJobStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
}

test('cronjob defaults', () => {
  const c = cronJob();
  assert.deepEqual(errors(c), []);
  const spec = c['spec'] as Record<string, unknown>;
  assert.equal(spec['concurrencyPolicy'], 'Allow');
  assert.equal(spec['suspend'], false);
  assert.equal(spec['successfulJobsHistoryLimit'], 3);
  assert.equal(spec['failedJobsHistoryLimit'], 1);
});

const scheduleCases: { schedule: string; want: string | undefined }[] = [
  { schedule: '0 * * * *', want: undefined },
  { schedule: '@hourly', want: undefined },
  { schedule: '@every 1h30m', want: undefined },
  { schedule: '0 0 * jan-mar mon,fri', want: undefined },
  { schedule: '0 0 * * 7', want: 'end of range (7) above maximum (6): 7' },
  { schedule: 'foo', want: 'expected exactly 5 fields, found 1: [foo]' },
  { schedule: '@fortnightly', want: 'unrecognized descriptor: @fortnightly' },
  { schedule: '61 * * * *', want: 'end of range (61) above maximum (59): 61' },
  { schedule: 'x * * * *', want: 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax' },
  { schedule: '5-1 * * * *', want: 'beginning of range (5) beyond end of range (1): 5-1' },
  { schedule: '*/0 * * * *', want: 'step of range should be a positive number: */0' },
  { schedule: '@every 1x', want: 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"' },
  { schedule: '@every', want: 'unrecognized descriptor: @every' },
  { schedule: '1-2-3 * * * *', want: 'too many hyphens: 1-2-3' },
  { schedule: '1/2/3 * * * *', want: 'too many slashes: 1/2/3' },
  { schedule: '0 0 * * sun-sat', want: undefined },
  { schedule: '? ? ? ? ?', want: undefined },
  { schedule: 'TZ=Mars/Olympus 0 * * * *', want: 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus' },
];
for (const c of scheduleCases) {
  test(`cron schedule ${JSON.stringify(c.schedule)}`, () => {
    if (c.want === undefined) assert.doesNotThrow(() => parseCronSchedule(c.schedule));
    else assert.throws(() => parseCronSchedule(c.schedule), { message: c.want });
  });
}

test('parsed schedule values', () => {
  const s = parseCronSchedule('*/20 9-10 * * *');
  assert.deepEqual([...s.minute], [0, 20, 40]);
  assert.deepEqual([...s.hour], [9, 10]);
  assert.equal(s.domStar, true);
});

const cases: { name: string; spec: Record<string, unknown>; want: string[]; jobName?: string }[] = [
  {
    name: 'bad schedule',
    spec: { schedule: '* * *' },
    want: ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]'],
  },
  {
    name: 'TZ in schedule',
    spec: { schedule: 'TZ=UTC 0 * * * *' },
    want: ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
  },
  {
    name: 'unknown time zone',
    spec: { timeZone: 'Mars/Olympus' },
    want: ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
  },
  { name: 'valid time zone', spec: { timeZone: 'Europe/Paris' }, want: [] },
  {
    name: 'time zone names are case-sensitive',
    spec: { timeZone: 'europe/paris' },
    want: ['spec.timeZone: Invalid value: "europe/paris": unknown time zone europe/paris'],
  },
  {
    name: 'concurrency',
    spec: { concurrencyPolicy: 'Sometimes' },
    want: ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
  },
  {
    name: 'restart policy',
    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } } },
    want: ['spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
  },
  {
    name: 'long name',
    spec: {},
    jobName: 'a'.repeat(53),
    want: [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`],
  },
];
for (const c of cases) {
  test(`cronjob validation: ${c.name}`, () => {
    assert.deepEqual(errors(cronJob(c.spec, c.jobName)), c.want);
  });
}

test('cronjob printer', () => {
  const c = cronJob({ timeZone: 'Etc/UTC' });
  cronJobStrategy.defaults?.(c);
  c['status'] = { active: [{ name: 'j1' }], lastScheduleTime: '2024-01-01T00:55:00Z' };
  assert.deepEqual(
    cronJobPrinter.columns.map((x) => x.name),
    ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector'],
  );
  assert.deepEqual(cronJobPrinter.row(c, NOW), ['hello', '*/5 * * * *', 'Etc/UTC', 'False', 1, '5m', '60m', 'c', 'busybox', '<none>']);
  assert.deepEqual(cronJobPrinter.row({ metadata: { name: 'x' } }, NOW).slice(2, 6), ['<none>', '<unset>', 0, '<none>']);
});
