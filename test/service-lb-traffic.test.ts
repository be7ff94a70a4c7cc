/**
 * Traffic to the built-in service load balancer on a real node (a `k8ts server --runtime
 * containerd` in a network namespace of the test's): a LoadBalancer Service gets the node's
 * address as its ingress, and the node's service proxy opens the Service's port there — the
 * test process reaches a busybox httpd pod at nodeIP:port over the test's veth. When the Service
 * stops being a LoadBalancer, the status is cleared and the port closes. With the default proxy
 * mode (iptables), then with --proxy-mode userspace, one server after the other.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { runCommand } from '../src/kubelet/command.js';
import type { KubeObject } from '../src/machinery/object.js';
import { httpdPod, nodeReady, pageOf, podRunningWithIP } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const NODE = 'k8ts-lb-node';

const skip = await realNodeUnavailableForTests();

const ingressOf = (svc: KubeObject): unknown[] =>
  ((svc['status'] as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? []) as unknown[];

/** Resolves with the connection's error code (ECONNREFUSED …), or 'connected'. */
const dial = (host: string, port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

for (const mode of ['iptables (the default)', 'userspace']) {
  describe(`service load balancer traffic, proxy mode ${mode}`, { skip, timeout: 240_000 }, () => {
    let rn: RealNodeServer | undefined;
    before(async () => {
      if (skip) return;
      rn = await startRealNodeServer({
        nodeName: NODE,
        clusterCIDR: '10.235.0.0/16',
        netns: { subnet: '10.235.255.0/30' },
        args: mode === 'userspace' ? ['--proxy-mode', 'userspace'] : [],
      });
    });
    after(async () => {
      if (!rn) return;
      assert.deepEqual(await rn.stop(), [], 'the test left these behind');
    });

    it('opens a LoadBalancer Service’s port on the node’s address, and closes it when the type changes', async () => {
      const node = rn as RealNodeServer;
      const netns = node.netns as NonNullable<RealNodeServer['netns']>;
      const client = node.client as HttpsClientset;
      // the node's address is behind the test's own veth: nothing leaves the machine
      assert.match((await runCommand('ip', ['route', 'get', netns.ip])).stdout, new RegExp(`dev ${netns.hostVeth}\\b`));
      await nodeReady(client, NODE, 90_000);
      const pods = client.resource(PODS);
      const pod = httpdPod('lb-web', 'hello from the load balancer');
      pod.metadata.labels = { app: 'lb-web' };
      await pods.create('default', pod);
      await podRunningWithIP(pods, 'default', 'lb-web', 90_000);

      const services = client.resource(SERVICES);
      await services.create('default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'lb-web', namespace: 'default' },
        spec: { type: 'LoadBalancer', selector: { app: 'lb-web' }, ports: [{ port: 8081, targetPort: 8080 }] },
      });
      await eventually('the load balancer ingress', async () => ingressOf(await services.get('default', 'lb-web')).length > 0, 30_000);
      assert.deepEqual(ingressOf(await services.get('default', 'lb-web')), [{ ip: netns.ip, ipMode: 'VIP' }]);
      assert.equal(await pageOf(`http://${netns.ip}:8081/`, 60_000), 'hello from the load balancer\n');

      await services.patch('default', 'lb-web', 'merge', { spec: { type: 'ClusterIP' } });
      await eventually('the status cleared', async () => ingressOf(await services.get('default', 'lb-web')).length === 0, 30_000);
      await eventually('the port closed', async () => (await dial(netns.ip, 8081)) === 'ECONNREFUSED', 30_000);
    });
  });
}
