import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import {
  persistentVolumeClaimPrinter,
  persistentVolumeClaimStrategy,
  persistentVolumePrinter,
  persistentVolumeStrategy,
  PVC_UPDATE_FORBIDDEN_MESSAGE,
} from './persistentvolume.js';
import { limitRangePrinter, limitRangeStrategy, resourceQuotaPrinter, resourceQuotaStrategy } from './quota.js';
import {
  podTemplatePrinter,
  podTemplateStrategy,
  replicationControllerPrinter,
  replicationControllerStrategy,
} from './replicationcontroller.js';
import { coreResources } from './resources.js';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const show = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } };

test('replication controller defaults and validation', () => {
  const rc: KubeObject = { metadata: { name: 'rc' }, spec: { template: structuredClone(template) } };
  replicationControllerStrategy.defaults?.(rc);
  replicationControllerStrategy.prepareForCreate?.(rc);
  const spec = rc['spec'] as Record<string, unknown>;
  assert.deepEqual(
    [spec['replicas'], spec['selector'], rc.metadata.labels, rc['status']],
    [1, { app: 'web' }, { app: 'web' }, { replicas: 0 }],
  );
  assert.deepEqual(replicationControllerStrategy.validate?.(rc), []);
  const mismatch: KubeObject = { metadata: { name: 'rc' }, spec: { selector: { app: 'db' }, template: structuredClone(template) } };
  replicationControllerStrategy.defaults?.(mismatch);
  assert.deepEqual(show(replicationControllerStrategy.validate?.(mismatch) ?? []), [
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
  ]);
  const never: KubeObject = {
    metadata: { name: 'rc' },
    spec: { template: { ...structuredClone(template), spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b:1' }] } } },
  };
  replicationControllerStrategy.defaults?.(never);
  assert.deepEqual(show(replicationControllerStrategy.validate?.(never) ?? []), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
  assert.deepEqual(replicationControllerStrategy.selectableFields?.({ metadata: {} }), { 'status.replicas': '0' });
  rc.metadata.creationTimestamp = ago(60_000);
  rc['status'] = { replicas: 1, readyReplicas: 1 };
  assert.deepEqual(replicationControllerPrinter.row(rc, NOW), ['rc', 1, 1, 1, '60s', 'web', 'nginx:1', 'app=web']);
});

test('pod templates', () => {
  const pt: KubeObject = { metadata: { name: 'pt' }, template: structuredClone(template) };
  podTemplateStrategy.defaults?.(pt);
  assert.equal((pt['template'] as { spec: Record<string, unknown> }).spec['restartPolicy'], 'Always');
  assert.deepEqual(podTemplateStrategy.validate?.(pt), []);
  assert.deepEqual(podTemplatePrinter.row(pt, NOW), ['pt', 'web', 'nginx:1', 'app=web']);
  assert.deepEqual(
    show(podTemplateStrategy.validate?.({ metadata: { name: 'x' }, template: { spec: { containers: [] } } }) ?? []).slice(0, 1),
    ['template.spec.containers: Required value'],
  );
});

test('persistent volumes', () => {
  const pv: KubeObject = {
    metadata: { name: 'pv1', creationTimestamp: ago(3600_000) },
    spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], hostPath: { path: '/data' } },
  };
  persistentVolumeStrategy.defaults?.(pv);
  persistentVolumeStrategy.prepareForCreate?.(pv);
  const spec = pv['spec'] as Record<string, unknown>;
  assert.deepEqual(
    [spec['persistentVolumeReclaimPolicy'], spec['volumeMode'], (pv['status'] as Record<string, unknown>)['phase']],
    ['Retain', 'Filesystem', 'Pending'],
  );
  assert.deepEqual(persistentVolumeStrategy.validate?.(pv), []);
  assert.deepEqual(persistentVolumePrinter.row(pv, NOW), [
    'pv1',
    '10Gi',
    'RWO,ROX',
    'Retain',
    'Pending',
    '',
    '',
    '<unset>',
    '',
    '60m',
    'Filesystem',
  ]);
  const table: { spec: Record<string, unknown>; want: string }[] = [
    { spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/x' } }, want: 'spec.accessModes: Required value' },
    { spec: { accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } }, want: 'spec.capacity: Required value' },
    { spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } }, want: 'spec: Required value: must specify a volume type' },
    {
      spec: { accessModes: ['Sometimes'], capacity: { storage: '1Gi' }, nfs: { server: 's', path: '/' } },
      want: 'spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    },
    {
      spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '0' }, nfs: { server: 's', path: '/' } },
      want: 'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
    },
  ];
  for (const c of table) {
    const got = show(persistentVolumeStrategy.validate?.({ metadata: { name: 'p' }, spec: c.spec }) ?? []);
    assert.ok(got.includes(c.want), `want ${c.want}\ngot ${got.join('\n')}`);
  }
  const moved = structuredClone(pv);
  (moved['spec'] as Record<string, unknown>)['hostPath'] = { path: '/other' };
  assert.ok(
    show(persistentVolumeStrategy.validateUpdate?.(moved, pv) ?? []).includes(
      'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
    ),
  );
  assert.deepEqual(persistentVolumeStrategy.selectableFields?.({ metadata: {} }), { name: '' });
});

test('persistent volume claims', () => {
  const pvc: KubeObject = {
    metadata: { name: 'data', creationTimestamp: ago(30_000) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
  persistentVolumeClaimStrategy.defaults?.(pvc);
  persistentVolumeClaimStrategy.prepareForCreate?.(pvc);
  assert.deepEqual([(pvc['spec'] as Record<string, unknown>)['volumeMode'], pvc['status']], ['Filesystem', { phase: 'Pending' }]);
  assert.deepEqual(persistentVolumeClaimStrategy.validate?.(pvc), []);
  assert.deepEqual(persistentVolumeClaimPrinter.row(pvc, NOW), ['data', 'Pending', '', '', '', '', '<unset>', '30s', 'Filesystem']);
  const bound = structuredClone(pvc);
  (bound['spec'] as Record<string, unknown>)['volumeName'] = 'pv1';
  bound['status'] = { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] };
  assert.deepEqual(persistentVolumeClaimPrinter.row(bound, NOW), [
    'data',
    'Bound',
    'pv1',
    '1Gi',
    'RWO',
    '',
    '<unset>',
    '30s',
    'Filesystem',
  ]);
  assert.deepEqual(persistentVolumeClaimStrategy.validateUpdate?.(bound, pvc), []);
  const changed = structuredClone(bound);
  (changed['spec'] as Record<string, unknown>)['accessModes'] = ['ReadWriteMany'];
  assert.deepEqual(show(persistentVolumeClaimStrategy.validateUpdate?.(changed, bound) ?? []), [
    `spec: Forbidden: ${PVC_UPDATE_FORBIDDEN_MESSAGE}`,
  ]);
  assert.deepEqual(show(persistentVolumeClaimStrategy.validate?.({ metadata: { name: 'x' }, spec: {} }) ?? []), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
});

test('resource quotas', () => {
  assert.deepEqual(
    show(resourceQuotaStrategy.validate?.({ metadata: { name: 'q' }, spec: { hard: { pods: '10', widgets: '1', cpu: '-1' } } }) ?? []),
    [
      'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
      'spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ],
  );
  const rq: KubeObject = {
    metadata: { name: 'q', creationTimestamp: ago(5000) },
    status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.memory': '1Gi' }, used: { pods: '3', 'limits.cpu': '500m' } },
  };
  assert.deepEqual(resourceQuotaPrinter.row(rq, NOW), ['q', '5s', 'pods: 3/10, requests.memory: 0/1Gi', 'limits.cpu: 500m/2']);
  assert.deepEqual(
    resourceQuotaPrinter.columns.map((c) => c.name),
    ['Name', 'Age', 'Request', 'Limit'],
  );
});

test('limit ranges', () => {
  const lr: KubeObject = {
    metadata: { name: 'l', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] },
  };
  limitRangeStrategy.defaults?.(lr);
  assert.deepEqual((lr['spec'] as { limits: unknown[] }).limits[0], {
    type: 'Container',
    max: { cpu: '2' },
    min: { memory: '64Mi' },
    default: { cpu: '2' },
    defaultRequest: { cpu: '2', memory: '64Mi' },
  });
  assert.deepEqual(limitRangeStrategy.validate?.(lr), []);
  const bad: KubeObject = {
    metadata: { name: 'l' },
    spec: { limits: [{ type: 'Pod', min: { cpu: '2' }, max: { cpu: '1' }, default: { cpu: '1' } }] },
  };
  assert.deepEqual(show(limitRangeStrategy.validate?.(bad) ?? []), [
    "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
    'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
    'spec.limits[0].default[cpu]: Invalid value: "1": min value 2 is greater than default value 1',
  ]);
  assert.deepEqual(limitRangePrinter.row(lr, NOW), ['l', '2024-01-01T00:00:00Z']);
  assert.deepEqual(
    limitRangePrinter.columns.map((c) => [c.name, c.type]),
    [
      ['Name', 'string'],
      ['Created At', 'date'],
    ],
  );
});

test('every core kind but Binding has a strategy and a printer', () => {
  for (const r of coreResources) {
    if (r.kind === 'Binding') continue;
    assert.ok(r.printer, `${r.kind} printer`);
    assert.equal(r.printer.columns[0]?.format === 'name' || r.kind === 'Event', true, `${r.kind} name column`);
    assert.equal(r.printer.row({ metadata: { name: 'x' } }, NOW).length, r.printer.columns.length, `${r.kind} cells`);
    for (const v of Object.values(r.strategy.selectableFields?.({ metadata: {} }) ?? {})) assert.equal(typeof v, 'string');
  }
  assert.equal(coreResources.find((r) => r.kind === 'Pod')?.gracefulDeletion?.({ metadata: {}, spec: { nodeName: 'n' } }, undefined), 30);
});
