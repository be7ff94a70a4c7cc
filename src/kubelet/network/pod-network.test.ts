import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import type { KubeObject } from '../../machinery/object.js';
import type { BackendSetup, LocalNode, PodNetworkBackend, RemoteNode } from './interface.js';
import { PodNetwork } from './pod-network.js';

const NODES = { group: '', version: 'v1', resource: 'nodes' };

const node = (name: string, podCIDR: string, ip: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, annotations },
  spec: { podCIDR },
  status: { addresses: [{ type: 'InternalIP', address: ip }] },
});

const HOST_GW = { 'flannel.alpha.coreos.com/backend-type': 'host-gw' };

/** A backend that records what it is told. */
class RecordingBackend implements PodNetworkBackend {
  readonly type = 'host-gw';
  readonly setups: LocalNode[] = [];
  readonly syncs: string[][] = [];

  async setup(local: LocalNode): Promise<BackendSetup> {
    this.setups.push(local);
    return { annotations: { ...HOST_GW, 'flannel.alpha.coreos.com/public-ip': local.nodeIP }, mtu: 1500 };
  }

  async sync(remotes: readonly RemoteNode[]): Promise<void> {
    this.syncs.push(remotes.map((r) => `${r.name} ${r.podCIDR} via ${r.publicIP}`));
  }

  async cleanup(): Promise<void> {}
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

describe('PodNetwork', () => {
  it('readies the bridge, publishes the annotations and programs every other node as Nodes come and go', async () => {
    const clientset = new FakeClientset();
    clientset.tracker.put(NODES, node('self', '10.244.0.0/24', '192.168.1.10'));
    clientset.tracker.put(NODES, node('b', '10.244.1.0/24', '192.168.1.11', HOST_GW));
    const commands: string[] = [];
    const backend = new RecordingBackend();
    const network = new PodNetwork({
      clientset,
      informers: new FakeInformerFactory(clientset),
      nodeName: 'self',
      nodeIP: '192.168.1.10',
      clusterCIDR: '10.244.0.0/16',
      bridge: 'k8ts0',
      backend,
      run: async (file, args) => {
        commands.push(`${file} ${args.join(' ')}`);
        // no bridge yet; every iptables chain and rule "exists"
        if (file === 'ip' && args.includes('link') && args.includes('show')) throw new Error('Device does not exist');
        return '';
      },
      log: () => undefined,
    });
    const stop = new AbortController();
    try {
      assert.deepEqual(await network.start('10.244.0.0/24', stop.signal), { mtu: 1500 });
      assert.deepEqual(commands.slice(0, 4), [
        'ip -d -j link show k8ts0',
        'ip link add k8ts0 type bridge',
        'ip addr replace 10.244.0.1/24 dev k8ts0',
        'ip link set k8ts0 up',
      ]);
      assert.ok(commands.some((c) => c.includes('-C K8TS-POSTRTG -s 10.244.0.0/16 ! -d 10.244.0.0/16')));
      assert.deepEqual(backend.setups, [{ name: 'self', nodeIP: '192.168.1.10', podCIDR: '10.244.0.0/24' }]);
      assert.equal(clientset.tracker.get(NODES, '', 'self')?.metadata.annotations?.['flannel.alpha.coreos.com/backend-type'], 'host-gw');

      await until('the first sync', () => backend.syncs.length === 1);
      assert.deepEqual(backend.syncs, [['b 10.244.1.0/24 via 192.168.1.11']]);

      await clientset.resource(NODES).create('', node('c', '10.244.2.0/24', '192.168.1.12', HOST_GW));
      await until('a sync with c', () => backend.syncs.length === 2);
      assert.deepEqual(backend.syncs[1], ['b 10.244.1.0/24 via 192.168.1.11', 'c 10.244.2.0/24 via 192.168.1.12']);

      // a heartbeat changes nothing the backend uses: no sync
      await clientset.resource(NODES).patch('', 'b', 'merge', { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
      await clientset.resource(NODES).delete('', 'b');
      await until('a sync without b', () => backend.syncs.length === 3);
      assert.deepEqual(backend.syncs[2], ['c 10.244.2.0/24 via 192.168.1.12']);
    } finally {
      stop.abort();
    }
  });

  it('programs the routes again every resync period, though no Node changed', async () => {
    const clientset = new FakeClientset();
    clientset.tracker.put(NODES, node('self', '10.244.0.0/24', '192.168.1.10'));
    clientset.tracker.put(NODES, node('b', '10.244.1.0/24', '192.168.1.11', HOST_GW));
    const backend = new RecordingBackend();
    const stop = new AbortController();
    const network = new PodNetwork({
      clientset,
      informers: new FakeInformerFactory(clientset),
      nodeName: 'self',
      nodeIP: '192.168.1.10',
      clusterCIDR: '10.244.0.0/16',
      bridge: 'k8ts0',
      backend,
      run: async () => '',
      log: () => undefined,
      resyncMs: 20,
    });
    try {
      await network.start('10.244.0.0/24', stop.signal);
      await until('three syncs', () => backend.syncs.length >= 3);
      assert.deepEqual(backend.syncs[2], ['b 10.244.1.0/24 via 192.168.1.11']);
    } finally {
      stop.abort();
    }
  });
});
