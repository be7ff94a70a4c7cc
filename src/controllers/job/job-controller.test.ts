import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drain } from '../../client/testing/fake-queue.js';
import { PODS, type Pod } from '../controller-utils/types.js';
import { NS, setup } from './testing-world.js';
import { JOB_TRACKING_FINALIZER, JOBS } from './types.js';

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
