/**
 * The iptables service proxy end to end: a `k8ts server --runtime containerd --proxy-mode
 * iptables` in a network namespace of the test's runs the service proxy conformance suite
 * (src/proxy/testing/service-proxy-suite.ts), whose rules for a service port are the nat chains
 * iptables-save shows for it; then what is iptables mode's own: sessionAffinity ClientIP keeps a
 * client on one endpoint (the recent module, with the Service's timeout). Removing the namespace
 * removes every rule.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
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

describe('iptables mode', { skip, timeout: 300_000 }, () => {
  it('keeps a client on one endpoint with sessionAffinity ClientIP, for the timeout the Service sets', async () => {
    const n = node as RealNodeServer;
    const k = run as Kubectl;
    const deployments = n.client.resource({ group: 'apps', version: 'v1', resource: 'deployments' });
    await deployments.patch('default', 'web', 'merge', { spec: { replicas: 3 } });
    const svc = await n.client.resource({ group: '', version: 'v1', resource: 'services' }).create('default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sticky', namespace: 'default' },
      spec: {
        selector: { app: 'web', role: 'backend' },
        ports: [{ port: 80, targetPort: 8080 }],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      },
    });
    const ip = (svc['spec'] as { clusterIP: string }).clusterIP;
    const slices = n.client.resource({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
    const saved = () => (n.netns as NonNullable<RealNodeServer['netns']>).exec('iptables-save', ['-t', 'nat']);
    const deadline = Date.now() + 180_000;
    const ready = async () =>
      (await slices.list('default', { labelSelector: 'kubernetes.io/service-name=sticky' })).items
        .flatMap((sl) => (sl['endpoints'] ?? []) as { conditions?: { ready?: boolean } }[])
        .filter((e) => e.conditions?.ready !== false).length;
    // three ready endpoints, each with its affinity check in the Service's chain
    while ((await ready()) < 3 || (await saved()).split('\n').filter((l) => l.includes('--rcheck --seconds 600 --reap')).length < 3) {
      assert.ok(Date.now() < deadline, 'three endpoints with affinity rules');
      await sleep(500);
    }
    const loop = `for i in $(seq 20); do timeout 5 wget -q -O - http://${ip}/ || echo FAILED; done`;
    const got = new Set((await k(['exec', 'client', '--', 'sh', '-c', loop], { timeoutMs: 200_000 })).stdout.split('\n').filter(Boolean));
    assert.equal(got.size, 1, `one endpoint answers every request: ${[...got].join(', ')}`);
    assert.ok(![...got].includes('FAILED'));
  });
});
