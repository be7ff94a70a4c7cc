import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../client/testing/fake-informers.js';
import type { KubeObject } from '../machinery/object.js';
import { FORWARD_CHAIN, podFirewallChainName } from './chain-names.js';
import { NAMESPACES, NETWORK_POLICIES, NetworkPolicyController, PODS } from './controller.js';
import type { FilterChains, PolicyFirewall, SyncResult } from './interface.js';

class RecordingFirewall implements PolicyFirewall {
  applied: FilterChains[] = [];
  full: boolean[] = [];
  async apply(chains: FilterChains, options: { full?: boolean } = {}): Promise<SyncResult> {
    this.applied.push(chains);
    this.full.push(options.full === true);
    return { kind: options.full ? 'full' : 'partial', written: chains.size, removed: 0 };
  }
  async cleanup(): Promise<string[]> {
    return [];
  }
}

const pod = (name: string, nodeName: string, ip: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName, containers: [{ name: 'c', image: 'i' }] },
  status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
});

/** Waits (bounded) until the firewall has been written `n` times. */
async function applied(fw: RecordingFirewall, n: number): Promise<FilterChains> {
  for (let i = 0; i < 200 && fw.applied.length < n; i++) await sleep(10);
  const last = fw.applied[n - 1];
  assert.ok(last, `want ${n} syncs, got ${fw.applied.length}`);
  return last;
}

describe('NetworkPolicyController', () => {
  it('syncs on start, on a policy, on a relevant pod change, and not on a status-only change', async () => {
    const client = new FakeClientset();
    const pods = client.resource(PODS);
    await client.resource(NAMESPACES).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    await pods.create('default', pod('web', 'n1', '10.0.0.2', { app: 'web' }));
    await pods.create('default', pod('remote', 'n2', '10.0.1.2', { app: 'web' }));
    const firewall = new RecordingFirewall();
    const stop = new AbortController();
    const controller = new NetworkPolicyController({ informers: new FakeInformerFactory(client), nodeName: 'n1', firewall });
    const running = controller.run(stop.signal);
    try {
      assert.deepEqual([...(await applied(firewall, 1)).keys()], [FORWARD_CHAIN]);

      await client.resource(NETWORK_POLICIES).create('default', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'default' },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      });
      const isolated = await applied(firewall, 2);
      assert.ok(isolated.has(podFirewallChainName('default', 'web')), 'the local pod is isolated');
      assert.ok(!isolated.has(podFirewallChainName('default', 'remote')), "another node's pod is not this agent's");

      const web = await pods.get('default', 'web');
      await pods.updateStatus('default', {
        ...web,
        status: { ...(web['status'] as object), conditions: [{ type: 'Ready', status: 'True' }] },
      });
      await pods.update('default', {
        ...(await pods.get('default', 'web')),
        metadata: { ...web.metadata, resourceVersion: undefined, labels: { app: 'other' } },
      });
      await applied(firewall, 3);
      await sleep(50);
      assert.equal(firewall.applied.length, 3, 'the status-only change did not sync');
      assert.deepEqual(firewall.full, [false, false, false], 'changes write only what changed');
    } finally {
      stop.abort();
      await running;
    }
  });

  it('rewrites every chain on the periodic resync', async () => {
    const firewall = new RecordingFirewall();
    const stop = new AbortController();
    const controller = new NetworkPolicyController({
      informers: new FakeInformerFactory(new FakeClientset()),
      nodeName: 'n1',
      firewall,
      resyncMs: 20,
    });
    const running = controller.run(stop.signal);
    try {
      await applied(firewall, 3);
      assert.deepEqual(firewall.full.slice(0, 3), [false, true, true]);
    } finally {
      stop.abort();
      await running;
    }
  });
});
