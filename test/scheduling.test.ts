/**
 * Scheduling with real kubectl against `k8ts server --runtime fake --fake-nodes 3`: node labels and
 * nodeSelector, a NoSchedule taint and tolerations, required pod anti-affinity on the hostname, a
 * pod too big for any node, and PriorityClass-based preemption, with upstream's FailedScheduling
 * messages in `kubectl describe pod` and `kubectl get events`.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

interface Pod {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  spec: { nodeName?: string; priority?: number; preemptionPolicy?: string };
  status: {
    phase?: string;
    nominatedNodeName?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

let server: TestServer;
let cache: string;
let k: Kubectl;

async function getPod(name: string): Promise<Pod | undefined> {
  const r = await k(['get', 'pod', name, '-o', 'json']);
  if (r.code !== 0 && /NotFound/.test(r.stderr)) return undefined;
  return JSON.parse(ok(r, `get pod ${name}`)) as Pod;
}

async function listPods(selector: string): Promise<Pod[]> {
  return (JSON.parse(ok(await k(['get', 'pods', '-l', selector, '-o', 'json']), 'get pods')) as { items: Pod[] }).items;
}

/** Creates a bare pod of one nginx container; `spec` is merged into the pod's spec. */
async function runPod(name: string, spec: Record<string, unknown> = {}, cpu?: string, finalizers?: string[]): Promise<void> {
  const container = { name: 'nginx', image: 'nginx:1.27.0', ...(cpu ? { resources: { requests: { cpu } } } : {}) };
  const metadata = { name, labels: { run: name }, ...(finalizers ? { finalizers } : {}) };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [container], ...spec } };
  ok(await k(['create', '-f', '-'], { input: JSON.stringify(pod) }), `create pod ${name}`);
}

/** The node a pod is running on, once it runs. */
async function runningOn(name: string): Promise<string> {
  let node = '';
  await eventually(`pod ${name} running`, async () => {
    const pod = await getPod(name);
    node = pod?.status.phase === 'Running' ? (pod.spec.nodeName ?? '') : '';
    return node !== '';
  });
  return node;
}

/** The latest FailedScheduling message of a pod, once there is one; the pod is still Pending and unbound. */
async function failedScheduling(name: string, want?: string): Promise<string> {
  let message = '';
  await eventually(`FailedScheduling for ${name}${want ? `: ${want}` : ''}`, async () => {
    const out = ok(
      await k([
        'get',
        'events',
        '--field-selector',
        `involvedObject.name=${name},reason=FailedScheduling`,
        '-o',
        'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
      ]),
      'get events',
    );
    message = out.trim().split('\n').filter(Boolean).at(-1) ?? '';
    return want === undefined ? message !== '' : message === want;
  });
  const pod = await getPod(name);
  assert.equal(pod?.status.phase, 'Pending');
  assert.equal(pod?.spec.nodeName, undefined);
  return message;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function assertDescribedFailure(name: string, message: string): Promise<void> {
  const described = ok(await k(['describe', 'pod', name]), 'describe pod');
  assert.match(described, /^Status:\s+Pending$/m);
  assert.match(described, new RegExp(`Warning\\s+FailedScheduling\\s+\\S+\\s+default-scheduler\\s+${escapeRegExp(message)}`));
}

async function deletePods(...names: string[]): Promise<void> {
  ok(await k(['delete', 'pod', ...names, '--wait=true', '--timeout=20s']), `delete ${names.join(' ')}`);
}

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '3'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-scheduling-'));
  k = kubectl('1.33', server.kubeconfig, cache);
  await eventually(
    '3 Ready nodes',
    async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 3,
    20_000,
  );
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('scheduling', { timeout: 85_000 }, () => {
  it('places pods by nodeSelector, and a pending pod once a node gets the label', async () => {
    ok(await k(['label', 'node', 'fake-node-1', 'disktype=ssd']), 'label');
    await runPod('ssd', { nodeSelector: { disktype: 'ssd' } });
    await runPod('hdd', { nodeSelector: { disktype: 'hdd' } });
    assert.equal(await runningOn('ssd'), 'fake-node-1');
    const message =
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    assert.equal(await failedScheduling('hdd'), message);
    await assertDescribedFailure('hdd', message);
    ok(await k(['label', 'node', 'fake-node-2', 'disktype=hdd']), 'label');
    assert.equal(await runningOn('hdd'), 'fake-node-2');
    await deletePods('ssd', 'hdd');
  });

  it('keeps pods off a NoSchedule-tainted node unless they tolerate the taint', async () => {
    ok(await k(['taint', 'node', 'fake-node-0', 'dedicated=gpu:NoSchedule']), 'taint');
    ok(await k(['create', 'deployment', 'spread', '--image=nginx:1.27.0', '--replicas=6']), 'create deployment');
    ok(await k(['rollout', 'status', 'deployment/spread', '--timeout=30s']), 'rollout status');
    const nodes = (await listPods('app=spread')).map((p) => p.spec.nodeName);
    assert.equal(nodes.length, 6);
    assert.ok(!nodes.includes('fake-node-0'), `no replica on the tainted node: ${nodes.join(' ')}`);

    const pinned = { nodeSelector: { 'kubernetes.io/hostname': 'fake-node-0' } };
    await runPod('intolerant', pinned);
    await runPod('tolerant', { ...pinned, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
    assert.equal(await runningOn('tolerant'), 'fake-node-0');
    const message =
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    assert.equal(await failedScheduling('intolerant'), message);
    await assertDescribedFailure('intolerant', message);
    // the taint removed, the waiting pod goes to the node
    ok(await k(['taint', 'node', 'fake-node-0', 'dedicated-']), 'untaint');
    assert.equal(await runningOn('intolerant'), 'fake-node-0');
    ok(await k(['delete', 'deployment', 'spread']), 'delete deployment');
    await deletePods('intolerant', 'tolerant');
  });

  it('places one replica per node under required pod anti-affinity and leaves a 4th Pending', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'solo' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'solo' } },
        template: {
          metadata: { labels: { app: 'solo' } },
          spec: {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: 'kubernetes.io/hostname' },
                ],
              },
            },
            containers: [{ name: 'nginx', image: 'nginx:1.27.0' }],
          },
        },
      },
    };
    ok(await k(['apply', '-f', '-'], { input: JSON.stringify(deployment) }), 'apply');
    ok(await k(['rollout', 'status', 'deployment/solo', '--timeout=30s']), 'rollout status');
    const placed = (await listPods('app=solo')).map((p) => p.spec.nodeName).sort();
    assert.deepEqual(placed, ['fake-node-0', 'fake-node-1', 'fake-node-2']);

    ok(await k(['scale', 'deployment', 'solo', '--replicas=4']), 'scale');
    let pending: Pod | undefined;
    await eventually('a 4th replica', async () => {
      pending = (await listPods('app=solo')).find((p) => !p.spec.nodeName);
      return pending !== undefined;
    });
    const name = pending?.metadata.name ?? '';
    const message =
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    assert.equal(await failedScheduling(name), message);
    await assertDescribedFailure(name, message);
    const events = ok(await k(['get', 'events', '--field-selector', `involvedObject.name=${name}`]), 'get events');
    assert.match(events, new RegExp(`Warning\\s+FailedScheduling\\s+pod/${escapeRegExp(name)}\\s+${escapeRegExp(message)}`));
    assert.match(ok(await k(['get', 'deployment', 'solo', '--no-headers']), 'get deployment'), /^solo\s+3\/4\s+4\s+3\s/);
    ok(await k(['delete', 'deployment', 'solo']), 'delete deployment');
  });

  it('leaves a pod that needs more cpu than any node has Pending', async () => {
    await runPod('huge', {}, '64');
    const message =
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    assert.equal(await failedScheduling('huge'), message);
    await assertDescribedFailure('huge', message);
    const condition = ok(await k(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")]}']), 'condition');
    const scheduled = JSON.parse(condition) as { status: string; reason: string; message: string };
    assert.deepEqual([scheduled.status, scheduled.reason, scheduled.message], ['False', 'Unschedulable', message]);
    await deletePods('huge');
  });

  it('preempts a lower-priority pod for a higher-priority one', async () => {
    const classes = [
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 100 },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 100_000 },
    ];
    ok(await k(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: classes }) }), 'priority classes');
    // 20 of each node's 32 cpus taken by low-priority pods: one per node; a finalizer of ours keeps
    // the victim visible after its deletion
    const hold = 'k8ts.io/e2e-hold';
    for (const i of [0, 1, 2]) await runPod(`low-${i}`, { priorityClassName: 'low' }, '20', [hold]);
    const lowNodes = new Map<string, string>();
    for (const i of [0, 1, 2]) lowNodes.set(await runningOn(`low-${i}`), `low-${i}`);
    assert.equal(lowNodes.size, 3);

    await runPod('urgent', { priorityClassName: 'high' }, '20');
    const node = await runningOn('urgent');
    const victim = lowNodes.get(node) ?? '';
    const preempted = await getPod(victim);
    assert.ok(preempted?.metadata.deletionTimestamp, `victim ${victim} is being deleted`);
    const disruption = preempted.status.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual(
      [disruption?.status, disruption?.reason, disruption?.message],
      ['True', 'PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod'],
    );
    ok(await k(['patch', 'pod', victim, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']), 'release victim');
    await eventually(`victim ${victim} deleted`, async () => (await getPod(victim)) === undefined);
    const urgent = await getPod('urgent');
    assert.equal(urgent?.status.nominatedNodeName, node);
    const survivors = [...lowNodes.values()].filter((n) => n !== victim);
    for (const name of survivors) {
      const survivor = await getPod(name);
      assert.equal(survivor?.status.phase, 'Running');
      assert.equal(survivor?.metadata.deletionTimestamp, undefined);
      ok(await k(['patch', 'pod', name, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']), 'release');
    }

    // events are recorded asynchronously: wait for the preemption's
    const preemptedEvent = new RegExp(`^Preempted\\|${victim}\\|Preempted by pod ${urgent?.metadata.uid} on node ${node}$`, 'm');
    let events = '';
    await eventually('the Preempted event', async () => {
      events = ok(
        await k(['get', 'events', '-o', 'jsonpath={range .items[*]}{.reason}|{.involvedObject.name}|{.message}{"\\n"}{end}']),
        'get events',
      );
      return preemptedEvent.test(events);
    });
    // the attempt that preempted failed first: no preemption part when preemption nominated a node
    assert.match(events, /^FailedScheduling\|urgent\|0\/3 nodes are available: 3 Insufficient cpu\.$/m);
    assert.match(events, new RegExp(`^Scheduled\\|urgent\\|Successfully assigned default/urgent to ${node}$`, 'm'));
    await deletePods('urgent', ...survivors);
  });

  it('preempts where no PodDisruptionBudget would be violated', async () => {
    // the PriorityClasses of the test above; one low pod per node, two of them guarded by a
    // budget that allows no disruption (its status written here: k8ts runs no disruption controller)
    for (const i of [0, 1, 2]) await runPod(`guard-${i}`, { priorityClassName: 'low' }, '20');
    const nodes = new Map<string, string>();
    for (const i of [0, 1, 2]) nodes.set(await runningOn(`guard-${i}`), `guard-${i}`);
    const budget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'guarded' },
      spec: { minAvailable: 2, selector: { matchExpressions: [{ key: 'run', operator: 'In', values: ['guard-0', 'guard-1'] }] } },
    };
    ok(await k(['create', '-f', '-'], { input: JSON.stringify(budget) }), 'create pdb');
    const status = { status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2, observedGeneration: 1 } };
    ok(await k(['patch', 'pdb', 'guarded', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]), 'pdb status');
    await runPod('urgent-2', { priorityClassName: 'high' }, '20');
    const node = await runningOn('urgent-2');
    assert.equal(nodes.get(node), 'guard-2', 'the unguarded pod made room');
    await eventually('guard-2 deleted', async () => (await getPod('guard-2')) === undefined);
    for (const name of ['guard-0', 'guard-1']) assert.equal((await getPod(name))?.metadata.deletionTimestamp, undefined, `${name} kept`);
    ok(await k(['delete', 'pdb', 'guarded']), 'delete pdb');
    await deletePods('urgent-2', 'guard-0', 'guard-1');
  });

  it('resolves spec.priority from the PriorityClass at admission', async () => {
    await runPod('prioritized', { priorityClassName: 'high' });
    const pod = await getPod('prioritized');
    await deletePods('prioritized');
    assert.equal(pod?.spec.priority, 100_000);
    assert.equal(pod?.spec.preemptionPolicy, 'PreemptLowerPriority');
    const unknown = await k(['run', 'unknown-class', '--image=nginx', '--overrides={"spec":{"priorityClassName":"nope"}}']);
    assert.match(unknown.stderr, /pods "unknown-class" is forbidden: no PriorityClass with name nope was found/);
  });
});
