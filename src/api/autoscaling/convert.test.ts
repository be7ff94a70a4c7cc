import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { hpaV1FromV2, hpaV2FromV1, METRIC_SPECS_ANNOTATION } from './convert.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (n: number): Record<string, unknown> => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: n } },
});
const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };

test('v1 → v2: target CPU becomes a Resource metric', () => {
  const v1: KubeObject = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'h' },
    spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
  };
  const v2 = hpaV2FromV1(v1);
  assert.equal(v2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(v2['spec'], { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, metrics: [cpu(50)] });
});

test('v1 → v2: no target gives the 80% default', () => {
  const v2 = hpaV2FromV1({ metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
  assert.deepEqual((v2['spec'] as Record<string, unknown>)['metrics'], [cpu(80)]);
});

test('v2 → v1 → v2 keeps every metric, behavior and status through annotations', () => {
  const v2: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'h', annotations: { keep: 'me' } },
    spec: {
      scaleTargetRef: ref,
      minReplicas: 2,
      maxReplicas: 9,
      metrics: [pods, cpu(60)],
      behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
    },
    status: {
      currentReplicas: 3,
      desiredReplicas: 4,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } }],
      conditions: [{ type: 'AbleToScale', status: 'True' }],
    },
  };
  const v1 = hpaV1FromV2(v2);
  assert.deepEqual(v1['spec'], { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 9, targetCPUUtilizationPercentage: 60 });
  assert.deepEqual(v1['status'], { currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 42 });
  assert.equal(v1.metadata.annotations?.[METRIC_SPECS_ANNOTATION], JSON.stringify([pods]));
  assert.deepEqual(Object.keys(v1.metadata.annotations ?? {}).sort(), [
    'autoscaling.alpha.kubernetes.io/behavior',
    'autoscaling.alpha.kubernetes.io/conditions',
    'autoscaling.alpha.kubernetes.io/current-metrics',
    'autoscaling.alpha.kubernetes.io/metrics',
    'keep',
  ]);
  const back = hpaV2FromV1(v1);
  assert.deepEqual(back['spec'], v2['spec']);
  assert.deepEqual(back['status'], v2['status']);
  assert.deepEqual(back.metadata.annotations, { keep: 'me' });
  assert.deepEqual(v2.metadata.annotations, { keep: 'me' }, 'input not mutated');
});

test('v2 → v1 without cpu utilization leaves the target unset', () => {
  const v1 = hpaV1FromV2({ metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 2, metrics: [pods] } });
  assert.equal((v1['spec'] as Record<string, unknown>)['targetCPUUtilizationPercentage'], undefined);
  assert.equal(v1.metadata.annotations?.[METRIC_SPECS_ANNOTATION], JSON.stringify([pods]));
});
