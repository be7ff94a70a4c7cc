/**
 * `k8ts server --disable-network-policy` (k3s' flag) end to end, on a real node in a network
 * namespace of the test's: a default-deny policy changes nothing (a pod still reaches another),
 * no chain of the policy controller's is written, and chains an earlier run left (made by hand
 * here) are removed when the server starts again with the flag, and by `k8ts killall`.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../src/kubelet/command.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type Kubectl, kubectl } from './support/kubectl.js';
import { httpdPod, nodeReady, podRunningWithIP, status } from './support/nodes.js';
import type { NetnsHost } from './support/netns.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { REPO } from './support/server.js';
import { eventually } from './support/wait.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const POLICIES = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };
const NODE = 'k8ts-netpol-off';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let k: Kubectl;
let cacheDir = '';

const rn = (): RealNodeServer => node as RealNodeServer;
const filterTable = (): Promise<string> => netns().exec('iptables-save', ['-t', 'filter']);
const POLICY_CHAINS = /KUBE-(ROUTER|POD-FW|NWPLCY)/;

const netns = (): NetnsHost => rn().netns as NetnsHost;

/** Chains as an earlier, enforcing run leaves them: a pod chain, the top-level chain and FORWARD's jump. */
async function leaveChains(): Promise<void> {
  const iptables = (...args: string[]) => netns().exec('iptables', ['-t', 'filter', ...args]);
  await iptables('-N', 'KUBE-ROUTER-FORWARD');
  await iptables('-N', 'KUBE-POD-FW-LEFTOVER00000000');
  await iptables('-A', 'KUBE-ROUTER-FORWARD', '-j', 'KUBE-POD-FW-LEFTOVER00000000');
  await iptables('-I', 'FORWARD', '1', '-m', 'comment', '--comment', 'kube-router netpol', '-j', 'KUBE-ROUTER-FORWARD');
}

before(async () => {
  if (skip) return;
  cacheDir = await mkdtemp(join(tmpdir(), 'k8ts-netpol-off-kubectl-'));
  node = await startRealNodeServer({
    nodeName: NODE,
    clusterCIDR: '10.243.0.0/16',
    netns: { subnet: '10.242.255.4/30' },
    args: ['--disable-network-policy'],
  });
  k = kubectl('1.33', node.server.kubeconfig, cacheDir);
  await nodeReady(node.client, NODE, 90_000);
});

after(async () => {
  if (!node) return;
  const left = await node.stop();
  await rm(cacheDir, { recursive: true, force: true });
  assert.deepEqual(left, [], 'the test left these behind');
});

describe('k8ts server --disable-network-policy', { skip, timeout: 240_000 }, () => {
  it('enforces nothing and writes no chain', async () => {
    const pods = rn().client.resource(PODS);
    await pods.create('default', { ...httpdPod('web', 'hello'), metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } } });
    const client: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'exec sleep 3600'] }],
      },
    };
    await pods.create('default', client);
    const webIP = String(status(await podRunningWithIP(pods, 'default', 'web', 90_000))['podIP']);
    await podRunningWithIP(pods, 'default', 'client', 90_000);
    const route = (await rn().netns?.exec('ip', ['route', 'get', webIP])) ?? '';
    assert.match(route, new RegExp(`dev ${rn().bridge}`), `web's address is on the node's bridge: ${route}`);
    await rn()
      .client.resource(POLICIES)
      .create('default', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: 'default' },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    // the policy exists; an enforcing node would shut the client out within moments
    let last = '';
    await eventually(
      'the client reaching web through the policy',
      async () => {
        const r = await k(['exec', 'client', '--', 'sh', '-c', `timeout 3 wget -q -O - http://${webIP}:8080/`], { timeoutMs: 20_000 });
        last = `${r.code} ${r.stdout} ${r.stderr}`;
        return r.code === 0 && r.stdout === 'hello\n';
      },
      30_000,
      300,
    );
    assert.doesNotMatch(await filterTable(), POLICY_CHAINS, last);
  });

  it('removes chains an earlier run left when it starts', async () => {
    await leaveChains();
    assert.match(await filterTable(), POLICY_CHAINS);
    await rn().restart();
    await eventually('the leftover chains removed', async () => !POLICY_CHAINS.test(await filterTable()), 60_000, 300);
  });

  it('k8ts killall removes the chains, one line each', async () => {
    await leaveChains();
    // a data dir of no node: killall stops nothing, and removes the chains of the namespace it runs in
    const empty = await mkdtemp(join(tmpdir(), 'k8ts-netpol-killall-'));
    try {
      const [file = '', ...args] = netns().command([process.execPath, join(REPO, 'bin', 'k8ts.js'), 'killall', '--data-dir', empty]);
      const { stdout } = await runCommand(file, args);
      // the namespace's node also ran a service proxy, whose rules killall removes in lines of their own
      const policyLines = stdout
        .trim()
        .split('\n')
        .filter((l) => l.includes('chain KUBE-'));
      assert.deepEqual(policyLines.sort(), [
        'removed iptables chain KUBE-POD-FW-LEFTOVER00000000',
        'removed iptables chain KUBE-ROUTER-FORWARD',
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    assert.doesNotMatch(await filterTable(), POLICY_CHAINS);
  });
});
