import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import { DEPLOYMENTS, PODS } from '../controller-utils/types.js';
import { HorizontalController, HPAS } from './horizontal.js';
import { POD_METRICS } from './metrics-client.js';

const NS = 'default';
const MIN = 60_000;

function setup(behavior?: unknown) {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const hpa = new HorizontalController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    recorder,
    newQueue: () => queue,
    now: cluster.clock.now,
    log: () => {},
  });
  cluster.tracker.put(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec: { replicas: 2 },
    status: { replicas: 2, selector: 'app=web' },
  });
  cluster.tracker.put(HPAS, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...(behavior ? { behavior } : {}),
    },
  });
  return { cluster, recorder, hpa };
}

/** A Running pod started `age` ms ago, ready since then, requesting 200m; and its PodMetrics of `cpu`. */
function runningPod(c: FakeClientset, name: string, cpu: string | undefined, age = 10 * MIN): void {
  const now = c.clock.now();
  const since = rfc3339(now - age);
  c.tracker.put(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }] },
    status: { phase: 'Running', startTime: since, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] },
  });
  if (cpu === undefined) return;
  c.tracker.put(POD_METRICS, {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name, namespace: NS, labels: { app: 'web' } },
    timestamp: rfc3339(now),
    window: '15s',
    containers: [{ name: 'app', usage: { cpu, memory: '1Mi' } }],
  });
}

const hpaOf = (c: FakeClientset) => c.tracker.get(HPAS, NS, 'web') as KubeObject & { status: Record<string, unknown> };
const replicas = (c: FakeClientset) => (c.tracker.get(DEPLOYMENTS, NS, 'web')?.['spec'] as { replicas?: number } | undefined)?.replicas;
const conditions = (c: FakeClientset) =>
  (hpaOf(c).status['conditions'] as { type: string; status: string; reason: string }[]).map((x) => `${x.type}=${x.status}/${x.reason}`);

test('scales up by the utilization ratio, with the event, conditions and status upstream writes', async () => {
  const { cluster, recorder, hpa } = setup();
  runningPod(cluster, 'a', '300m');
  runningPod(cluster, 'b', '300m');
  await hpa.sync(`${NS}/web`);
  assert.equal(replicas(cluster), 4, '150 % of a 50 % target asks for 3 × 2 pods; without behavior at most max(2 × 2, 4)');
  assert.deepEqual(
    recorder.events.map((e) => `${e.type} ${e.reason} ${e.message}`),
    ['Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target'],
  );
  const status = hpaOf(cluster).status;
  assert.equal(status['currentReplicas'], 2);
  assert.equal(status['desiredReplicas'], 4);
  assert.deepEqual(status['currentMetrics'], [
    { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '300m', averageUtilization: 150 } } },
  ]);
  assert.equal(status['lastScaleTime'], rfc3339(cluster.clock.now()));
  assert.deepEqual(conditions(cluster), [
    'AbleToScale=True/SucceededRescale',
    'ScalingActive=True/ValidMetricFound',
    'ScalingLimited=True/ScaleUpLimit',
  ]);
});

test('stays within the tolerance, and caps at maxReplicas', async () => {
  const { cluster, hpa } = setup({});
  runningPod(cluster, 'a', '105m');
  runningPod(cluster, 'b', '105m');
  await hpa.sync(`${NS}/web`);
  assert.equal(replicas(cluster), 2, '52 % of 50 % is within 0.1');
  for (const p of ['a', 'b']) runningPod(cluster, p, '2');
  await hpa.sync(`${NS}/web`);
  assert.equal(replicas(cluster), 6, 'the default scale-up policies: 4 pods or 100 % per 15 s, the larger');
  await cluster.clock.step(16_000);
  await hpa.sync(`${NS}/web`);
  assert.equal(replicas(cluster), 10, 'maxReplicas');
  assert.ok(conditions(cluster).includes('ScalingLimited=True/TooManyReplicas'));
});

test('counts missing pods at their request on a scale-down and unready pods at zero on a scale-up', async () => {
  const { cluster, hpa } = setup({ scaleDown: { stabilizationWindowSeconds: 0 } });
  runningPod(cluster, 'a', '20m');
  runningPod(cluster, 'b', undefined);
  await hpa.sync(`${NS}/web`);
  // (20m + 200m) / 400m = 55 %: over the target once the missing pod counts as 100 %, so no scale-down
  assert.equal(replicas(cluster), 2);
  runningPod(cluster, 'a', '400m');
  runningPod(cluster, 'b', '400m', 10_000);
  // b is within its CPU initialization period and its sample predates a whole window after ready
  await hpa.sync(`${NS}/web`);
  // ready-only 200 % would ask for ceil(4 × 1) pods; with the unready pod at 0: 100 % → ceil(2 × 2) = 4
  assert.equal(replicas(cluster), 4);
});

test('scales down through the stabilization window and the behavior policies', async () => {
  const { cluster, recorder, hpa } = setup({
    scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
  });
  cluster.tracker.put(DEPLOYMENTS, {
    ...cluster.tracker.get(DEPLOYMENTS, NS, 'web'),
    spec: { replicas: 4 },
    status: { replicas: 4, selector: 'app=web' },
  } as KubeObject);
  for (const p of ['a', 'b', 'c', 'd']) runningPod(cluster, p, '100m');
  await hpa.sync(`${NS}/web`);
  for (const p of ['a', 'b', 'c', 'd']) runningPod(cluster, p, '10m');
  await cluster.clock.step(1000);
  await hpa.sync(`${NS}/web`);
  assert.equal(replicas(cluster), 4, 'the recommendation of 4 a second ago is still in the window');
  assert.ok(conditions(cluster).includes('AbleToScale=True/ScaleDownStabilized'));
  await cluster.clock.step(61_000);
  await hpa.sync(`${NS}/web`);
  assert.equal(replicas(cluster), 3, 'one pod per minute');
  assert.ok(conditions(cluster).includes('ScalingLimited=True/ScaleDownLimit'));
  assert.match(recorder.events.at(-1)?.message ?? '', /^New size: 3; reason: All metrics below target$/);
});

test('reports a target it cannot read, and metrics it cannot get', async () => {
  const { cluster, recorder, hpa } = setup();
  await hpa.sync(`${NS}/web`);
  assert.deepEqual(conditions(cluster).slice(0, 2), ['AbleToScale=True/SucceededGetScale', 'ScalingActive=False/FailedGetResourceMetric']);
  assert.deepEqual(
    recorder.events.map((e) => e.reason),
    ['FailedGetResourceMetric', 'FailedComputeMetricsReplicas'],
  );
  assert.match(
    recorder.events[1]?.message ?? '',
    /^invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API$/,
  );
  cluster.tracker.remove(DEPLOYMENTS, NS, 'web');
  await hpa.sync(`${NS}/web`);
  assert.ok(conditions(cluster).includes('AbleToScale=False/FailedGetScale'));
  assert.equal(recorder.events.at(-1)?.message, 'deployments.apps "web" not found');
});
