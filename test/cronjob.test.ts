/**
 * CronJobs with real kubectl against `k8ts server --runtime fake`: a `*\/1` CronJob starts a Job
 * at the next minute whose simulated pod completes, with the status and events upstream gives;
 * a suspended one starts nothing; `kubectl create job --from=cronjob/…`; schedules and time
 * zones refused with upstream's messages. The minute's wait is the file's only long one: the
 * other checks run while it passes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { eventually } from './support/wait.js';

let server: TestServer;
let cache: string;
let k: Kubectl;

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '1'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-cronjob-'));
  k = kubectl('1.33', server.kubeconfig, cache);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

function cronJob(name: string, extra: string): string {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "*/1 * * * *"
${extra}
  jobTemplate:
    metadata:
      labels: {app: ${name}}
    spec:
      template:
        metadata:
          annotations: {k8ts.io/simulate-exit: "1s:0"}
        spec:
          restartPolicy: Never
          containers: [{name: hello, image: busybox, imagePullPolicy: IfNotPresent, command: [date]}]
`;
}

interface CronJobStatus {
  active?: { name: string; kind: string; uid: string }[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

async function status(name: string): Promise<CronJobStatus> {
  return (JSON.parse(ok(await k(['get', 'cronjob', name, '-o', 'json']), 'get cronjob')) as { status?: CronJobStatus }).status ?? {};
}

async function jobNames(): Promise<string[]> {
  return ok(await k(['get', 'jobs', '-o', 'jsonpath={.items[*].metadata.name}']), 'get jobs')
    .split(/\s+/)
    .filter(Boolean);
}

/** The stderr of a kubectl run that must fail. */
async function refused(args: string[], input?: string): Promise<string> {
  const r = await k(args, input === undefined ? {} : { input });
  assert.notEqual(r.code, 0, `${args.join(' ')} succeeded: ${r.stdout}`);
  return r.stderr;
}

describe('CronJobs', { timeout: 150_000 }, () => {
  it('creates a suspended and a running CronJob and lists them', async () => {
    // the suspended one first: by the time the other has run, it would have run too
    const manifests = `${cronJob('sleepy', '  suspend: true')}---\n${cronJob('hello', '  successfulJobsHistoryLimit: 1')}`;
    const out = ok(await k(['apply', '-f', '-'], { input: manifests }), 'apply');
    assert.match(out, /cronjob.batch\/sleepy created/);
    assert.match(out, /cronjob.batch\/hello created/);
    const table = ok(await k(['get', 'cronjobs']), 'get cronjobs');
    assert.match(table, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/m);
    assert.match(table, /^hello\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\S+$/m);
    assert.match(table, /^sleepy\s+\*\/1 \* \* \* \*\s+<none>\s+True\s+0\s+<none>\s+\S+$/m);
  });

  it('refuses bad schedules and time zones with upstream messages', async () => {
    assert.match(
      await refused(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=61 * * * *']),
      /spec.schedule: Invalid value: "61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61/,
    );
    assert.match(
      await refused(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=@fortnightly']),
      /spec.schedule: Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly/,
    );
    const tz = cronJob('bad', '').replace('"*/1 * * * *"', '"TZ=Europe/Paris */1 * * * *"');
    assert.match(
      await refused(['apply', '-f', '-'], tz),
      /spec.schedule: Invalid value: "TZ=Europe\/Paris \*\/1 \* \* \* \*": cannot use TZ or CRON_TZ in schedule, use timeZone field instead/,
    );
    assert.match(
      await refused(['apply', '-f', '-'], cronJob('bad', '  timeZone: Mars/Olympus')),
      /spec.timeZone: Invalid value: "Mars\/Olympus": unknown time zone Mars\/Olympus/,
    );
    const zoned = ok(
      await k(['apply', '-f', '-'], { input: cronJob('paris', '  timeZone: Europe/Paris\n  suspend: true') }),
      'apply paris',
    );
    assert.match(zoned, /cronjob.batch\/paris created/);
    assert.match(ok(await k(['get', 'cronjob', 'paris']), 'get paris'), /^paris\s+\*\/1 \* \* \* \*\s+Europe\/Paris\s+True\s/m);
  });

  it('kubectl create job --from=cronjob makes a Job the CronJob controls, which it reports as unexpected', async () => {
    assert.match(ok(await k(['create', 'job', 'manual', '--from=cronjob/hello']), 'create job --from'), /job.batch\/manual created/);
    const job = JSON.parse(ok(await k(['get', 'job', 'manual', '-o', 'json']), 'get job manual')) as {
      metadata: {
        annotations?: Record<string, string>;
        labels?: Record<string, string>;
        ownerReferences?: { kind: string; name: string; controller?: boolean }[];
      };
    };
    assert.equal(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.equal(job.metadata.labels?.['app'], 'hello');
    assert.deepEqual(
      job.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}/${r.controller}`),
      ['CronJob/hello/true'],
    );
    await eventually('the UnexpectedJob event', async () =>
      /Warning\s+UnexpectedJob\s+.*\s+cronjob-controller\s+Saw a job that the controller did not create or forgot: manual/.test(
        ok(await k(['describe', 'cronjob', 'hello']), 'describe'),
      ),
    );
    ok(await k(['delete', 'job', 'manual', '--wait=true', '--timeout=30s']), 'delete job manual');
  });

  it('starts a Job at the next minute, named by its minute, with the scheduled-timestamp annotation', async () => {
    let job = '';
    await eventually(
      'a Job of hello',
      async () => {
        job = (await jobNames()).find((n) => /^hello-\d+$/.test(n)) ?? '';
        return job !== '';
      },
      75_000,
      500,
    );
    let st: CronJobStatus = {};
    await eventually('lastScheduleTime', async () => (st = await status('hello')).lastScheduleTime !== undefined);
    const scheduled = Date.parse(st.lastScheduleTime ?? '');
    assert.equal(scheduled % 60_000, 0);
    assert.equal(job, `hello-${scheduled / 60_000}`);
    const annotation = ok(
      await k(['get', 'job', job, '-o', 'jsonpath={.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}']),
      'annotation',
    );
    assert.equal(annotation, st.lastScheduleTime);
    // the minute has passed for sleepy and paris too
    assert.deepEqual(
      (await jobNames()).filter((n) => !n.startsWith('hello-')),
      [],
    );
  });

  it("the Job's pod completes, and the CronJob records it", async () => {
    const job = (await jobNames()).find((n) => /^hello-\d+$/.test(n)) ?? '';
    assert.ok(job);
    let completionTime = '';
    await eventually(
      `${job} complete`,
      async () => (completionTime = ok(await k(['get', 'job', job, '-o', 'jsonpath={.status.completionTime}']), 'get job').trim()) !== '',
      45_000,
      500,
    );
    assert.match(ok(await k(['get', 'pods', '-l', `job-name=${job}`]), 'get pods'), /\s0\/1\s+Completed\s/);
    await eventually('the SawCompletedJob event', async () =>
      new RegExp(`Normal\\s+SawCompletedJob\\s+.*\\s+cronjob-controller\\s+Saw completed job: ${job}, condition: Complete`).test(
        ok(await k(['describe', 'cronjob', 'hello']), 'describe'),
      ),
    );
    const described = ok(await k(['describe', 'cronjob', 'hello']), 'describe');
    assert.match(described, new RegExp(`Normal\\s+SuccessfulCreate\\s+.*\\s+cronjob-controller\\s+Created job ${job}`));
    // the latest completion of the CronJob's Jobs (the manual one finished earlier)
    const st = await status('hello');
    assert.ok(Date.parse(st.lastSuccessfulTime ?? '') >= Date.parse(completionTime), `${st.lastSuccessfulTime} < ${completionTime}`);
    assert.equal(
      (st.active ?? []).some((r) => r.name === job),
      false,
    );
  });
});
