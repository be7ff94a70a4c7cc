/**
 * The iptables service proxy end to end: a `k8ts server --runtime containerd --proxy-mode
 * iptables` in a network namespace of the test's runs the service proxy conformance suite
 * (src/proxy/testing/service-proxy-suite.ts), whose rules for a service port are the nat chains
 * iptables-save shows for it. Removing the namespace removes every rule.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { servicePortChains } from '../src/proxy/iptables/chain-names.js';
import { serviceProxySuite } from '../src/proxy/testing/service-proxy-suite.js';
import { type Kubectl, kubectl } from './support/kubectl.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';

const skip = await realNodeUnavailableForTests();
const SERVICE_CIDR = '10.96.0.0/12';
let node: RealNodeServer | undefined;
let run: Kubectl | undefined;
let dir = '';

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({
    nodeName: 'k8ts-e2e-proxy-iptables',
    clusterCIDR: '10.232.0.0/16',
    netns: { subnet: '10.232.255.0/30' },
    args: ['--proxy-mode', 'iptables', '--service-cidr', SERVICE_CIDR],
  });
  dir = await mkdtemp(join(tmpdir(), 'k8ts-proxy-'));
  run = kubectl('1.33', node.server.kubeconfig, join(dir, 'cache'));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  if (!node) return;
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

serviceProxySuite({
  mode: 'iptables',
  skip,
  node: () => {
    const n = node as RealNodeServer;
    const netns = n.netns;
    if (!netns) throw new Error('the node runs in a network namespace');
    return {
      client: n.client,
      serviceCIDR: SERVICE_CIDR,
      nodeIP: netns.ip,
      hostExec: (file, args) => netns.exec(file, args),
      podExec: (namespace, pod, argv) => (run as Kubectl)(['exec', '-n', namespace, pod, '--', ...argv], { timeoutMs: 300_000 }),
      rulesFor: async (servicePortName) => {
        const chains = servicePortChains(servicePortName, 'TCP');
        const saved = await netns.exec('iptables-save', ['-t', 'nat']);
        return saved.split('\n').filter((l) => [chains.cluster, chains.local, chains.external].some((c) => l.includes(c)));
      },
    };
  },
});
