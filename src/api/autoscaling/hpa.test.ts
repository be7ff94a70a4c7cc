import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { formatHPAMetrics, hpaPrinter, hpaStrategy, hpaV1Printer, hpaV1Strategy } from './hpa.js';

const NOW = Date.parse('2024-01-01T00:02:00Z');
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

function hpa(spec: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: 'h', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { scaleTargetRef: ref, maxReplicas: 5, ...spec },
  };
}

test('hpa v2 defaults', () => {
  const h = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
  hpaStrategy.defaults?.(h);
  assert.deepEqual(h['spec'], {
    scaleTargetRef: ref,
    maxReplicas: 5,
    minReplicas: 1,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    },
  });
});

const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
  { name: 'valid', spec: {}, want: [] },
  { name: 'min 0', spec: { minReplicas: 0 }, want: ['spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'] },
  {
    name: 'max < min',
    spec: { minReplicas: 6 },
    want: ['spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`'],
  },
  { name: 'no target', spec: { scaleTargetRef: { kind: 'Deployment' } }, want: ['spec.scaleTargetRef.name: Required value'] },
  {
    name: 'bad metric type',
    spec: { metrics: [{ type: 'Magic' }] },
    want: [
      'spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    ],
  },
  {
    name: 'resource without target',
    spec: { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] },
    want: [
      'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    ],
  },
  {
    name: 'bad policy',
    spec: { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] } } },
    want: ['spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero'],
  },
];
for (const c of cases) {
  test(`hpa validation: ${c.name}`, () => {
    const h = hpa(c.spec);
    hpaStrategy.defaults?.(h);
    assert.deepEqual(
      (hpaStrategy.validate?.(h) ?? []).map((e) => `${e.field}: ${e.message}`),
      c.want,
    );
  });
}

test('hpa v1 validation runs on the v2 form', () => {
  const h: KubeObject = { metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 0 } };
  hpaV1Strategy.defaults?.(h);
  assert.deepEqual(
    (hpaV1Strategy.validate?.(h) ?? []).map((e) => e.field),
    ['spec.maxReplicas', 'spec.maxReplicas'],
  );
});

test('formatHPAMetrics', () => {
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };
  const mem = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1024Mi' } } };
  const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1000m' } } };
  const ext = { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '5' } } };
  assert.equal(formatHPAMetrics([], []), '<none>');
  assert.equal(formatHPAMetrics([cpu], []), 'cpu: <unknown>/80%');
  assert.equal(
    formatHPAMetrics([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }]),
    'cpu: 12%/80%',
  );
  assert.equal(formatHPAMetrics([mem, pods], []), 'memory: <unknown>/1Gi, <unknown>/1');
  assert.equal(formatHPAMetrics([cpu, mem, pods, ext], []), 'cpu: <unknown>/80%, memory: <unknown>/1Gi + 2 more...');
  assert.equal(formatHPAMetrics([ext], []), '<unknown>/5');
});

test('hpa printers', () => {
  const h = hpa({ minReplicas: 2 });
  hpaStrategy.defaults?.(h);
  h['status'] = { currentReplicas: 3, desiredReplicas: 3 };
  assert.deepEqual(
    hpaPrinter.columns.map((c) => c.name),
    ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
  );
  assert.deepEqual(hpaPrinter.row(h, NOW), ['h', 'Deployment/web', 'cpu: <unknown>/80%', '2', 5, 3, '2m']);
  const v1: KubeObject = {
    metadata: { name: 'h' },
    spec: { scaleTargetRef: ref, maxReplicas: 4, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 20 },
  };
  assert.deepEqual(hpaV1Printer.row(v1, NOW).slice(1, 6), ['Deployment/web', 'cpu: 20%/50%', '<unset>', 4, 1]);
});
