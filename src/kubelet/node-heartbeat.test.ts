import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeHeartbeats } from './node-heartbeat.js';
import { DEFAULT_CAPACITY, type NodeDescription } from './node-status.js';
import { FakeClock } from './testing/fake-clock.js';
import { FakeResourceClient } from './testing/fake-resource-client.js';

type Obj = Record<string, unknown>;

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
  const clock = new FakeClock();
  const nodes = new FakeResourceClient('nodes');
  const leases = new FakeResourceClient('leases');
  const errors: string[] = [];
  const hb = new NodeHeartbeats({ nodes, leases, clock, statusReportMs: 60_000, onError: (n, e) => errors.push(`${n}: ${String(e)}`) });
  return { clock, nodes, leases, hb, errors };
}

describe('node heartbeats', () => {
  it('registers a Ready node with the kubelet labels, conditions and info', async () => {
    const t = setup();
    await t.hb.register(describeNode('n1'));
    const node = t.nodes.objects.get('/n1');
    assert.ok(node);
    assert.deepEqual(node.metadata.labels, {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
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
    const lease = t.leases.objects.get('kube-node-lease/n1');
    assert.deepEqual(lease?.['spec'], { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' });
    assert.deepEqual(lease?.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: node.metadata.uid }]);
  });

  it('re-registers an existing node by reporting a fresh status', async () => {
    const t = setup();
    t.nodes.seed({ metadata: { name: 'n1', labels: { team: 'a' } }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
    await t.hb.register(describeNode('n1'));
    const node = t.nodes.objects.get('/n1');
    assert.equal(node?.metadata.labels?.['team'], 'a');
    const ready = (((node?.['status'] ?? {}) as Obj)['conditions'] as Obj[]).find((c) => c['type'] === 'Ready');
    assert.equal(ready?.['status'], 'True');
  });

  it('renews every lease each interval, spread over slots, and stops on abort', async () => {
    const t = setup();
    for (const n of ['n1', 'n2', 'n3', 'n4']) await t.hb.register(describeNode(n));
    const ac = new AbortController();
    t.hb.run(ac.signal);
    const renewals = () => t.leases.writes.filter((w) => w.verb === 'update').map((w) => w.name);
    await t.clock.step(2500, 2500);
    assert.deepEqual(renewals(), ['n1'], 'one slot per 2.5 s for 4 nodes');
    await t.clock.step(7500, 2500);
    assert.deepEqual(renewals().sort(), ['n1', 'n2', 'n3', 'n4']);
    const renewTime = ((t.leases.objects.get('kube-node-lease/n4')?.['spec'] ?? {}) as Obj)['renewTime'];
    assert.equal(renewTime, '2025-01-01T00:00:10.000000Z');
    ac.abort();
    const count = renewals().length;
    await t.clock.step(30_000, 2500);
    assert.equal(renewals().length, count);
    assert.deepEqual(t.errors, []);
  });

  it('recreates a lease deleted behind its back', async () => {
    const t = setup();
    await t.hb.register(describeNode('n1'));
    t.leases.objects.clear();
    const ac = new AbortController();
    t.hb.run(ac.signal);
    await t.clock.step(10_000, 10_000);
    ac.abort();
    assert.ok(t.leases.objects.get('kube-node-lease/n1'));
  });

  it('reports status again after statusReportMs', async () => {
    const t = setup();
    await t.hb.register(describeNode('n1'));
    const ac = new AbortController();
    t.hb.run(ac.signal);
    await t.clock.step(60_000, 10_000);
    ac.abort();
    const statusPatches = t.nodes.writes.filter((w) => w.verb === 'patch' && w.subresource === 'status');
    assert.equal(statusPatches.length, 1);
    const ready = (((t.nodes.objects.get('/n1')?.['status'] ?? {}) as Obj)['conditions'] as Obj[]).find((c) => c['type'] === 'Ready');
    assert.equal(ready?.['lastHeartbeatTime'], '2025-01-01T00:01:00Z');
    assert.equal(ready?.['lastTransitionTime'], '2025-01-01T00:00:00Z');
  });
});
