import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { deploymentPrinter, deploymentStrategy } from './deployment.js';

const NOW = Date.parse('2024-01-01T00:10:00Z');

function deployment(spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:05:00Z' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

function validated(obj: KubeObject): string[] {
  deploymentStrategy.defaults?.(obj);
  return (deploymentStrategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
}

test('deployment defaults', () => {
  const d = deployment();
  deploymentStrategy.defaults?.(d);
  const spec = d['spec'] as Record<string, unknown>;
  assert.equal(spec['replicas'], 1);
  assert.deepEqual(spec['strategy'], { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(spec['revisionHistoryLimit'], 10);
  assert.equal(spec['progressDeadlineSeconds'], 600);
  const podSpec = (spec['template'] as { spec: Record<string, unknown> }).spec;
  assert.equal(podSpec['restartPolicy'], 'Always');
  assert.equal(podSpec['dnsPolicy'], 'ClusterFirst');
});

test('deployment Recreate keeps no rollingUpdate', () => {
  const d = deployment({ strategy: { type: 'Recreate' } });
  deploymentStrategy.defaults?.(d);
  assert.deepEqual((d['spec'] as Record<string, unknown>)['strategy'], { type: 'Recreate' });
});

const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
  { name: 'valid', spec: {}, want: [] },
  { name: 'negative replicas', spec: { replicas: -1 }, want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
  { name: 'missing selector', spec: { selector: undefined }, want: ['spec.selector: Required value'] },
  {
    name: 'selector mismatch',
    spec: { selector: { matchLabels: { app: 'other' } } },
    want: ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
  },
  {
    name: 'empty selector',
    spec: { selector: {} },
    want: ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
  },
  {
    name: 'both zero',
    spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } },
    want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
  },
  {
    name: 'over 100%',
    spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '110%' } } },
    want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "110%": must not be greater than 100%'],
  },
  {
    name: 'bad strategy type',
    spec: { strategy: { type: 'Blue' } },
    want: ['spec.strategy: Unsupported value: {"type":"Blue"}: supported values: "Recreate", "RollingUpdate"'],
  },
  {
    name: 'progress deadline',
    spec: { minReadySeconds: 10, progressDeadlineSeconds: 5 },
    want: ['spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds'],
  },
  {
    name: 'restart policy',
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } },
    want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  },
  {
    name: 'no containers',
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: {} } },
    want: ['spec.template.spec.containers: Required value'],
  },
];

for (const c of cases) {
  test(`deployment validation: ${c.name}`, () => {
    assert.deepEqual(validated(deployment(c.spec)), c.want);
  });
}

test('deployment selector is immutable', () => {
  const old = deployment();
  const next = deployment({
    selector: { matchLabels: { app: 'web', tier: 'x' } },
    template: { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
  });
  deploymentStrategy.defaults?.(old);
  deploymentStrategy.defaults?.(next);
  const errs = deploymentStrategy.validateUpdate?.(next, old) ?? [];
  assert.deepEqual(
    errs.map((e) => `${e.field}: ${e.message}`),
    ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable'],
  );
});

test('deployment printer', () => {
  const d = deployment({ replicas: 3 }, { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 1 });
  assert.deepEqual(
    deploymentPrinter.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1'],
  );
  assert.deepEqual(deploymentPrinter.row(d, NOW), ['web', '2/3', 3, 1, '5m', 'nginx', 'nginx:1.25', 'app=web']);
  assert.ok(deploymentPrinter.columns[2]?.description.startsWith('Total number'));
});

test('deployment create clears status', () => {
  const d = deployment({}, { replicas: 5 });
  deploymentStrategy.prepareForCreate?.(d);
  assert.deepEqual(d['status'], {});
});
