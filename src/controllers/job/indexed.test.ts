import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../controller-utils/types.js';
import { NS, setup } from './testing-world.js';

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
