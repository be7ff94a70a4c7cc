/**
 * Metrics and the HPA on a real node (containerd, runc, busybox) in a network namespace: a
 * Deployment whose busybox container burns CPU (`while :; do :; done`, limited to 200m) shows
 * in `kubectl top pod` with its real usage, and an HPA made by `kubectl autoscale` scales it
 * up. Skipped with the reason when root or the packages are missing (under CI=true that fails).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { nodeReady } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

const NODE = 'k8ts-autoscaling-node';
const skip = await realNodeUnavailableForTests();
let rn: RealNodeServer | undefined;
let cache = '';
let k: Kubectl;

const BURNER = `apiVersion: apps/v1
kind: Deployment
metadata: {name: burner}
spec:
  replicas: 1
  selector: {matchLabels: {app: burner}}
  template:
    metadata: {labels: {app: burner}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: burn
        image: ${BUSYBOX_IMAGE}
        imagePullPolicy: IfNotPresent
        command: [sh, -c, 'while :; do :; done']
        resources: {requests: {cpu: 20m}, limits: {cpu: 200m}}
`;

before(async () => {
  if (skip) return;
  rn = await startRealNodeServer({
    nodeName: NODE,
    clusterCIDR: '10.229.0.0/16',
    netns: { subnet: '10.229.255.0/30' },
    args: ['--metric-resolution', '2s', '--horizontal-pod-autoscaler-sync-period', '2s'],
  });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-autoscaling-real-'));
  k = kubectl('1.33', rn.server.kubeconfig, cache);
});

after(async () => {
  if (cache) await rm(cache, { recursive: true, force: true });
  if (!rn) return;
  assert.deepEqual(await rn.stop(), [], 'the test left these behind');
});

describe('kubectl top and the HPA with real containers', { skip, timeout: 180_000 }, () => {
  it('shows a pod burning CPU and scales its Deployment up', async () => {
    await nodeReady(rn?.client as NonNullable<RealNodeServer['client']>, NODE, 90_000);
    ok(await k(['apply', '-f', '-'], { input: BURNER }), 'apply');
    // the busy loop is throttled to its 200m limit (less on a busy machine); the CRI stats give its real usage
    await eventually(
      'the burner in kubectl top pod',
      async () => {
        const m = /burner-\S+\s+(\d+)m\s+\d+(Ki|Mi)/.exec((await k(['top', 'pod', '-l', 'app=burner'])).stdout);
        return m !== null && Number(m[1]) >= 30;
      },
      60_000,
      1000,
    );
    assert.match(ok(await k(['top', 'node']), 'top node'), new RegExp(`${NODE}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi`));
    ok(await k(['autoscale', 'deploy/burner', '--min=1', '--max=3', '--cpu-percent=50']), 'autoscale');
    await eventually(
      'the HPA scaled the burner up',
      async () => /burner\s+Deployment\/burner\s+cpu: \d+%\/50%\s+1\s+3\s+[23]\s/.test((await k(['get', 'hpa'])).stdout),
      60_000,
      1000,
    );
    assert.match(
      ok(await k(['describe', 'hpa', 'burner']), 'describe hpa'),
      /SuccessfulRescale\s+.*New size: [23]; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    ok(await k(['delete', 'hpa', 'burner']), 'delete hpa');
    ok(await k(['delete', 'deploy', 'burner', '--wait=false']), 'delete deploy');
    await eventually('the burners gone', async () => !(await k(['get', 'pods', '-o', 'name'])).stdout.includes('burner'), 60_000, 1000);
  });
});
