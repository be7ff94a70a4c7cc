/**
 * Jobs with real kubectl against `k8ts server --runtime fake` (containers exit as the
 * k8ts.io/simulate-exit annotation says): completions 5 / parallelism 2 completes, a Job that
 * always fails stops at its backoffLimit (pod failures; container restarts with OnFailure), a
 * podFailurePolicy FailJob rule, an Indexed Job, a Job deleted by ttlSecondsAfterFinished,
 * suspend and resume, and the `kubectl get jobs` columns. Every Job is created at the start so their waits overlap; the failing Job's one
 * pod-failure backoff (10 s, upstream's, no flag shortens it) passes while the others are checked.
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

interface JobOptions {
  exit?: string;
  spec?: Record<string, unknown>;
  restartPolicy?: string;
}

function job(name: string, o: JobOptions): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...o.spec,
      template: {
        metadata: o.exit ? { annotations: { 'k8ts.io/simulate-exit': o.exit } } : {},
        spec: {
          restartPolicy: o.restartPolicy ?? 'Never',
          containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo $JOB_COMPLETION_INDEX'] }],
        },
      },
    },
  };
}

const JOBS = [
  job('pi', { exit: '500ms:0', spec: { completions: 5, parallelism: 2 } }),
  job('always-fails', { exit: '500ms:1', spec: { backoffLimit: 1 } }),
  job('policy', {
    exit: '500ms:42',
    spec: { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } },
  }),
  job('indexed', { exit: '1s:0', spec: { completionMode: 'Indexed', completions: 3, parallelism: 3 } }),
  job('short-lived', { exit: '500ms:0', spec: { ttlSecondsAfterFinished: 0 } }),
  job('sleeper', { spec: { parallelism: 2, completions: 4 } }),
  job('restarts', { exit: '500ms:1', restartPolicy: 'OnFailure', spec: { backoffLimit: 1 } }),
];

async function getJson<T>(args: string[]): Promise<T> {
  return JSON.parse(ok(await k([...args, '-o', 'json']), args.join(' '))) as T;
}

interface JobJson {
  status: {
    active?: number;
    ready?: number;
    terminating?: number;
    succeeded?: number;
    failed?: number;
    completedIndexes?: string;
    startTime?: string;
    completionTime?: string;
    uncountedTerminatedPods?: unknown;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

interface PodJson {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string>; finalizers?: string[] };
  spec: { hostname?: string; containers: { env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] }[] };
  status: { phase: string };
}

const conditions = (j: JobJson) => (j.status.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason ?? ''}`);

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '2'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-job-'));
  k = kubectl('1.33', server.kubeconfig, cache);
  await eventually('2 Ready nodes', async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 2);
  const manifest = JOBS.map((j) => JSON.stringify(j)).join('\n---\n');
  ok(await k(['apply', '-f', '-'], { input: manifest }), 'apply jobs');
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('Jobs on simulated nodes', { timeout: 120_000 }, () => {
  it('completes 5 completions 2 at a time, with upstream status, columns and events', async () => {
    ok(await k(['wait', '--for=condition=complete', 'job/pi', '--timeout=60s']), 'wait complete');
    const j = await getJson<JobJson>(['get', 'job', 'pi']);
    assert.equal(j.status.succeeded, 5);
    assert.equal(j.status.active, undefined);
    assert.equal(j.status.ready, 0);
    assert.equal(j.status.terminating, 0);
    assert.deepEqual(j.status.uncountedTerminatedPods, {});
    assert.ok(j.status.startTime && j.status.completionTime);
    assert.deepEqual(conditions(j), ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
    assert.match(
      ok(await k(['get', 'jobs', 'pi']), 'get jobs'),
      /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\npi\s+Complete\s+5\/5\s+\d+s\s+\d+s\n$/,
    );
    const pods = await getJson<{ items: PodJson[] }>(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=pi']);
    assert.equal(pods.items.length, 5);
    for (const p of pods.items) {
      assert.equal(p.status.phase, 'Succeeded');
      assert.deepEqual(p.metadata.finalizers ?? [], [], 'tracking finalizer removed once counted');
      assert.equal(p.metadata.labels['job-name'], 'pi');
      assert.ok(p.metadata.labels['batch.kubernetes.io/controller-uid']);
    }
    await eventually('the Completed event', async () => {
      const d = ok(await k(['describe', 'job', 'pi']), 'describe');
      return (
        /Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: pi-[a-z0-9]{5}/.test(d) &&
        /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/.test(d)
      );
    });
  });

  it('fails a Job at once on a FailJob podFailurePolicy rule', async () => {
    ok(await k(['wait', '--for=condition=failed', 'job/policy', '--timeout=30s']), 'wait failed');
    const j = await getJson<JobJson>(['get', 'job', 'policy']);
    assert.equal(j.status.failed, 1);
    assert.deepEqual(conditions(j), ['FailureTarget=True:PodFailurePolicy', 'Failed=True:PodFailurePolicy']);
    assert.match(
      j.status.conditions?.[1]?.message ?? '',
      /^Container main for pod default\/policy-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/,
    );
  });

  it('gives each pod of an Indexed Job its index', async () => {
    ok(await k(['wait', '--for=condition=complete', 'job/indexed', '--timeout=30s']), 'wait complete');
    const j = await getJson<JobJson>(['get', 'job', 'indexed']);
    assert.equal(j.status.completedIndexes, '0-2');
    assert.equal(j.status.succeeded, 3);
    const pods = await getJson<{ items: PodJson[] }>(['get', 'pods', '-l', 'job-name=indexed']);
    const byIndex = new Map(pods.items.map((p) => [p.metadata.annotations['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    for (const [ix, p] of byIndex) {
      assert.match(p.metadata.name, new RegExp(`^indexed-${ix}-[a-z0-9]{5}$`));
      assert.equal(p.metadata.labels['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(p.spec.hostname, `indexed-${ix}`);
      const env = p.spec.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
      assert.equal(env?.valueFrom?.fieldRef?.fieldPath, "metadata.labels['batch.kubernetes.io/job-completion-index']");
    }
  });

  it('deletes a finished Job with ttlSecondsAfterFinished 0, and its pods', async () => {
    await eventually('the Job gone', async () => (await k(['get', 'job', 'short-lived'])).stderr.includes('NotFound'), 30_000);
    await eventually(
      'its pods gone',
      async () => ok(await k(['get', 'pods', '-l', 'job-name=short-lived', '-o', 'name']), 'pods').trim() === '',
      30_000,
    );
  });

  it('shows a running Job, suspends it (pods deleted) and resumes it', async () => {
    await eventually('2 active pods', async () => (await getJson<JobJson>(['get', 'job', 'sleeper'])).status.ready === 2);
    assert.match(ok(await k(['get', 'jobs', 'sleeper']), 'get jobs'), /sleeper\s+Running\s+0\/4\s/);
    ok(await k(['patch', 'job', 'sleeper', '--type=merge', '-p', '{"spec":{"suspend":true}}']), 'suspend');
    await eventually('suspended with no pods', async () => {
      const j = await getJson<JobJson>(['get', 'job', 'sleeper']);
      const pods = ok(await k(['get', 'pods', '-l', 'job-name=sleeper', '-o', 'name']), 'pods').trim();
      return conditions(j).includes('Suspended=True:JobSuspended') && !j.status.active && pods === '';
    });
    assert.match(ok(await k(['get', 'jobs', 'sleeper']), 'get jobs'), /sleeper\s+Suspended\s+0\/4\s/);
    ok(await k(['patch', 'job', 'sleeper', '--type=merge', '-p', '{"spec":{"suspend":false}}']), 'resume');
    await eventually('resumed with 2 pods', async () => {
      const j = await getJson<JobJson>(['get', 'job', 'sleeper']);
      return conditions(j).includes('Suspended=False:JobResumed') && j.status.active === 2;
    });
    const d = ok(await k(['describe', 'job', 'sleeper']), 'describe');
    assert.match(d, /Normal\s+Suspended\s+\S+\s+job-controller\s+Job suspended/);
  });

  it('stops a Job that always fails at its backoffLimit', async () => {
    ok(await k(['wait', '--for=condition=failed', 'job/always-fails', '--timeout=60s']), 'wait failed');
    const j = await getJson<JobJson>(['get', 'job', 'always-fails']);
    assert.equal(j.status.failed, 2);
    assert.deepEqual(conditions(j), ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded']);
    assert.equal(j.status.conditions?.[1]?.message, 'Job has reached the specified backoff limit');
    assert.match(ok(await k(['get', 'jobs', 'always-fails']), 'get jobs'), /always-fails\s+Failed\s+0\/1\s/);
    await eventually('the BackoffLimitExceeded event', async () =>
      /Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit/.test(
        ok(await k(['describe', 'job', 'always-fails']), 'describe'),
      ),
    );
  });

  it('fails an OnFailure Job once its container restarts reach the backoffLimit', async () => {
    ok(await k(['wait', '--for=condition=failed', 'job/restarts', '--timeout=60s']), 'wait failed');
    const j = await getJson<JobJson>(['get', 'job', 'restarts']);
    assert.deepEqual(conditions(j), ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded']);
    await eventually(
      'its pod deleted',
      async () => ok(await k(['get', 'pods', '-l', 'job-name=restarts', '-o', 'name']), 'pods').trim() === '',
      30_000,
    );
  });
});
