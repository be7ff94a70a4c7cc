import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { NODE_LEASE_NAMESPACE, NodeHeartbeats } from './node-heartbeat.js';
import { hostPlatform } from '../machinery/platform.js';
import { DEFAULT_CAPACITY, type NodeDescription } from './node-status.js';

type Obj = Record<string, unknown>;

const NODES = { group: '', version: 'v1', resource: 'nodes' };
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

function describeNode(name: string): NodeDescription {
  return {
    name,
    nodeIP: '10.240.0.1',
    capacity: DEFAULT_CAPACITY,
    containerRuntimeVersion: 'fake://0.1.0',
    instanceType: 'k8ts-fake',
    machineID: '0123456789abcdef0123456789abcdef',
  };
}

function setup() {
  const cluster = new FakeClientset();
  const clock = cluster.clock;
  const errors: string[] = [];
  const hb = new NodeHeartbeats({
    nodes: cluster.resource(NODES),
    leases: cluster.resource(LEASES),
    clock,
    statusReportMs: 60_000,
    onError: (n, e) => errors.push(`${n}: ${String(e)}`),
  });
  const node = (name: string) => cluster.tracker.get(NODES, '', name);
  const lease = (name: string) => cluster.tracker.get(LEASES, NODE_LEASE_NAMESPACE, name);
  return { cluster, clock, hb, errors, node, lease };
}

describe('node heartbeats', () => {
  it('registers a Ready node with the kubelet labels, conditions and info', async () => {
    const t = setup();
    await t.hb.register(describeNode('n1'));
    const node = t.node('n1');
    assert.ok(node);
    const arch = hostPlatform().architecture;
    assert.ok(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'loong64', 'mips64'].includes(arch), arch);
    assert.equal((node['status'] as Obj)['nodeInfo'] && ((node['status'] as Obj)['nodeInfo'] as Obj)['architecture'], arch);
    assert.deepEqual(node.metadata.labels, {
      'beta.kubernetes.io/arch': arch,
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': arch,
      'kubernetes.io/hostname': 'n1',
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': 'k8ts-fake',
    });
    const status = node['status'] as Obj;
    assert.deepEqual(
      (status['conditions'] as Obj[]).map((c) => [c['type'], c['status'], c['reason'], c['message']]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ],
    );
    assert.deepEqual(status['addresses'], [
      { type: 'InternalIP', address: '10.240.0.1' },
      { type: 'Hostname', address: 'n1' },
    ]);
    assert.equal((status['nodeInfo'] as Obj)['kubeletVersion'], 'v1.33.0-k8ts');
    assert.deepEqual(status['daemonEndpoints'], { kubeletEndpoint: { Port: 10250 } });
    const lease = t.lease('n1');
    assert.deepEqual(lease?.['spec'], { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' });
    assert.deepEqual(lease?.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: node.metadata.uid }]);
  });

  it('re-registers an existing node by reporting a fresh status', async () => {
    const t = setup();
    t.cluster.tracker.put(NODES, {
      metadata: { name: 'n1', labels: { team: 'a' } },
      status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
    });
    await t.hb.register(describeNode('n1'));
    const node = t.node('n1');
    assert.equal(node?.metadata.labels?.['team'], 'a');
    const ready = (((node?.['status'] ?? {}) as Obj)['conditions'] as Obj[]).find((c) => c['type'] === 'Ready');
    assert.equal(ready?.['status'], 'True');
  });

  it('renews every lease each interval, spread over slots, and stops on abort', async () => {
    const t = setup();
    for (const n of ['n1', 'n2', 'n3', 'n4']) await t.hb.register(describeNode(n));
    const ac = new AbortController();
    t.hb.run(ac.signal);
    const renewals = () => t.cluster.actions.filter((a) => a.verb === 'update').map((a) => a.name);
    await t.clock.step(2500);
    assert.deepEqual(renewals(), ['n1'], 'one slot per 2.5 s for 4 nodes');
    await t.clock.step(7500);
    assert.deepEqual(renewals().sort(), ['n1', 'n2', 'n3', 'n4']);
    const renewTime = ((t.lease('n4')?.['spec'] ?? {}) as Obj)['renewTime'];
    assert.equal(renewTime, '2024-01-01T00:00:10.000000Z');
    ac.abort();
    const count = renewals().length;
    await t.clock.step(30_000);
    assert.equal(renewals().length, count);
    assert.deepEqual(t.errors, []);
  });

  it('recreates a lease deleted behind its back', async () => {
    const t = setup();
    await t.hb.register(describeNode('n1'));
    t.cluster.tracker.remove(LEASES, NODE_LEASE_NAMESPACE, 'n1');
    const ac = new AbortController();
    t.hb.run(ac.signal);
    await t.clock.step(10_000);
    ac.abort();
    assert.ok(t.lease('n1'));
  });

  it('reports status again after statusReportMs', async () => {
    const t = setup();
    await t.hb.register(describeNode('n1'));
    const ac = new AbortController();
    t.hb.run(ac.signal);
    await t.clock.step(60_000);
    ac.abort();
    assert.deepEqual(t.cluster.writes('patch'), ['patch nodes/status n1']);
    const ready = (((t.node('n1')?.['status'] ?? {}) as Obj)['conditions'] as Obj[]).find((c) => c['type'] === 'Ready');
    assert.equal(ready?.['lastHeartbeatTime'], '2024-01-01T00:01:00Z');
    assert.equal(ready?.['lastTransitionTime'], '2024-01-01T00:00:00Z');
  });

  it('registers a node NotReady while its runtime says so, and reports Ready once checked again', async () => {
    const t = setup();
    let message: string | undefined = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:x';
    await t.hb.register(describeNode('n1'), async () => (message === undefined ? {} : { notReady: message }));
    const ready = () => (((t.node('n1')?.['status'] ?? {}) as Obj)['conditions'] as Obj[]).find((c) => c['type'] === 'Ready');
    assert.deepEqual([ready()?.['status'], ready()?.['reason'], ready()?.['message']], ['False', 'KubeletNotReady', message]);
    message = undefined;
    t.hb.checkNow('n1');
    await t.clock.step(0);
    assert.deepEqual([ready()?.['status'], ready()?.['reason']], ['True', 'KubeletReady']);
    assert.equal(ready()?.['lastTransitionTime'], '2024-01-01T00:00:00Z');
    message = 'container runtime is down';
    const ac = new AbortController();
    t.hb.run(ac.signal);
    await t.clock.step(10_000);
    ac.abort();
    assert.deepEqual([ready()?.['status'], ready()?.['message']], ['False', 'container runtime is down']);
    assert.deepEqual(t.cluster.writes('patch'), ['patch nodes/status n1', 'patch nodes/status n1']);
  });

  it('reports the machine’s pressure as the conditions upstream sets, at the next heartbeat', async () => {
    const t = setup();
    let memoryPressure = false;
    await t.hb.register(describeNode('n1'), async () => ({ memoryPressure, diskPressure: false, pidPressure: false }));
    const condition = (type: string) => (((t.node('n1')?.['status'] ?? {}) as Obj)['conditions'] as Obj[]).find((c) => c['type'] === type);
    assert.equal(condition('MemoryPressure')?.['status'], 'False');
    memoryPressure = true;
    const ac = new AbortController();
    t.hb.run(ac.signal);
    await t.clock.step(10_000);
    ac.abort();
    assert.deepEqual(
      [condition('MemoryPressure')?.['status'], condition('MemoryPressure')?.['reason'], condition('MemoryPressure')?.['message']],
      ['True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
    );
    assert.equal(condition('Ready')?.['status'], 'True');
    assert.deepEqual(t.cluster.writes('patch'), ['patch nodes/status n1']);
  });
});
