import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { jobPrinter, jobStatusCell, jobStrategy } from './job.js';

const NOW = Date.parse('2024-01-01T00:10:00Z');

function job(spec: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'pi', namespace: 'default', uid: 'u-1', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } }, ...spec },
  };
}

function create(obj: KubeObject): string[] {
  jobStrategy.defaults?.(obj);
  jobStrategy.prepareForCreate?.(obj);
  return (jobStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
}

test('job defaults and generated selector', () => {
  const j = job();
  assert.deepEqual(create(j), []);
  const spec = j['spec'] as Record<string, unknown>;
  assert.equal(spec['completions'], 1);
  assert.equal(spec['parallelism'], 1);
  assert.equal(spec['backoffLimit'], 6);
  assert.equal(spec['completionMode'], 'NonIndexed');
  assert.equal(spec['suspend'], false);
  assert.equal(spec['manualSelector'], false);
  assert.equal(spec['podReplacementPolicy'], 'TerminatingOrFailed');
  assert.deepEqual(spec['selector'], { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  const labels = {
    'batch.kubernetes.io/controller-uid': 'u-1',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': 'u-1',
    'job-name': 'pi',
  };
  assert.deepEqual((spec['template'] as { metadata: unknown }).metadata, { labels });
  assert.deepEqual(j.metadata.labels, labels);
  assert.deepEqual(j['status'], {});
});

test('job parallelism only keeps completions unset', () => {
  const j = job({ parallelism: 3 });
  jobStrategy.defaults?.(j);
  assert.equal((j['spec'] as Record<string, unknown>)['completions'], undefined);
});

const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
  {
    name: 'restartPolicy Always',
    spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'i' }] } } },
    want: ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
  },
  {
    name: 'negative completions',
    spec: { completions: -1 },
    want: ['spec.completions: Invalid value: -1: must be greater than or equal to 0'],
  },
  {
    name: 'indexed without completions',
    spec: { completionMode: 'Indexed', parallelism: 2 },
    want: ['spec.completions: Required value: when completion mode is Indexed'],
  },
  {
    name: 'user selector without manualSelector',
    spec: { selector: { matchLabels: { a: 'b' } } },
    want: [
      'spec.template.metadata.labels: Invalid value: {"job-name":"pi","batch.kubernetes.io/job-name":"pi","controller-uid":"u-1","batch.kubernetes.io/controller-uid":"u-1"}: `selector` does not match template `labels`',
    ],
  },
];
for (const c of cases) {
  test(`job validation: ${c.name}`, () => {
    assert.deepEqual(create(job(c.spec)), c.want);
  });
}

test('job manual selector must match template', () => {
  const j = job({ manualSelector: true, selector: { matchLabels: { a: 'b' } } });
  const errs = create(j);
  assert.equal(errs.length, 1);
  assert.match(errs[0] ?? '', /^spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`$/);
});

test('job update: selector and template immutable', () => {
  const old = job();
  create(old);
  const next = structuredClone(old);
  (next['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'other';
  (next['spec'] as Record<string, unknown>)['selector'] = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1', x: 'y' } };
  const fields = (jobStrategy.validateUpdate?.(next, old) ?? []).map((e) => e.field);
  assert.ok(fields.includes('spec.selector'));
  assert.ok(fields.includes('spec.template'));
});

test('job update: suspended job may change scheduling directives', () => {
  const old = job({ suspend: true });
  create(old);
  const next = structuredClone(old);
  (next['spec'] as { template: { spec: Record<string, unknown> } }).template.spec['nodeSelector'] = { zone: 'a' };
  assert.deepEqual(jobStrategy.validateUpdate?.(next, old), []);
});

test('job field labels and status cell', () => {
  assert.deepEqual(jobStrategy.selectableFields?.({ metadata: {} }), { 'status.successful': '0' });
  const cond = (type: string): KubeObject => ({ metadata: {}, status: { conditions: [{ type, status: 'True' }] } });
  assert.equal(jobStatusCell(cond('Complete')), 'Complete');
  assert.equal(jobStatusCell(cond('Failed')), 'Failed');
  assert.equal(jobStatusCell(cond('Suspended')), 'Suspended');
  assert.equal(jobStatusCell({ metadata: { deletionTimestamp: 'x' } }), 'Terminating');
  assert.equal(jobStatusCell({ metadata: {} }), 'Running');
});

test('job printer', () => {
  const j = job({ completions: 3 });
  create(j);
  j['status'] = { succeeded: 1, startTime: '2024-01-01T00:01:00Z' };
  assert.deepEqual(
    jobPrinter.columns.map((c) => c.name),
    ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'],
  );
  assert.deepEqual(jobPrinter.row(j, NOW), ['pi', 'Running', '1/3', '9m', '10m', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u-1']);
  const par: KubeObject = {
    metadata: { name: 'p' },
    spec: { parallelism: 2 },
    status: { succeeded: 0, startTime: '2024-01-01T00:00:00Z', completionTime: '2024-01-01T00:00:30Z' },
  };
  assert.deepEqual(jobPrinter.row(par, NOW).slice(0, 4), ['p', 'Running', '0/1 of 2', '30s']);
});
