/**
 * The userspace service proxy end to end: a `k8ts server --runtime containerd --proxy-mode
 * userspace` in a network namespace of the test's runs the service proxy conformance suite
 * (src/proxy/testing/service-proxy-suite.ts) — what it made for a service port are its listening
 * sockets and its address on k8ts-svc0 — and then what the suite does not cover: sessionAffinity
 * ClientIP from a pod, and UDP datagrams and their replies through a cluster IP. Removing the
 * namespace removes the device and routes.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import type { KubeObject } from '../src/machinery/object.js';
import { serviceProxySuite } from '../src/proxy/testing/service-proxy-suite.js';
import { SERVICE_DEVICE } from '../src/proxy/userspace/service-addresses.js';
import { ok } from './support/kubectl.js';
import { httpdPod } from './support/nodes.js';
import { useProxyModeNode } from './support/proxy-mode-node.js';
import { realNodeUnavailableForTests } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

const skip = await realNodeUnavailableForTests();
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
/** The UDP echo server the test runs on the node (stopped by PID in after()). */
let udpEcho: ChildProcess | undefined;
const proxy = useProxyModeNode({
  mode: 'userspace',
  clusterCIDR: '10.234.0.0/16',
  subnet: '10.234.255.0/30',
  skip,
  beforeStop: async () => {
    if (udpEcho && udpEcho.exitCode === null) {
      udpEcho.kill();
      await once(udpEcho, 'exit');
    }
  },
});

/** Cluster IP, port and node port of the Services the suite asked about (they outlive the Service). */
const seen = new Map<string, { clusterIP: string; port: number; nodePort?: number }>();

/** What the userspace mode made for a service port: its listening sockets and its address on k8ts-svc0. */
async function madeFor(servicePortName: string): Promise<string[]> {
  const [nsName = '', portName = ''] = servicePortName.split(':');
  const [namespace = '', name = ''] = nsName.split('/');
  if (!seen.has(servicePortName)) {
    const spec = (await proxy.server().client.resource(SERVICES).get(namespace, name))['spec'] as {
      clusterIP: string;
      ports: { name?: string; port: number; nodePort?: number }[];
    };
    const port = spec.ports.find((p) => (p.name ?? '') === portName);
    if (!port) return [];
    seen.set(servicePortName, { clusterIP: spec.clusterIP, port: port.port, ...(port.nodePort ? { nodePort: port.nodePort } : {}) });
  }
  const sp = seen.get(servicePortName) as { clusterIP: string; port: number; nodePort?: number };
  const listening = (await proxy.netns().exec('ss', ['-Hltn'])).split('\n').filter((l) => {
    const local = l.trim().split(/\s+/)[3] ?? '';
    return local === `${sp.clusterIP}:${sp.port}` || (sp.nodePort !== undefined && local.endsWith(`:${sp.nodePort}`));
  });
  const address = (await proxy.netns().exec('ip', ['-o', 'addr', 'show', 'dev', SERVICE_DEVICE]))
    .split('\n')
    .filter((l) => l.includes(` ${sp.clusterIP}/`));
  return [...listening, ...address];
}

serviceProxySuite({ mode: 'userspace', skip, node: () => proxy.subject(madeFor) });

describe('userspace proxy beyond the suite', { skip, timeout: 300_000 }, () => {
  const k = (args: string[], input?: string) => proxy.kubectl()(args, { timeoutMs: 130_000, ...(input === undefined ? {} : { input }) });
  const field = async (args: string[]): Promise<string> => ok(await k(['get', ...args]), `get ${args.join(' ')}`).trim();
  /** What one wget from the suite's client pod got: the page, or wget's complaint. */
  const wgetFromPod = async (url: string): Promise<string> =>
    (await k(['exec', 'client', '--', 'sh', '-c', `timeout 5 wget -q -O - ${url} 2>&1`])).stdout.trim();

  it('sessionAffinity ClientIP keeps a client pod on one endpoint; None balances again', async () => {
    const pod = httpdPod('sticky', '$(hostname)');
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'sticky', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'sticky' } },
        template: { metadata: { labels: { app: 'sticky' } }, spec: pod['spec'] },
      },
    };
    ok(await k(['apply', '-f', '-'], JSON.stringify(deployment)), 'apply deployment');
    ok(await k(['rollout', 'status', 'deployment/sticky', '--timeout=120s']), 'rollout');
    ok(await k(['create', 'service', 'clusterip', 'sticky', '--tcp', '80:8080']), 'create service');
    ok(await k(['patch', 'svc', 'sticky', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}']), 'patch affinity');
    const ip = await field(['svc', 'sticky', '-o', 'jsonpath={.spec.clusterIP}']);
    const backends = (await field(['pods', '-l', 'app=sticky', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    await eventually(
      'one endpoint for the client, 4 times in a row',
      async () => {
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await wgetFromPod(`http://${ip}/`));
        return new Set(answers).size === 1 && backends.includes(answers[0] ?? '');
      },
      90_000,
    );
    ok(await k(['patch', 'svc', 'sticky', '-p', '{"spec":{"sessionAffinity":"None"}}']), 'patch affinity');
    const answered = new Set<string>();
    await eventually(
      'both endpoints answering',
      async () => {
        answered.add(await wgetFromPod(`http://${ip}/`));
        return backends.every((b) => answered.has(b));
      },
      60_000,
    );
  });

  it('UDP: datagrams to the cluster IP reach the endpoint, and its replies come back from the cluster IP', async () => {
    const n = proxy.server();
    const netns = proxy.netns();
    // an echo server on the node's address, the endpoint of a Service without a selector
    const echo = `const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>s.send('echo:'+m,r.port,r.address));s.bind(5353,'${netns.ip}',()=>console.log('listening'))`;
    const [bin, ...argv] = netns.command([process.execPath, '-e', echo]);
    udpEcho = spawn(bin as string, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(udpEcho.stdout as NodeJS.ReadableStream, 'data');
    const client = n.client as HttpsClientset;
    await client.resource(SERVICES).create('default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'udp-echo', namespace: 'default' },
      spec: { ports: [{ name: 'echo', protocol: 'UDP', port: 53, targetPort: 5353 }] },
    });
    await client.resource(ENDPOINT_SLICES).create('default', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'udp-echo-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'udp-echo' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [netns.ip], conditions: { ready: true } }],
      ports: [{ name: 'echo', protocol: 'UDP', port: 5353 }],
    });
    const ip = await field(['svc', 'udp-echo', '-o', 'jsonpath={.spec.clusterIP}']);
    // one datagram, its answer (or nothing after 1 s) printed by a client on the node
    const ask = `const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>{console.log(r.address+' '+m);process.exit(0)});s.send('ping',53,'${ip}');setTimeout(()=>process.exit(1),1000)`;
    let answer = '';
    await eventually(
      'the echo through the cluster IP',
      async () => {
        answer = await netns.exec(process.execPath, ['-e', ask]).catch(() => '');
        return answer !== '';
      },
      30_000,
    );
    assert.equal(answer.trim(), `${ip} echo:ping`);
  });
});
