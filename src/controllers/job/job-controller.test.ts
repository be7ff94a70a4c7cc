import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import { rfc3339 } from '../../machinery/time.js';
import { NS } from '../controller-utils/testing/objects.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { JobController } from './job-controller.js';
import { type Job, JOB_TRACKING_FINALIZER, JOBS, type JobSpec } from './types.js';

function setup() {
  const cluster = new FakeClientset();
  const queues: FakeQueue[] = [];
  const recorder = new FakeRecorder();
  const jc = new JobController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    recorder,
    newQueue: () => {
      const q = new FakeQueue();
      queues.push(q);
      return q;
    },
    now: cluster.clock.now,
    syncJobBatchPeriodMs: 0,
  });
  const [queue, orphans] = queues as [FakeQueue, FakeQueue];
  const w = {
    cluster,
    queue,
    orphans,
    recorder,
    jc,
    settle: () => drain(queue, (k) => jc.sync(k)),
    create(name: string, spec: JobSpec): Job {
      const labels = { 'job-name': name };
      return cluster.tracker.put(JOBS, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, namespace: NS, generation: 1 },
        spec: {
          parallelism: 1,
          backoffLimit: 6,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
          ...spec,
        },
      }) as Job;
    },
    job: (name: string) => cluster.tracker.get(JOBS, NS, name) as Job,
    pods: (name: string) =>
      (cluster.tracker.list(PODS, NS) as Pod[])
        .filter((p) => p.metadata.labels?.['job-name'] === name)
        .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')),
    active: (name: string) =>
      w.pods(name).filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? '') && !p.metadata.deletionTimestamp),
    /** The kubelet: the pod's container exits with `exitCode` (Succeeded when 0). */
    finish(pod: Pod, exitCode = 0): void {
      const next = structuredClone(cluster.tracker.get(PODS, NS, pod.metadata.name ?? '') as Pod);
      const at = rfc3339(cluster.clock.now());
      next.status = {
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at }],
        containerStatuses: [{ name: 'main', restartCount: 0, state: { terminated: { exitCode, finishedAt: at } } }] as never,
      };
      cluster.tracker.put(PODS, next);
    },
    conditions: (name: string) => (w.job(name).status?.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason ?? ''}`),
    events: (reason?: string) => recorder.events.filter((e) => !reason || e.reason === reason).map((e) => `${e.reason} ${e.message}`),
  };
  return w;
}

test('completions 3, parallelism 2: pods with the tracking finalizer, counted, then Complete', async () => {
  const w = setup();
  w.create('pi', { completions: 3, parallelism: 2 });
  await w.settle();
  const first = w.pods('pi');
  assert.equal(first.length, 2);
  for (const p of first) {
    assert.match(p.metadata.name ?? '', /^pi-[a-z0-9]{5}$/);
    assert.deepEqual(p.metadata.finalizers, [JOB_TRACKING_FINALIZER]);
    assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'Job');
  }
  assert.equal(w.job('pi').status?.active, 2);
  assert.ok(w.job('pi').status?.startTime);
  for (const p of first) w.finish(p);
  await w.settle();
  assert.equal(w.job('pi').status?.succeeded, 2);
  assert.deepEqual(w.job('pi').status?.uncountedTerminatedPods, {});
  assert.equal(w.active('pi').length, 1, 'one completion left: one pod');
  for (const p of first) assert.deepEqual(w.pods('pi').find((x) => x.metadata.name === p.metadata.name)?.metadata.finalizers ?? [], []);
  w.finish(w.active('pi')[0] as Pod);
  await w.settle();
  const status = w.job('pi').status;
  assert.deepEqual(w.conditions('pi'), ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
  assert.equal(status?.succeeded, 3);
  assert.equal(status?.active, undefined);
  assert.equal(status?.completionTime, status?.conditions?.[1]?.lastTransitionTime);
  assert.equal(w.events('SuccessfulCreate').length, 3);
  assert.deepEqual(w.events('Completed'), ['Completed Job completed']);
});

test('failures back off 10 s, doubling, until backoffLimit fails the Job', async () => {
  const w = setup();
  w.create('f', { backoffLimit: 2 });
  await w.settle();
  for (const [n, delay] of [
    [1, 10_000],
    [2, 20_000],
  ] as const) {
    w.finish(w.active('f')[0] as Pod, 1);
    await w.settle();
    assert.equal(w.job('f').status?.failed, n);
    assert.equal(w.active('f').length, 0, 'no replacement before the backoff');
    assert.equal(w.queue.delayOf(`${NS}/f`), delay);
    await w.cluster.clock.step(delay);
    w.queue.add(`${NS}/f`);
    await w.settle();
    assert.equal(w.active('f').length, 1, `replacement ${n} after ${delay} ms`);
  }
  w.finish(w.active('f')[0] as Pod, 1);
  await w.settle();
  assert.deepEqual(w.conditions('f'), ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded']);
  assert.equal(w.job('f').status?.failed, 3);
  assert.deepEqual(w.events('BackoffLimitExceeded'), ['BackoffLimitExceeded Job has reached the specified backoff limit']);
});

test('activeDeadlineSeconds: pods deleted, FailureTarget, then Failed with DeadlineExceeded once they are gone', async () => {
  const w = setup();
  w.create('d', { activeDeadlineSeconds: 10, parallelism: 2, completions: 4 });
  await w.settle();
  assert.equal(w.active('d').length, 2);
  assert.equal(w.queue.delayOf(`${NS}/d`), 10_000);
  await w.cluster.clock.step(10_000);
  w.queue.add(`${NS}/d`);
  await w.settle();
  assert.deepEqual(w.conditions('d'), ['FailureTarget=True:DeadlineExceeded', 'Failed=True:DeadlineExceeded']);
  assert.equal(w.job('d').status?.failed, 2, 'pods still running when the Job failed count as failed');
  assert.equal(w.pods('d').length, 0, 'finalizers removed, pods deleted');
  assert.deepEqual(w.events('DeadlineExceeded'), ['DeadlineExceeded Job was active longer than specified deadline']);
});

test('Indexed: pods per index with name, label, hostname and env; completedIndexes', async () => {
  const w = setup();
  w.create('ix', { completionMode: 'Indexed', completions: 3, parallelism: 2 });
  await w.settle();
  const pods = w.pods('ix');
  assert.deepEqual(
    pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']),
    ['0', '1'],
  );
  for (const [i, p] of pods.entries()) {
    assert.match(p.metadata.name ?? '', new RegExp(`^ix-${i}-[a-z0-9]{5}$`));
    assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-completion-index'], String(i));
    assert.equal(p.spec?.['hostname'], `ix-${i}`);
    const env = ((p.spec?.['containers'] ?? []) as { env: unknown[] }[])[0]?.env;
    assert.deepEqual(env, [
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } },
      },
    ]);
  }
  w.finish(pods[1] as Pod);
  await w.settle();
  assert.equal(w.job('ix').status?.completedIndexes, '1');
  assert.deepEqual(
    w.active('ix').map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']),
    ['0', '2'],
  );
  for (const p of w.active('ix')) w.finish(p);
  await w.settle();
  assert.equal(w.job('ix').status?.completedIndexes, '0-2');
  assert.equal(w.job('ix').status?.succeeded, 3);
  assert.deepEqual(w.conditions('ix'), ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
});

test('podFailurePolicy: Ignore does not count, FailJob fails the Job with the matching message', async () => {
  const w = setup();
  w.create('p', {
    backoffLimit: 0,
    podFailurePolicy: {
      rules: [
        { action: 'Ignore', onExitCodes: { operator: 'In', values: [137] } },
        { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
      ],
    },
  });
  await w.settle();
  w.finish(w.active('p')[0] as Pod, 137);
  await w.settle();
  assert.equal(w.job('p').status?.failed, undefined, 'ignored');
  await w.cluster.clock.step(10_000);
  w.queue.add(`${NS}/p`);
  await w.settle();
  const pod = w.active('p')[0] as Pod;
  w.finish(pod, 42);
  await w.settle();
  assert.deepEqual(w.conditions('p'), ['FailureTarget=True:PodFailurePolicy', 'Failed=True:PodFailurePolicy']);
  assert.equal(
    w.job('p').status?.conditions?.[1]?.message,
    `Container main for pod ${NS}/${pod.metadata.name} failed with exit code 42 matching FailJob rule at index 1`,
  );
});

test('backoffLimitPerIndex: a failed index fails the Job once every index is done', async () => {
  const w = setup();
  w.create('bi', { completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimitPerIndex: 0 });
  await w.settle();
  const [p0, p1] = w.pods('bi') as [Pod, Pod];
  assert.equal(p0.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'], '0');
  w.finish(p0, 1);
  await w.settle();
  assert.equal(w.job('bi').status?.failedIndexes, '0');
  assert.equal(w.active('bi').length, 1, 'no retry of index 0');
  w.finish(p1);
  await w.settle();
  assert.deepEqual(w.conditions('bi'), ['FailureTarget=True:FailedIndexes', 'Failed=True:FailedIndexes']);
  assert.equal(w.job('bi').status?.completedIndexes, '1');
});

test('successPolicy: the succeeded index of a rule ends the Job, lingering pods removed', async () => {
  const w = setup();
  w.create('sp', { completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0' }] } });
  await w.settle();
  w.finish(w.pods('sp')[0] as Pod);
  await w.settle();
  assert.deepEqual(w.conditions('sp'), ['SuccessCriteriaMet=True:SuccessPolicy', 'Complete=True:SuccessPolicy']);
  assert.equal(w.job('sp').status?.conditions?.[0]?.message, 'Matched rules at index 0');
  assert.equal(w.active('sp').length, 0);
});

test('suspend deletes the pods and sets Suspended; resume resets startTime', async () => {
  const w = setup();
  w.create('s', { suspend: true, parallelism: 2, completions: 2 });
  await w.settle();
  assert.equal(w.pods('s').length, 0);
  assert.equal(w.job('s').status?.startTime, undefined);
  assert.deepEqual(w.conditions('s'), ['Suspended=True:JobSuspended']);
  const j = structuredClone(w.job('s'));
  j.spec = { ...j.spec, suspend: false };
  j.metadata.generation = 2;
  w.cluster.tracker.put(JOBS, j);
  await w.settle();
  assert.equal(w.active('s').length, 2);
  assert.deepEqual(w.conditions('s'), ['Suspended=False:JobResumed']);
  assert.ok(w.job('s').status?.startTime);
  const again = structuredClone(w.job('s'));
  again.spec = { ...again.spec, suspend: true };
  again.metadata.generation = 3;
  w.cluster.tracker.put(JOBS, again);
  await w.settle();
  assert.equal(w.pods('s').length, 0, 'finalizer removed before the delete');
  assert.equal(w.job('s').status?.active, undefined);
  assert.deepEqual(w.events('Suspended'), ['Suspended Job suspended', 'Suspended Job suspended']);
  assert.deepEqual(w.events('Resumed'), ['Resumed Job resumed']);
});

test('adopts a matching orphan with the finalizer; frees pods of a deleted Job from it', async () => {
  const w = setup();
  w.cluster.tracker.put(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'stray', namespace: NS, labels: { 'job-name': 'a' } },
    spec: { containers: [{ name: 'main', image: 'busybox' }] },
    status: { phase: 'Running' },
  });
  const job = w.create('a', { parallelism: 1, completions: 1 });
  await w.settle();
  const stray = w.pods('a').find((p) => p.metadata.name === 'stray');
  assert.equal(stray?.metadata.ownerReferences?.[0]?.uid, job.metadata.uid);
  assert.deepEqual(stray?.metadata.finalizers, [JOB_TRACKING_FINALIZER]);
  assert.equal(w.pods('a').length, 1, 'the adopted pod is the one active pod');
  w.cluster.tracker.remove(JOBS, NS, 'a');
  await drain(w.orphans, (k) => w.jc.syncOrphanPod(k));
  assert.deepEqual(w.pods('a')[0]?.metadata.finalizers ?? [], []);
});

test('podReplacementPolicy: TerminatingOrFailed counts a terminating pod as failed and replaces it, Failed waits for its end', async () => {
  for (const policy of ['TerminatingOrFailed', 'Failed'] as const) {
    const w = setup();
    w.create('r', { podReplacementPolicy: policy });
    await w.settle();
    const [pod] = w.pods('r') as [Pod];
    await w.cluster.resource(PODS).delete(NS, pod.metadata.name ?? '');
    await w.settle();
    await w.cluster.clock.step(10_000);
    w.queue.add(`${NS}/r`);
    await w.settle();
    if (policy === 'TerminatingOrFailed') {
      assert.equal(w.job('r').status?.failed, 1);
      assert.equal(w.active('r').length, 1, 'replaced after the backoff');
      continue;
    }
    assert.equal(w.active('r').length, 0, 'not replaced while terminating');
    assert.equal(w.job('r').status?.terminating, 1);
    w.finish(w.pods('r')[0] as Pod, 137);
    await w.settle();
    await w.cluster.clock.step(10_000);
    w.queue.add(`${NS}/r`);
    await w.settle();
    assert.equal(w.active('r').length, 1, 'replaced once Failed and the backoff passed');
    assert.equal(w.job('r').status?.failed, 1);
  }
});

test('restartPolicy OnFailure: container restarts count toward backoffLimit', async () => {
  const w = setup();
  const job = w.create('of', { backoffLimit: 2 });
  const j = structuredClone(job);
  (j.spec?.template?.spec as Record<string, unknown>)['restartPolicy'] = 'OnFailure';
  w.cluster.tracker.put(JOBS, j);
  await w.settle();
  const pod = structuredClone(w.pods('of')[0] as Pod);
  pod.status = { phase: 'Running', containerStatuses: [{ name: 'main', restartCount: 2 }] };
  w.cluster.tracker.put(PODS, pod);
  await w.settle();
  assert.deepEqual(w.conditions('of'), ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded']);
});

test('without completions: the first success stops new pods; Complete once none is active', async () => {
  const w = setup();
  w.cluster.tracker.put(JOBS, { ...w.create('q', { parallelism: 2 }) });
  const j = structuredClone(w.job('q'));
  delete j.spec?.completions;
  w.cluster.tracker.put(JOBS, j);
  await w.settle();
  const [a, b] = w.pods('q') as [Pod, Pod];
  w.finish(a);
  await w.settle();
  assert.equal(w.active('q').length, 1, 'no replacement after a success');
  assert.deepEqual(w.conditions('q'), []);
  w.finish(b);
  await w.settle();
  assert.deepEqual(w.conditions('q'), ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
  assert.equal(w.job('q').status?.succeeded, 2);
});

test('maxFailedIndexes: more failed indexes than allowed fails the Job at once', async () => {
  const w = setup();
  w.create('mf', { completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 0, maxFailedIndexes: 1 });
  await w.settle();
  const [p0, p1] = w.pods('mf') as [Pod, Pod];
  w.finish(p0, 1);
  await w.settle();
  assert.deepEqual(w.conditions('mf'), []);
  w.finish(p1, 1);
  await w.settle();
  assert.deepEqual(w.conditions('mf'), ['FailureTarget=True:MaxFailedIndexesExceeded', 'Failed=True:MaxFailedIndexesExceeded']);
  assert.equal(w.job('mf').status?.failedIndexes, '0,1');
  assert.equal(w.active('mf').length, 0);
});

test('backoffLimitPerIndex: an index retries after its own backoff, carrying its failure count', async () => {
  const w = setup();
  w.create('pi', { completionMode: 'Indexed', completions: 1, parallelism: 1, backoffLimitPerIndex: 2 });
  await w.settle();
  w.finish(w.pods('pi')[0] as Pod, 1);
  await w.settle();
  assert.equal(w.active('pi').length, 0);
  assert.equal(w.queue.delayOf(`${NS}/pi`), 10_000);
  assert.equal(w.pods('pi')[0]?.metadata.finalizers?.length, 1, 'the failed pod is kept until its replacement exists');
  await w.cluster.clock.step(10_000);
  w.queue.add(`${NS}/pi`);
  await w.settle();
  const replacement = w.active('pi')[0] as Pod;
  assert.equal(replacement.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'], '1');
  assert.equal(w.job('pi').status?.failed, 1);
});
