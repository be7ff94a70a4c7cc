/**
 * The conformance suite every pod network backend runs (host-gw.test.ts, vxlan.test.ts), on the
 * real kernel: two network namespaces of the test's own, "nodes" A and B joined by a veth pair (a
 * shared segment of two addresses in 10.239.254.200/29, no default route), each with its CNI
 * bridge carrying its podCIDR's gateway. The backends are set up in each, told of the other
 * node through a Node object carrying the annotations the other published, and then:
 * A's podCIDR reaches B's and back (a ping between the bridges' gateway addresses), a second
 * sync changes nothing, a node gone takes its routes (and neighbours) away, a restart publishes
 * the same annotations, and cleanup leaves nothing. Removing the namespaces removes the rest.
 * Needs root and iproute2 (skipped with the reason otherwise; under CI=true that fails).
 *
 *   podNetworkBackendConformance(type, factory)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { nthAddress, parseCidr } from '../../../apiserver/allocators/cidr.js';
import { runCommand } from '../../command.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { BackendSetup, FlannelBackendType, LocalNode, NetworkCommandRunner, PodNetworkBackend, RemoteNode } from '../interface.js';
import { ensureBridgeGateway } from '../links.js';
import { remoteNodeOf } from '../remote-nodes.js';
import { podRoutes } from '../routes.js';

async function unavailable(): Promise<string | undefined> {
  const reason =
    process.platform !== 'linux' || process.getuid?.() !== 0
      ? 'the pod network needs Linux and root'
      : await runCommand('ip', ['-V']).then(
          () => undefined,
          () => 'iproute2 (ip) is not installed',
        );
  if (reason && process.env['CI'] === 'true') throw new Error(`the pod network conformance must run under CI, but: ${reason}`);
  return reason;
}

interface TestNode {
  netns: string;
  run: NetworkCommandRunner;
  local: LocalNode;
  bridge: string;
  backend: PodNetworkBackend;
  setup?: BackendSetup;
}

/** The Node object a node's annotations and podCIDR make (what the other node's controller reads). */
const nodeObject = (n: TestNode): KubeObject => ({
  metadata: { name: n.local.name, annotations: n.setup?.annotations ?? {} },
  spec: { podCIDR: n.local.podCIDR },
  status: { addresses: [{ type: 'InternalIP', address: n.local.nodeIP }] },
});

const gatewayOf = (n: TestNode): string => nthAddress(parseCidr(n.local.podCIDR), 1);

const remoteOf = (n: TestNode): RemoteNode => remoteNodeOf(nodeObject(n)) as RemoteNode;

export function podNetworkBackendConformance(type: FlannelBackendType, factory: (run: NetworkCommandRunner) => PodNetworkBackend): void {
  const id = randomBytes(2).toString('hex');
  const nodes: TestNode[] = ['a', 'b'].map((x, i) => {
    const netns = `k8tsc${id}${x}`;
    return {
      netns,
      run: async (file: string, args: string[]) => (await runCommand('ip', ['netns', 'exec', netns, file, ...args])).stdout,
      local: { name: `node-${x}`, nodeIP: `10.239.254.${201 + i}`, podCIDR: `10.239.${201 + i}.0/24` },
      bridge: `k8tscbr${x}`,
      backend: undefined as unknown as PodNetworkBackend,
    };
  });
  const [a, b] = nodes as [TestNode, TestNode];
  /** A ping from one node's bridge gateway to the other's: one podCIDR reaching the other. */
  const ping = (from: TestNode, to: TestNode) =>
    from.run('busybox', ['ping', '-c', '1', '-W', '2', '-I', gatewayOf(from), gatewayOf(to)]).then(
      () => true,
      () => false,
    );

  let skip: string | undefined;
  before(async () => {
    skip = await unavailable();
    if (skip) return;
    for (const n of nodes) await runCommand('ip', ['netns', 'add', n.netns]);
    await runCommand('ip', ['-n', a.netns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', b.netns]);
    for (const n of nodes) {
      await n.run('ip', ['addr', 'add', `${n.local.nodeIP}/29`, 'dev', 'eth0']);
      await n.run('ip', ['link', 'set', 'eth0', 'up']);
      await n.run('ip', ['link', 'set', 'lo', 'up']);
      await n.run('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
      await ensureBridgeGateway(n.run, n.bridge, n.local.podCIDR);
      n.backend = factory(n.run);
    }
  });

  after(async () => {
    for (const n of nodes) await runCommand('ip', ['netns', 'del', n.netns]).catch(() => undefined);
  });

  describe(`pod network backend ${type} (conformance)`, { timeout: 60_000 }, () => {
    it('publishes flannel’s annotations with this backend’s type and the node IP', async (t) => {
      if (skip) return t.skip(skip);
      for (const n of nodes) n.setup = await n.backend.setup(n.local);
      const remote = remoteOf(a);
      assert.equal(remote.backendType, type);
      assert.equal(remote.publicIP, a.local.nodeIP);
      assert.ok((a.setup?.mtu ?? 0) > 1000 && (a.setup?.mtu ?? 0) <= 1500, `mtu ${a.setup?.mtu}`);
    });

    it('makes each node’s podCIDR reach the other’s, and a second sync changes nothing', async (t) => {
      if (skip) return t.skip(skip);
      assert.equal(await ping(a, b), false, 'reachable before any sync');
      await a.backend.sync([remoteOf(b)]);
      await b.backend.sync([remoteOf(a)]);
      assert.ok(await ping(a, b), 'A’s podCIDR does not reach B’s');
      assert.ok(await ping(b, a), 'B’s podCIDR does not reach A’s');
      const routes = await podRoutes(a.run);
      assert.deepEqual(
        routes.map((r) => r.dst),
        [b.local.podCIDR],
      );
      await a.backend.sync([remoteOf(b)]);
      assert.deepEqual(await podRoutes(a.run), routes);
      assert.ok(await ping(a, b));
    });

    it('keeps the annotations across a restart (a new backend on the same kernel state)', async (t) => {
      if (skip) return t.skip(skip);
      const again = factory(a.run);
      assert.deepEqual((await again.setup(a.local)).annotations, a.setup?.annotations);
      await again.sync([remoteOf(b)]);
      assert.ok(await ping(a, b), 'unreachable after the restart');
      a.backend = again;
    });

    it('removes what it programmed for a node that is gone', async (t) => {
      if (skip) return t.skip(skip);
      await a.backend.sync([]);
      assert.deepEqual(await podRoutes(a.run), []);
      assert.equal(await ping(a, b), false, 'still reachable after the node went away');
      const neighbours = await a.run('ip', ['neigh', 'show', 'nud', 'permanent']);
      assert.equal(neighbours.trim(), '');
    });

    it('cleans up everything it made', async (t) => {
      if (skip) return t.skip(skip);
      for (const n of nodes) await n.backend.cleanup();
      for (const n of nodes) {
        assert.deepEqual(await podRoutes(n.run), []);
        const links = (await n.run('ip', ['-o', 'link', 'show'])).split('\n').map((l) => l.split(': ')[1]?.split('@')[0]);
        assert.deepEqual(
          links.filter((l) => l && l !== 'lo' && l !== 'eth0' && l !== n.bridge),
          [],
        );
      }
    });
  });
}
