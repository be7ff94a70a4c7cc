/**
 * The node-local DNS cache end to end on a real node in a network namespace (`--node-local-dns
 * 169.254.20.10`): pods get the link-local address as their nameserver, cluster names go from the
 * cache to kube-dns' cluster IP (10.96.0.10, the default --cluster-dns, routed by the service
 * proxy to the node's DNS server), other names to the upstream resolver the test runs on the
 * machine side of the namespace's veth.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { type StaticDnsServer, startStaticDnsServer } from '../src/dns/testing/static-dns-server.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import { type Kubectl, kubectl } from './support/kubectl.js';
import { nodeReady, podRunningWithIP } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const NODE = 'k8ts-dns-local-node';
const NODE_LOCAL = '169.254.20.10';
const UPSTREAM_IP = '10.236.255.5';
const UPSTREAM_PORT = 10053;

const skip = await realNodeUnavailableForTests();
let rn: RealNodeServer | undefined;
let upstream: StaticDnsServer | undefined;
let k: Kubectl;

function client(): HttpsClientset {
  return (rn as RealNodeServer).client;
}

async function inClient(...args: string[]): Promise<string> {
  const r = await k(['exec', 'client', '--', ...args], { timeoutMs: 30_000 });
  return `${r.stdout}${r.stderr}`;
}

before(async () => {
  if (skip) return;
  rn = await startRealNodeServer({
    nodeName: NODE,
    clusterCIDR: '10.236.0.0/16',
    netns: { subnet: '10.236.255.4/30' },
    args: ['--node-local-dns', NODE_LOCAL, '--dns-upstream', `${UPSTREAM_IP}:${UPSTREAM_PORT}`],
  });
  // the cache reaches kube-dns' cluster IP as any host process does, by a route covering the service
  // CIDR (on a real host the default route); this namespace has none, so the CIDR gets one on lo:
  // the service proxy's DNAT turns the packets to the node's DNS server, and nothing leaves the namespace
  await rn.netns?.exec('ip', ['route', 'add', '10.96.0.0/12', 'dev', 'lo']);
  upstream = await startStaticDnsServer({
    host: UPSTREAM_IP,
    port: UPSTREAM_PORT,
    answer: (q) =>
      q.name.toLowerCase() === 'far.example' && q.type === 'A'
        ? [{ type: 'A', name: q.name, ttl: 60, class: 'IN', data: '192.0.2.20' }]
        : undefined,
  });
  k = kubectl('1.33', rn.server.kubeconfig, join(rn.dataDir, 'kubectl-cache'));
});

after(async () => {
  await upstream?.close();
  if (!rn) return;
  assert.deepEqual(await rn.stop(), [], 'the test left these behind');
});

describe('the node-local DNS cache', { skip, timeout: 300_000 }, () => {
  let webIP = '';

  before(async () => {
    if (skip) return;
    await nodeReady(client(), NODE, 90_000);
    const web = await client()
      .resource(SERVICES)
      .create('default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      });
    webIP = String((web['spec'] as Record<string, unknown>)['clusterIP']);
    const pods = client().resource(PODS);
    await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'sh', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
      },
    });
    await podRunningWithIP(pods, 'default', 'client', 90_000);
  });

  it('is the pods’ nameserver', async () => {
    assert.match(await inClient('cat', '/etc/resolv.conf'), new RegExp(`^nameserver ${NODE_LOCAL.replaceAll('.', '\\.')}$`, 'm'));
  });

  it('answers cluster names through kube-dns', async () => {
    await eventually(
      'web through the node-local cache',
      async () => (await inClient('nslookup', 'web.default.svc.cluster.local')).includes(webIP),
      30_000,
    );
    const out = await inClient('nslookup', 'web.default.svc.cluster.local');
    assert.match(out, new RegExp(`Server:\\s+${NODE_LOCAL.replaceAll('.', '\\.')}`), out);
  });

  it('forwards other names to the upstream resolver', async () => {
    const out = await inClient('nslookup', 'far.example');
    assert.match(out, /Address:\s+192\.0\.2\.20\b/, out);
  });
});
