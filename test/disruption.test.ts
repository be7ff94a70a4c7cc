/**
 * PodDisruptionBudgets, the eviction subresource and `kubectl drain|cordon|uncordon` with real
 * kubectl (1.33, and 1.27 for drain) against `k8ts server --runtime fake --fake-nodes 3`: the PDB
 * columns, a drain that evicts within a budget and one that the budget blocks until --timeout,
 * the eviction answers (429 with its cause, 500 for two budgets, dry run, policy/v1beta1), the
 * DisruptionTarget condition, and DaemonSet, emptyDir and unmanaged pods.
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

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '3'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-disruption-'));
  k = kubectl('1.33', server.kubeconfig, join(cache, '1.33'));
  k127 = kubectl('1.27', server.kubeconfig, join(cache, '1.27'));
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

interface PodItem {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

async function pods(selector: string): Promise<PodItem[]> {
  return (JSON.parse(ok(await k(['get', 'pods', '-l', selector, '-o', 'json']), 'get pods')) as { items: PodItem[] }).items;
}

const ready = (p: PodItem) => !p.metadata.deletionTimestamp && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

async function pdbStatus(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(ok(await k(['get', 'pdb', name, '-o', 'jsonpath={.status}']), 'get pdb status')) as Record<string, unknown>;
}

/** POST pods/NAME/eviction with kubectl create --raw. */
function evict(pod: string, body: Record<string, unknown> = {}, extra: string[] = []) {
  const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: 'default' }, ...body };
  return k(['create', '--raw', `/api/v1/namespaces/default/pods/${pod}/eviction`, '-f', '-', ...extra], {
    input: JSON.stringify(eviction),
  });
}

describe('PodDisruptionBudgets, eviction and drain', { timeout: 120_000 }, () => {
  it('shows the budgets’ columns as the disruption controller computes them', async () => {
    await eventually('3 Ready nodes', async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 3);
    const created = await Promise.all([
      k(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']),
      k(['create', 'pdb', 'web', '--selector=app=web', '--min-available=2']),
      k(['create', 'pdb', 'other', '--selector=app=other', '--max-unavailable=50%']),
    ]);
    for (const r of created) ok(r, 'create');
    await eventually('1 allowed disruption of 3 healthy pods', async () =>
      /^web\s+2\s+N\/A\s+1\s/m.test(ok(await k(['get', 'pdb']), 'get pdb')),
    );
    const table = ok(await k(['get', 'pdb']), 'get pdb');
    assert.match(table, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/m);
    assert.match(table, /^other\s+N\/A\s+50%\s+0\s/m);
    const st = await pdbStatus('web');
    assert.deepEqual(
      [st['currentHealthy'], st['desiredHealthy'], st['expectedPods'], st['disruptionsAllowed'], st['observedGeneration']],
      [3, 2, 3, 1, 1],
    );
    assert.match(JSON.stringify(st['conditions']), /"reason":"SufficientPods","status":"True","type":"DisruptionAllowed"/);
  });

  it('cordons and uncordons a node', async () => {
    assert.match(ok(await k(['cordon', 'fake-node-0']), 'cordon'), /node\/fake-node-0 cordoned/);
    assert.match(ok(await k(['get', 'nodes']), 'get nodes'), /^fake-node-0\s+Ready,SchedulingDisabled\s/m);
    assert.match(ok(await k(['uncordon', 'fake-node-0']), 'uncordon'), /node\/fake-node-0 uncordoned/);
    assert.match(ok(await k(['get', 'nodes']), 'get nodes'), /^fake-node-0\s+Ready\s/m);
  });

  it('answers evictions as upstream: dry run, policy/v1beta1, 429 with its cause, 500 for two budgets', async () => {
    const [victim] = await pods('app=web');
    assert.ok(victim);
    const name = victim.metadata.name;
    ok(await evict(name, { apiVersion: 'policy/v1beta1', deleteOptions: { dryRun: ['All'] } }), 'v1beta1 dry-run eviction');
    const [after, status, twin] = await Promise.all([
      pods('app=web'),
      pdbStatus('web'),
      k(['create', 'pdb', 'web-twin', '--selector=app=web', '--max-unavailable=1']),
    ]);
    assert.equal(after.find((p) => p.metadata.name === name)?.metadata.deletionTimestamp, undefined);
    assert.equal(status['disruptionsAllowed'], 1, 'a dry run takes no disruption');
    ok(twin, 'create a second pdb');
    const twice = await evict(name);
    assert.notEqual(twice.code, 0);
    assert.match(twice.stderr, /This pod has more than one PodDisruptionBudget, which the eviction subresource does not support\./);
    const changes = await Promise.all([
      k(['delete', 'pdb', 'web-twin']),
      k(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":3}}']),
    ]);
    for (const r of changes) ok(r, 'delete the second pdb, raise minAvailable');
    await eventually(
      'no disruption allowed',
      async () => ok(await k(['get', 'pdb', 'web']), 'get pdb').match(/^web\s+3\s+N\/A\s+0\s/m) !== null,
    );
    const blocked = await evict(name, {}, ['-v=8']);
    assert.notEqual(blocked.code, 0);
    assert.match(
      blocked.stderr,
      /Error from server \(TooManyRequests\): Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    assert.match(blocked.stderr, /The disruption budget web needs 3 healthy pods and has 3 currently/);
    const st = await pdbStatus('web');
    assert.match(JSON.stringify(st['conditions']), /"reason":"InsufficientPods","status":"False","type":"DisruptionAllowed"/);
  });

  it('drain blocks beyond the budget until --timeout, with the error kubectl prints', async () => {
    const [pod] = await pods('app=web');
    const node = pod?.spec.nodeName ?? '';
    // kubectl retries a refused eviction after 5 s, and gives up at the first retry past --timeout
    const r = await k(['drain', node, '--timeout=3s']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`node/${node} cordoned`));
    assert.match(
      r.stderr,
      /error when evicting pods\/"web-\S+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    assert.match(
      r.stderr,
      new RegExp(
        `error: unable to drain node "${node}" due to error: ?\\[?error when evicting pods/"web-\\S+" -n "default": global timeout reached: 3s`,
      ),
    );
    const [still, uncordoned] = await Promise.all([pods('app=web'), k(['uncordon', node])]);
    assert.equal(still.filter(ready).length, 3, 'every pod is still there');
    ok(uncordoned, 'uncordon');
  });

  it('drain evicts within the budget and the pods come back elsewhere', async () => {
    ok(await k(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":2}}']), 'lower minAvailable');
    await eventually(
      '1 allowed disruption',
      async () => ok(await k(['get', 'pdb', 'web']), 'get pdb').match(/^web\s+2\s+N\/A\s+1\s/m) !== null,
    );
    const [pod] = await pods('app=web');
    const node = pod?.spec.nodeName ?? '';
    const out = ok(await k(['drain', node, '--timeout=40s']), 'drain');
    assert.match(out, new RegExp(`node/${node} cordoned[\\s\\S]*pod/web-\\S+ evicted[\\s\\S]*node/${node} drained`));
    await eventually('3 ready web pods, none on the drained node', async () => {
      const now = (await pods('app=web')).filter(ready);
      return now.length === 3 && now.every((p) => p.spec.nodeName !== node);
    });
    assert.match(ok(await k(['get', 'nodes']), 'get nodes'), new RegExp(`^${node}\\s+Ready,SchedulingDisabled\\s`, 'm'));
    ok(await k(['uncordon', node]), 'uncordon');
  });

  it('marks an evicted pod with the DisruptionTarget condition', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'held', finalizers: ['k8ts.io/hold'] },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    };
    ok(await k(['apply', '-f', '-'], { input: JSON.stringify(pod) }), 'create held pod');
    await eventually('held running', async () =>
      (await pods('!app')).some((p) => p.metadata.name === 'held' && p.status.phase === 'Running'),
    );
    ok(await evict('held'), 'evict held');
    const held = JSON.parse(ok(await k(['get', 'pod', 'held', '-o', 'json']), 'get held')) as PodItem;
    assert.ok(held.metadata.deletionTimestamp);
    const cond = held.status.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([cond?.status, cond?.reason, cond?.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);
    ok(await k(['patch', 'pod', 'held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']), 'release held');
  });

  it('drain (kubectl 1.27) skips DaemonSet pods with --ignore-daemonsets and needs flags for emptyDir and bare pods; --disable-eviction deletes', async () => {
    const node = 'fake-node-2';
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } },
      },
    };
    // no budget in the way this time
    const [applied, deleted] = await Promise.all([k127(['apply', '-f', '-'], { input: JSON.stringify(ds) }), k(['delete', 'pdb', 'web'])]);
    ok(applied, 'create daemonset');
    ok(deleted, 'delete pdb');
    // the DaemonSet controller runs the daemon pod on the node
    const onNode = async () => (await pods('app=agent')).filter((p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp);
    await eventually(`a DaemonSet pod on ${node}`, async () => (await onNode()).length === 1);
    const [daemonPod] = await onNode();
    const container = { name: 'a', image: 'busybox', volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] };
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'scratch' },
          spec: { nodeName: node, volumes: [{ name: 'tmp', emptyDir: {} }], containers: [container] },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'bare' },
          spec: { nodeName: node, containers: [{ name: 'a', image: 'busybox' }] },
        },
      ],
    };
    ok(await k(['apply', '-f', '-'], { input: JSON.stringify(list) }), 'create pods');
    const refused = await k127(['drain', node, '--timeout=20s']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): default\/agent-\S+/);
    assert.match(refused.stderr, /cannot delete Pods with local storage \(use --delete-emptydir-data to override\): default\/scratch/);
    assert.match(refused.stderr, /cannot delete Pods declare no controller \(use --force to override\): default\/bare/);
    const drained = await k127(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=40s']);
    assert.equal(drained.code, 0, drained.stdout + drained.stderr);
    assert.match(drained.stderr, /ignoring DaemonSet-managed Pods: default\/agent-\S+/);
    assert.match(drained.stderr, /deleting Pods that declare no controller: default\/bare, default\/scratch/);
    assert.match(drained.stdout, /pod\/scratch evicted/);
    assert.match(drained.stdout, /pod\/bare evicted/);
    assert.match(drained.stdout, new RegExp(`node/${node} drained`));
    assert.deepEqual(
      (await onNode()).map((p) => p.metadata.name),
      [daemonPod?.metadata.name],
      'the DaemonSet pod stays',
    );
    assert.match(ok(await k127(['uncordon', node]), 'uncordon'), new RegExp(`node/${node} uncordoned`));
    // --disable-eviction deletes instead (kubectl sends that DeleteOptions body as protobuf)
    const byDelete = ok(
      await k(['drain', 'fake-node-1', '--pod-selector=app=web', '--disable-eviction', '--timeout=20s']),
      'drain by delete',
    );
    assert.match(byDelete, /pod\/web-\S+ deleted[\s\S]*node\/fake-node-1 drained/);
    ok(await k(['uncordon', 'fake-node-1']), 'uncordon fake-node-1');
  });
});
