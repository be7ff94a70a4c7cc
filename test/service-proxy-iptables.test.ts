/**
 * The iptables service proxy end to end: a `k8ts server --runtime containerd --proxy-mode
 * iptables` in a network namespace of the test's runs the service proxy conformance suite
 * (src/proxy/testing/service-proxy-suite.ts), whose rules for a service port are the nat chains
 * iptables-save shows for it; then what is iptables mode's own: sessionAffinity ClientIP keeps a
 * client on one endpoint (the recent module, with the Service's timeout), and a UDP client that
 * keeps sending from one source port follows its Service to a new endpoint (the stale conntrack
 * entry is deleted). Removing the namespace removes every rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../src/machinery/object.js';
import { servicePortChains } from '../src/proxy/iptables/chain-names.js';
import { serviceProxySuite } from '../src/proxy/testing/service-proxy-suite.js';
import { useProxyModeNode } from './support/proxy-mode-node.js';
import { realNodeUnavailableForTests } from './support/real-node-server.js';

const skip = await realNodeUnavailableForTests();
const proxy = useProxyModeNode({
  mode: 'iptables',
  clusterCIDR: '10.232.0.0/16',
  subnet: '10.232.255.0/30',
  skip,
});

/**
 * A pod running a Node.js program (busybox's nc has no UDP): the machine's node binary and its
 * libraries, mounted read-only from /usr, started through their dynamic loader.
 */
function nodeScriptPod(name: string, labels: Record<string, string>, script: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: {
      terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'usr', hostPath: { path: '/usr', type: 'Directory' } }],
      containers: [
        {
          name: 'main',
          image: BUSYBOX_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: [
            '/host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
            '--library-path',
            '/host/usr/lib/x86_64-linux-gnu',
            '/host/usr/bin/node',
            '-e',
            script,
          ],
          volumeMounts: [{ name: 'usr', mountPath: '/host/usr', readOnly: true }],
        },
      ],
    },
  };
}

/** The nat table's rules that name the service port's chains. */
async function natRulesFor(servicePortName: string): Promise<string[]> {
  const chains = servicePortChains(servicePortName, 'TCP');
  const saved = await proxy.netns().exec('iptables-save', ['-t', 'nat']);
  return saved.split('\n').filter((l) => [chains.cluster, chains.local, chains.external].some((c) => l.includes(c)));
}

serviceProxySuite({ mode: 'iptables', skip, node: () => proxy.subject(natRulesFor) });

describe('iptables mode', { skip, timeout: 300_000 }, () => {
  it('keeps a client on one endpoint with sessionAffinity ClientIP, for the timeout the Service sets', async () => {
    const n = proxy.server();
    const k = proxy.kubectl();
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
    const saved = () => proxy.netns().exec('iptables-save', ['-t', 'nat']);
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

describe('iptables mode, UDP', { skip, timeout: 300_000 }, () => {
  it('a UDP client sending from one source port follows its Service to the endpoint that replaced the old one', async () => {
    assert.equal(process.execPath, '/usr/bin/node', "the pods run the machine's /usr/bin/node");
    assert.equal(process.arch, 'x64');
    const n = proxy.server();
    const k = proxy.kubectl();
    const pods = n.client.resource({ group: '', version: 'v1', resource: 'pods' });
    const services = n.client.resource({ group: '', version: 'v1', resource: 'services' });
    const slices = n.client.resource({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
    const echo =
      "const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send(require('os').hostname(),r.port,r.address));s.bind(5353)";
    try {
      for (const role of ['a', 'b']) await pods.create('default', nodeScriptPod(`udp-echo-${role}`, { app: 'udp-echo', role }, echo));
      const svc = await services.create('default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'udp-echo', namespace: 'default' },
        spec: { selector: { app: 'udp-echo', role: 'a' }, ports: [{ protocol: 'UDP', port: 53, targetPort: 5353 }] },
      });
      const ip = (svc['spec'] as { clusterIP: string }).clusterIP;
      // one socket, one source port, a datagram every 200 ms; prints who answers when it changes
      const client = `const s=require('dgram').createSocket('udp4');let last='';s.on('error',()=>{});s.on('message',(m)=>{if(String(m)!==last)console.log(last=String(m))});s.bind(40000,()=>setInterval(()=>s.send('x',53,'${ip}'),200))`;
      await pods.create('default', nodeScriptPod('udp-client', { app: 'udp-client' }, client));
      const answered = async (who: string, what: string): Promise<void> => {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const logs = await k(['logs', 'udp-client'], { timeoutMs: 30_000 });
          if (logs.stdout.split('\n').includes(who)) return;
          assert.ok(Date.now() < deadline, `${what}; the client saw: ${JSON.stringify(logs.stdout)} ${logs.stderr}`);
          await sleep(500);
        }
      };
      await answered('udp-echo-a', 'udp-echo-a answers');
      await services.patch('default', 'udp-echo', 'merge', { spec: { selector: { app: 'udp-echo', role: 'b' } } });
      const endpointIPs = async () =>
        (await slices.list('default', { labelSelector: 'kubernetes.io/service-name=udp-echo' })).items.flatMap((sl) =>
          ((sl['endpoints'] ?? []) as { addresses: string[] }[]).flatMap((e) => e.addresses),
        );
      const b = (await pods.get('default', 'udp-echo-b'))['status'] as { podIP: string };
      const deadline = Date.now() + 60_000;
      while ((await endpointIPs()).join() !== b.podIP) {
        assert.ok(Date.now() < deadline, "the Service's endpoint is udp-echo-b");
        await sleep(300);
      }
      // udp-echo-a still runs and would answer the old conntrack entry's DNAT for as long as the client sends
      await answered('udp-echo-b', 'the same client socket is answered by udp-echo-b');
    } finally {
      await services.delete('default', 'udp-echo').catch(() => {});
      for (const pod of ['udp-client', 'udp-echo-a', 'udp-echo-b']) await pods.delete('default', pod).catch(() => {});
    }
  });
});
