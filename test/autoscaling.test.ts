/**
 * Metrics and autoscaling with real kubectl on simulated nodes (`k8ts server --runtime fake`,
 * usage from the k8ts.io/simulate-usage annotation): `kubectl top node|pod` (1.33 and 1.27),
 * `kubectl get nodemetrics`, an HPA made by `kubectl autoscale` scaling a Deployment up to its
 * maximum with upstream's events, conditions and columns, served as autoscaling/v1 too, and
 * back down once the pods' usage drops (behavior.scaleDown.stabilizationWindowSeconds 0).
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
let k127: Kubectl;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: {k8ts.io/simulate-usage: "cpu=300m,memory=64Mi"}
    spec:
      containers:
      - name: app
        image: nginx
        resources: {requests: {cpu: 200m}}
`;

before(async () => {
  server = await startServer({
    args: ['--runtime', 'fake', '--fake-nodes', '2', '--metric-resolution', '1s', '--horizontal-pod-autoscaler-sync-period', '1s'],
  });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-autoscaling-'));
  k = kubectl('1.33', server.kubeconfig, join(cache, '1.33'));
  k127 = kubectl('1.27', server.kubeconfig, join(cache, '1.27'));
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('metrics and the HorizontalPodAutoscaler on simulated nodes', { timeout: 120_000 }, () => {
  it('shows nodes and pods in kubectl top', async () => {
    ok(await k(['apply', '-f', '-'], { input: DEPLOYMENT }), 'apply');
    await eventually('kubectl top node', async () => (await k(['top', 'node'])).stdout.includes('fake-node-1'), 30_000);
    assert.match(
      ok(await k(['top', 'node']), 'top node'),
      /NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\nfake-node-0\s+\d+m/,
    );
    await eventually(
      'the pod in kubectl top pod',
      async () => /web-\S+\s+(2[89]\d|3[01]\d)m\s+64Mi/.test((await k(['top', 'pod', '-l', 'app=web'])).stdout),
      30_000,
    );
    // each reading is a rate over two scrapes a second apart, stamped when they arrived: a loaded
    // machine's latency moves one reading by a tenth or more, so each form is read until it shows ~300m
    await eventually(
      'top pod -A --containers',
      async () => /default\s+web-\S+\s+app\s+(2[89]\d|3[01]\d)m\s+64Mi/.test(ok(await k(['top', 'pod', '-A', '--containers']), 'top')),
      30_000,
    );
    await eventually(
      'top pod --containers with kubectl 1.27',
      async () => /web-\S+\s+app\s+(2[89]\d|3[01]\d)m\s+64Mi/.test(ok(await k127(['top', 'pod', '--containers', '-l', 'app=web']), 'top')),
      30_000,
    );
    assert.match(ok(await k127(['top', 'node']), 'top node 1.27'), /fake-node-1\s+\d+m\s+\d+%\s+\d+Mi/);
    assert.match(
      ok(await k(['get', 'nodemetrics']), 'get nodemetrics'),
      /NAME\s+CPU\s+MEMORY\s+WINDOW\s*\nfake-node-0\s+\d+n?\s+\S+\s+[\d.]+m?s\n/,
    );
    const missing = await k(['top', 'pod', 'nonexistent']);
    assert.match(missing.stderr, /pods "nonexistent" not found/);
  });

  it('scales a Deployment up to its maximum with kubectl autoscale', async () => {
    ok(await k(['autoscale', 'deploy/web', '--min=1', '--max=4', '--cpu-percent=50']), 'autoscale');
    // 300m of a 200m request: 150 % (± the scrapes' jitter) of a 50 % target, 3 times the pods, then the maximum
    await eventually(
      '4 replicas',
      async () => /web\s+Deployment\/web\s+cpu: 1[45]\d%\/50%\s+1\s+4\s+4\s/.test((await k(['get', 'hpa'])).stdout),
      30_000,
    );
    // once the new pods have usages of their own (until then they count as using nothing), 4 is the maximum
    let described = '';
    await eventually(
      'ScalingLimited',
      async () => {
        described = ok(await k(['describe', 'hpa', 'web']), 'describe hpa');
        return /ScalingLimited\s+True\s+TooManyReplicas\s+the desired replica count is more than the maximum replica count/.test(described);
      },
      30_000,
    );
    assert.match(described, /SuccessfulRescale\s+.*New size: 4; reason: cpu resource utilization \(percentage of request\) above target/);
    assert.match(
      described,
      /ScalingActive\s+True\s+ValidMetricFound\s+the HPA was able to successfully calculate a replica count from cpu resource utilization \(percentage of request\)/,
    );
    assert.match(ok(await k(['get', 'deploy', 'web']), 'get deploy'), /web\s+4\/4/);
    const v1 = JSON.parse(
      ok(await k(['get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web']), 'get v1'),
    ) as {
      spec: { targetCPUUtilizationPercentage?: number };
      status: { currentCPUUtilizationPercentage?: number; currentReplicas?: number };
      metadata: { annotations?: Record<string, string> };
    };
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
    assert.ok(Math.abs((v1.status.currentCPUUtilizationPercentage ?? 0) - 150) <= 5, `${v1.status.currentCPUUtilizationPercentage}`);
    assert.match(v1.metadata.annotations?.['autoscaling.alpha.kubernetes.io/conditions'] ?? '', /TooManyReplicas/);
  });

  it('scales back down when the usage drops', async () => {
    ok(
      await k(['patch', 'hpa', 'web', '--type=merge', '-p', '{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":0}}}}']),
      'patch hpa',
    );
    const usage = { spec: { template: { metadata: { annotations: { 'k8ts.io/simulate-usage': 'cpu=20m' } } } } };
    ok(await k(['patch', 'deploy', 'web', '--type=merge', '-p', JSON.stringify(usage)]), 'patch deploy');
    await eventually(
      '1 replica',
      async () => /web\s+Deployment\/web\s+cpu: \d+%\/50%\s+1\s+4\s+1\s/.test((await k(['get', 'hpa'])).stdout),
      40_000,
    );
    assert.match(
      ok(await k(['describe', 'hpa', 'web']), 'describe hpa'),
      /SuccessfulRescale\s+.*New size: 1; reason: All metrics below target/,
    );
  });
});
