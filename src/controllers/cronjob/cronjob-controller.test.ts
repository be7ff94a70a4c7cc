import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { rfc3339 } from '../../machinery/time.js';
import { NS } from '../controller-utils/testing/objects.js';
import { CronJobController } from './cronjob-controller.js';
import { TimeZone } from './time-zone.js';
import { CRON_JOB_SCHEDULED_TIMESTAMP_ANNOTATION, CRON_JOBS, type CronJob, type Job, JOBS } from './types.js';

const START = Date.UTC(2024, 0, 1); // the fake clock's start, a Monday
const KEY = `${NS}/hello`;
const MINUTE = 60_000;

/** minutes since the epoch of START + m minutes: the suffix of a Job's name. */
const suffix = (m: number): number => Math.floor((START + m * MINUTE) / MINUTE);

function setup(spec: CronJob['spec'] = {}) {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const controller = new CronJobController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    recorder,
    newQueue: () => queue,
    now: cluster.clock.now,
    localZone: new TimeZone('UTC'),
  });
  const cronJob: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: NS },
    spec: {
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { app: 'hello' }, annotations: { team: 'a' } },
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } },
      },
      ...spec,
    },
  };
  const world = {
    cluster,
    queue,
    recorder,
    controller,
    settle: () => drain(queue, (k) => controller.sync(k)),
    get cronJob(): CronJob {
      return cluster.tracker.get(CRON_JOBS, NS, 'hello') as CronJob;
    },
    jobs: (): Job[] => cluster.tracker.list(JOBS, NS) as Job[],
    jobNames: (): string[] => world.jobs().map((j) => j.metadata.name ?? ''),
    /** Moves the clock to START + `minutes` (plus the requeue padding) and syncs, as the delayed key would. */
    at: async (minutes: number, extraMs = 100): Promise<void> => {
      await cluster.clock.step(START + minutes * MINUTE + extraMs - cluster.clock.now());
      queue.add(KEY);
      await world.settle();
    },
    /** Marks a Job finished as the Job controller would. */
    finish: (name: string, type: 'Complete' | 'Failed', startMinute = 0): void => {
      const job = structuredClone(cluster.tracker.get(JOBS, NS, name)) as Job;
      const now = rfc3339(cluster.clock.now());
      job.status = {
        startTime: rfc3339(START + startMinute * MINUTE),
        ...(type === 'Complete' ? { completionTime: now } : {}),
        conditions: [{ type, status: 'True', lastTransitionTime: now }],
      };
      cluster.tracker.put(JOBS, job);
    },
    messages: (reason: string): string[] => recorder.events.filter((e) => e.reason === reason).map((e) => e.message),
  };
  cluster.tracker.put(CRON_JOBS, cronJob);
  return world;
}

test('the Job of a schedule time: name, annotation, owner, template; status and a requeue for the next time', async () => {
  const w = setup();
  await w.settle();
  assert.deepEqual(w.jobs(), []);
  assert.equal(w.queue.delayOf(KEY), MINUTE + 100, 'requeued for just after 00:01');
  await w.at(1);
  const [job] = w.jobs();
  assert.ok(job);
  assert.equal(job.metadata.name, `hello-${suffix(1)}`);
  assert.deepEqual(job.metadata.labels, { app: 'hello' });
  assert.deepEqual(job.metadata.annotations, { team: 'a', [CRON_JOB_SCHEDULED_TIMESTAMP_ANNOTATION]: '2024-01-01T00:01:00Z' });
  assert.deepEqual(job.metadata.ownerReferences, [
    { apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: w.cronJob.metadata.uid, controller: true, blockOwnerDeletion: true },
  ]);
  assert.deepEqual(job.spec, w.cronJob.spec?.jobTemplate?.spec);
  assert.deepEqual(w.cronJob.status, {
    active: [
      {
        kind: 'Job',
        namespace: NS,
        name: job.metadata.name,
        uid: job.metadata.uid,
        apiVersion: 'batch/v1',
        resourceVersion: job.metadata.resourceVersion,
      },
    ],
    lastScheduleTime: '2024-01-01T00:01:00Z',
  });
  assert.deepEqual(w.messages('SuccessfulCreate'), [`Created job hello-${suffix(1)}`]);
  assert.equal(w.queue.delayOf(KEY), MINUTE, 'requeued for just after 00:02');
  // a second sync in the same minute starts nothing more
  await w.at(1, 30_000);
  assert.equal(w.jobs().length, 1);
});

test('a completed Job leaves the active list: SawCompletedJob and lastSuccessfulTime', async () => {
  const w = setup();
  await w.at(1);
  await w.cluster.clock.step(20_000);
  w.finish(`hello-${suffix(1)}`, 'Complete', 1);
  await w.settle();
  assert.deepEqual(w.messages('SawCompletedJob'), [`Saw completed job: hello-${suffix(1)}, condition: Complete`]);
  assert.deepEqual(w.cronJob.status, { lastScheduleTime: '2024-01-01T00:01:00Z', lastSuccessfulTime: '2024-01-01T00:01:20Z' });
});

test('history limits keep the newest successful and failed Jobs', async () => {
  const w = setup({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
  for (let m = 1; m <= 6; m++) {
    await w.at(m);
    w.finish(`hello-${suffix(m)}`, m % 2 === 0 ? 'Failed' : 'Complete', m);
  }
  await w.settle();
  assert.deepEqual(w.jobNames().sort(), [`hello-${suffix(3)}`, `hello-${suffix(5)}`, `hello-${suffix(6)}`]);
  assert.deepEqual(w.messages('SuccessfulDelete').sort(), [
    `Deleted job hello-${suffix(1)}`,
    `Deleted job hello-${suffix(2)}`,
    `Deleted job hello-${suffix(4)}`,
  ]);
  assert.equal(w.cronJob.status?.active, undefined);
});

test('concurrencyPolicy Allow runs Jobs side by side', async () => {
  const w = setup();
  await w.at(1);
  await w.at(2);
  assert.equal(w.cronJob.status?.active?.length, 2);
});

test('concurrencyPolicy Forbid skips a schedule time while a Job runs', async () => {
  const w = setup({ concurrencyPolicy: 'Forbid' });
  await w.at(1);
  await w.at(2);
  assert.deepEqual(w.jobNames(), [`hello-${suffix(1)}`]);
  assert.deepEqual(w.messages('JobAlreadyActive'), [
    'Not starting job because prior execution is running and concurrency policy is Forbid',
  ]);
  assert.equal(w.queue.delayOf(KEY), MINUTE, 'requeued for the next time all the same');
  w.finish(`hello-${suffix(1)}`, 'Complete', 1);
  await w.at(3);
  assert.deepEqual(w.jobNames(), [`hello-${suffix(1)}`, `hello-${suffix(3)}`]);
});

test('concurrencyPolicy Replace deletes the running Job and starts the new one', async () => {
  const w = setup({ concurrencyPolicy: 'Replace' });
  await w.at(1);
  await w.at(2);
  assert.deepEqual(w.jobNames(), [`hello-${suffix(2)}`]);
  assert.deepEqual(w.messages('SuccessfulDelete'), [`Deleted job hello-${suffix(1)}`]);
  assert.deepEqual(
    w.cronJob.status?.active?.map((r) => r.name),
    [`hello-${suffix(2)}`],
  );
  const deletion = w.cluster.actions.find((a) => a.verb === 'delete');
  assert.equal(deletion?.name, `hello-${suffix(1)}`);
});

test('after downtime only the most recent missed time is started', async () => {
  const w = setup();
  await w.at(1);
  await w.at(10, 30_000);
  assert.deepEqual(w.jobNames(), [`hello-${suffix(1)}`, `hello-${suffix(10)}`]);
  assert.deepEqual(w.messages('TooManyMissedTimes'), []);
  assert.equal(w.cronJob.status?.lastScheduleTime, '2024-01-01T00:10:00Z');
  assert.equal(w.queue.delayOf(KEY), 30_100);
});

test('more than 100 missed times: TooManyMissedTimes, and still the most recent one starts', async () => {
  const w = setup();
  await w.at(1);
  await w.at(181);
  assert.deepEqual(w.jobNames(), [`hello-${suffix(1)}`, `hello-${suffix(181)}`]);
  assert.deepEqual(w.messages('TooManyMissedTimes'), [
    'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
  ]);
});

test('startingDeadlineSeconds: a time missed by more than the deadline is not started', async () => {
  const w = setup({ startingDeadlineSeconds: 10 });
  await w.at(1, 30_000);
  assert.deepEqual(w.jobs(), []);
  // as upstream's v2 controller: the deadline bounds the search, so the time is skipped silently
  assert.deepEqual(w.messages('MissSchedule'), []);
  assert.equal(w.queue.delayOf(KEY), 30_100, 'requeued for 00:02');
  await w.at(2, 5_000);
  assert.deepEqual(w.jobNames(), [`hello-${suffix(2)}`]);
});

test('a suspended CronJob starts nothing and is not requeued', async () => {
  const w = setup({ suspend: true });
  await w.at(5);
  assert.deepEqual(w.jobs(), []);
  assert.deepEqual(w.queue.delayed, []);
});

test('timeZone: the schedule is read in the zone, the annotation written in it', async () => {
  const w = setup({ schedule: '0 9 * * *', timeZone: 'Europe/Paris' });
  await w.settle();
  assert.equal(w.queue.delayOf(KEY), 8 * 60 * MINUTE + 100, 'requeued for 09:00 in Paris, 08:00 UTC');
  await w.at(8 * 60);
  const [job] = w.jobs();
  assert.equal(job?.metadata.annotations?.[CRON_JOB_SCHEDULED_TIMESTAMP_ANNOTATION], '2024-01-01T09:00:00+01:00');
  assert.equal(job?.metadata.name, `hello-${suffix(8 * 60)}`);
});

test('a schedule that never comes: InvalidSchedule, no requeue', async () => {
  const w = setup({ schedule: '0 0 30 2 *' });
  await w.settle();
  assert.deepEqual(w.messages('InvalidSchedule'), [
    'invalid schedule: 0 0 30 2 * : time difference between two schedules is less than 1 second',
  ]);
  assert.deepEqual(w.queue.delayed, []);
});

test('an unknown time zone: UnknownTimeZone', async () => {
  const w = setup({ timeZone: 'Mars/Olympus' });
  await w.settle();
  assert.deepEqual(w.messages('UnknownTimeZone'), ['invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus']);
});

test('an active Job that went missing is dropped: MissingJob', async () => {
  const w = setup();
  await w.at(1);
  w.cluster.tracker.remove(JOBS, NS, `hello-${suffix(1)}`);
  await w.at(1, 10_000);
  assert.deepEqual(w.messages('MissingJob'), [`Active job went missing: hello-${suffix(1)}`]);
  assert.equal(w.cronJob.status?.active, undefined);
});

test('a Job created before a lost status write is taken back without a second create', async () => {
  const w = setup();
  await w.at(1);
  const cj = structuredClone(w.cronJob);
  cj.status = {};
  w.cluster.tracker.put(CRON_JOBS, cj);
  await w.at(1, 10_000);
  assert.equal(w.jobs().length, 1);
  assert.equal(w.messages('SuccessfulCreate').length, 1);
  assert.deepEqual(
    w.cronJob.status?.active?.map((r) => r.name),
    [`hello-${suffix(1)}`],
  );
});

test('a running Job the CronJob did not list: UnexpectedJob', async () => {
  const w = setup();
  const cj = w.cronJob;
  w.cluster.tracker.put(JOBS, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'manual',
      namespace: NS,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid ?? '', controller: true }],
    },
  });
  await w.settle();
  assert.deepEqual(w.messages('UnexpectedJob'), ['Saw a job that the controller did not create or forgot: manual']);
});

test('a new schedule requeues the CronJob for its next time', async () => {
  const w = setup();
  await w.settle();
  const cj = structuredClone(w.cronJob);
  cj.spec = { ...cj.spec, schedule: '0 * * * *' };
  w.cluster.tracker.put(CRON_JOBS, cj);
  assert.equal(w.queue.delayOf(KEY), 60 * MINUTE + 100);
});
