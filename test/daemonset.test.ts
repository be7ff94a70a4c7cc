/**
 * DaemonSets with real kubectl against `k8ts server --runtime fake --fake-nodes 3`: a pod on
 * every node but a tainted one, a node joining later gets its pod, a toleration lets the tainted
 * node run one, a rolling update of the image, `kubectl rollout status|history|undo|restart`, and
 * deletion taking the pods and revisions along.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpsClientset } from '../src/client/rest.js';
import { type FakeNodes, startFakeNodes } from '../src/kubelet/fake-nodes.js';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

let server: TestServer;
let cache: string;
let k: Kubectl;
let client: HttpsClientset | undefined;
let extra: FakeNodes | undefined;
const stopExtra = new AbortController();

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '3'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-daemonset-'));
  k = kubectl('1.33', server.kubeconfig, cache);
});

after(async () => {
  stopExtra.abort();
  await extra?.done;
  client?.close();
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

const DAEMONSET = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels: {app: fluentd}
  updateStrategy:
    rollingUpdate: {maxUnavailable: 2}
  template:
    metadata:
      labels: {app: fluentd}
    spec:
      containers:
      - name: fluentd
        image: fluentd:v1
        imagePullPolicy: IfNotPresent
`;

/** Running pods of the DaemonSet as `node=image`, sorted. */
async function placement(): Promise<string[]> {
  const out = ok(
    await k([
      'get',
      'pods',
      '-l',
      'app=fluentd',
      '-o',
      'jsonpath={range .items[?(@.status.phase=="Running")]}{.spec.nodeName}={.spec.containers[0].image}{"\\n"}{end}',
    ]),
    'get pods',
  );
  return out.split('\n').filter(Boolean).sort();
}

async function rolledOut(): Promise<void> {
  ok(await k(['rollout', 'status', 'ds/fluentd', '--timeout=40s'], { timeoutMs: 45_000 }), 'rollout status');
}

describe('DaemonSet', { timeout: 120_000 }, () => {
  it('runs a pod on every node except a tainted one', async () => {
    await eventually('3 Ready nodes', async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 3);
    ok(await k(['taint', 'nodes', 'fake-node-2', 'dedicated=infra:NoSchedule']), 'taint');
    assert.match(ok(await k(['apply', '-f', '-'], { input: DAEMONSET }), 'apply'), /daemonset.apps\/fluentd created/);
    await rolledOut();
    assert.deepEqual(await placement(), ['fake-node-0=fluentd:v1', 'fake-node-1=fluentd:v1']);
    assert.match(ok(await k(['get', 'ds', 'fluentd']), 'get ds'), /^fluentd\s+2\s+2\s+2\s+2\s+2\s+<none>\s/m);
    const described = ok(await k(['describe', 'ds', 'fluentd']), 'describe');
    assert.match(described, /Desired Number of Nodes Scheduled: 2/);
    assert.match(described, /Normal\s+SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: fluentd-[a-z0-9]{5}/);
    const affinity = ok(await k(['get', 'pods', '-l', 'app=fluentd', '-o', 'jsonpath={.items[0].spec.affinity.nodeAffinity}']), 'affinity');
    assert.match(affinity, /"matchFields":\[\{"key":"metadata.name","operator":"In","values":\["fake-node-[01]"\]\}\]/);
  });

  it('gives a node that joins later its pod', async () => {
    client = HttpsClientset.fromKubeconfig(server.kubeconfig);
    extra = await startFakeNodes({ clientset: client, count: 1, namePrefix: 'fake-node-', firstIndex: 3 }, stopExtra.signal);
    await eventually('a pod on fake-node-3', async () => (await placement()).includes('fake-node-3=fluentd:v1'), 30_000);
    await rolledOut();
    assert.match(ok(await k(['get', 'ds', 'fluentd']), 'get ds'), /^fluentd\s+3\s+3\s+3\s+3\s+3\s/m);
  });

  it('runs on the tainted node once the template tolerates the taint, rolling every pod', async () => {
    const patch = {
      spec: { template: { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }] } } },
    };
    ok(await k(['patch', 'ds', 'fluentd', '--type=strategic', '-p', JSON.stringify(patch)]), 'patch');
    await rolledOut();
    assert.deepEqual(await placement(), [
      'fake-node-0=fluentd:v1',
      'fake-node-1=fluentd:v1',
      'fake-node-2=fluentd:v1',
      'fake-node-3=fluentd:v1',
    ]);
    const generations = ok(
      await k(['get', 'pods', '-l', 'app=fluentd', '-o', 'jsonpath={.items[*].metadata.labels.pod-template-generation}']),
      'labels',
    );
    assert.deepEqual([...new Set(generations.trim().split(/\s+/))], ['2']);
  });

  it('rolls out a new image, lists the history, undoes it and restarts', async () => {
    ok(await k(['set', 'image', 'ds/fluentd', 'fluentd=fluentd:v2']), 'set image');
    await rolledOut();
    assert.deepEqual(
      (await placement()).map((p) => p.split('=')[1]),
      ['fluentd:v2', 'fluentd:v2', 'fluentd:v2', 'fluentd:v2'],
    );
    const history = ok(await k(['rollout', 'history', 'ds/fluentd']), 'history');
    assert.match(history, /^REVISION\s+CHANGE-CAUSE$/m);
    assert.match(history, /^1\s+<none>$/m);
    assert.match(history, /^3\s+<none>$/m);
    const rev2 = ok(await k(['rollout', 'history', 'ds/fluentd', '--revision=2']), 'history --revision=2');
    assert.match(rev2, /Image:\s+fluentd:v1/);
    assert.match(ok(await k(['rollout', 'undo', 'ds/fluentd']), 'undo'), /daemonset.apps\/fluentd rolled back/);
    await rolledOut();
    assert.deepEqual(
      (await placement()).map((p) => p.split('=')[1]),
      ['fluentd:v1', 'fluentd:v1', 'fluentd:v1', 'fluentd:v1'],
    );
    assert.match(ok(await k(['rollout', 'history', 'ds/fluentd']), 'history after undo'), /^4\s+<none>$/m);
    const before = ok(await k(['get', 'pods', '-l', 'app=fluentd', '-o', 'jsonpath={.items[*].metadata.name}']), 'names')
      .trim()
      .split(/\s+/);
    assert.match(ok(await k(['rollout', 'restart', 'ds/fluentd']), 'restart'), /daemonset.apps\/fluentd restarted/);
    await rolledOut();
    const after = ok(await k(['get', 'pods', '-l', 'app=fluentd', '-o', 'jsonpath={.items[*].metadata.name}']), 'names')
      .trim()
      .split(/\s+/);
    assert.equal(after.length, 4);
    assert.ok(
      after.every((n) => !before.includes(n)),
      `every pod replaced: ${before} → ${after}`,
    );
    assert.match(ok(await k(['get', 'ds', 'fluentd']), 'get ds'), /^fluentd\s+4\s+4\s+4\s+4\s+4\s/m);
  });

  it('takes its pods and revisions along when deleted', async () => {
    ok(await k(['delete', 'ds', 'fluentd']), 'delete');
    await eventually('no pods and no revisions left', async () => {
      const left = ok(await k(['get', 'pods,controllerrevisions', '-l', 'app=fluentd', '-o', 'name']), 'get').trim();
      return left === '';
    });
  });
});
