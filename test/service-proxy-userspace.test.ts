/**
 * The userspace proxy mode end to end (issue 14: "the userspace mode passes the same Service
 * tests"): `k8ts server --runtime containerd --proxy-mode userspace` in a network namespace of the
 * test's, busybox httpd pods answering their hostname, and a client pod that wgets the Services.
 * ClusterIP from a pod, balancing over 3 endpoints, a not-ready pod receiving nothing, NodePort on
 * 127.0.0.1 and on the node's address, sessionAffinity ClientIP, a Service without endpoints
 * refused, an address of the service CIDR nobody owns rejected, scaling and deleting followed, UDP
 * datagrams and their replies through a cluster IP.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { runCommand } from '../src/kubelet/command.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { httpdPod, nodeReady, podRunningWithIP } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

const NODE = 'k8ts-userspace-node';
const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

const skip = await realNodeUnavailableForTests();
let rn: RealNodeServer | undefined;
let k: Kubectl;
let cache = '';
/** The UDP echo server the test runs on the node (stopped by PID in after()). */
let udpEcho: ChildProcess | undefined;

before(async () => {
  if (skip) return;
  rn = await startRealNodeServer({
    nodeName: NODE,
    clusterCIDR: '10.234.0.0/16',
    netns: { subnet: '10.234.255.0/30' },
    args: ['--proxy-mode', 'userspace'],
  });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-userspace-'));
  k = kubectl('1.33', rn.server.kubeconfig, cache);
});

after(async () => {
  if (udpEcho && udpEcho.exitCode === null) {
    udpEcho.kill();
    await once(udpEcho, 'exit');
  }
  if (cache) await rm(cache, { recursive: true, force: true });
  if (!rn) return;
  assert.deepEqual(await rn.stop(), [], 'the test left these behind');
});

/** A Deployment of busybox httpd pods answering their hostname on 8080. */
function webDeployment(name: string, replicas: number): KubeObject {
  const pod = httpdPod(name, '$(hostname)');
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: pod['spec'] } },
  };
}

/** What one wget from the client pod got: the page, or wget's complaint. */
async function wgetFromPod(url: string): Promise<string> {
  const r = await k(['exec', 'client', '--', 'sh', '-c', `timeout 5 wget -q -O - ${url} 2>&1`]);
  return r.stdout.trim();
}

const field = async (args: string[]): Promise<string> => ok(await k(['get', ...args]), `get ${args.join(' ')}`).trim();

describe('service proxy, --proxy-mode userspace', { skip, timeout: 300_000 }, () => {
  let clusterIP = '';
  let nodePort = '';

  it('a pod reaches a ClusterIP Service, balanced over its 3 ready endpoints; a not-ready pod gets nothing', async () => {
    const node = rn as RealNodeServer;
    const client = node.client as HttpsClientset;
    // the node's address is behind the test's own veth: nothing the test sends leaves the machine
    const netns = node.netns as NonNullable<RealNodeServer['netns']>;
    assert.match((await runCommand('ip', ['route', 'get', netns.ip])).stdout, new RegExp(`dev ${netns.hostVeth}\\b`));
    await nodeReady(client, NODE, 90_000);
    const pods = client.resource(PODS);
    await pods.create('default', httpdPod('client', 'client'));
    const notReady = httpdPod('web-not-ready', '$(hostname)', {});
    notReady.metadata.labels = { app: 'web' };
    const httpd = (notReady['spec'] as { containers: Array<Record<string, unknown>> }).containers[0] as Record<string, unknown>;
    httpd['readinessProbe'] = { exec: { command: ['false'] }, periodSeconds: 1 };
    await pods.create('default', notReady);
    ok(await k(['apply', '-f', '-'], { input: JSON.stringify(webDeployment('web', 3)) }), 'apply deployment');
    ok(await k(['rollout', 'status', 'deployment/web', '--timeout=120s'], { timeoutMs: 130_000 }), 'rollout');
    await podRunningWithIP(pods, 'default', 'client', 90_000);
    ok(await k(['create', 'service', 'nodeport', 'web', '--tcp', '80:8080']), 'create service');
    clusterIP = await field(['svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    nodePort = await field(['svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    const hostnames = (await field(['pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    const ready = hostnames.filter((h) => h !== 'web-not-ready');
    assert.equal(ready.length, 3);

    const seen: string[] = [];
    await eventually(
      'all 3 endpoints answering',
      async () => {
        seen.push(await wgetFromPod(`http://${clusterIP}/`));
        return ready.every((h) => seen.includes(h));
      },
      90_000,
      100,
    );
    // round-robin: the next 6 go to each endpoint twice
    const next: string[] = [];
    for (let i = 0; i < 6; i++) next.push(await wgetFromPod(`http://${clusterIP}/`));
    for (const h of ready) assert.equal(next.filter((n) => n === h).length, 2, `want 2 answers from ${h}, got ${next.join(' ')}`);
    assert.ok(![...seen, ...next].includes('web-not-ready'), `the not-ready pod answered: ${seen.join(' ')}`);
  });

  it('NodePort answers on 127.0.0.1 inside the node and on the node’s address', async () => {
    const netns = (rn as RealNodeServer).netns as NonNullable<RealNodeServer['netns']>;
    assert.match(await netns.exec('curl', ['-sS', '-m', '5', `http://127.0.0.1:${nodePort}/`]), /^web-/);
    const res = await fetch(`http://${netns.ip}:${nodePort}/`, { signal: AbortSignal.timeout(5_000) });
    assert.match(await res.text(), /^web-/);
  });

  it('sessionAffinity ClientIP keeps the client pod on one endpoint', async () => {
    ok(await k(['patch', 'svc', 'web', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}']), 'patch affinity');
    // once the proxy has the change, every answer is the same endpoint's
    await eventually(
      'one endpoint for the client',
      async () => {
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await wgetFromPod(`http://${clusterIP}/`));
        return new Set(answers).size === 1 && /^web-/.test(answers[0] ?? '');
      },
      60_000,
    );
    ok(await k(['patch', 'svc', 'web', '-p', '{"spec":{"sessionAffinity":"None"}}']), 'patch affinity');
  });

  it('a Service without endpoints is refused; an address of the service CIDR nobody owns is rejected', async () => {
    ok(await k(['create', 'service', 'clusterip', 'empty', '--tcp', '80:8080']), 'create service');
    const emptyIP = await field(['svc', 'empty', '-o', 'jsonpath={.spec.clusterIP}']);
    await eventually('refused', async () => /Connection refused/.test(await wgetFromPod(`http://${emptyIP}/`)), 30_000);
    // 10.96.0.0/12's last address: no Service has it
    assert.match(await wgetFromPod('http://10.111.255.254/'), /No route to host/);
    const netns = (rn as RealNodeServer).netns as NonNullable<RealNodeServer['netns']>;
    const fromNode = await runCommand('ip', ['netns', 'exec', netns.name, 'curl', '-sS', '-m', '5', 'http://10.111.255.254/']).then(
      () => 'connected',
      (err: Error) => err.message,
    );
    assert.match(fromNode, /Couldn't connect|No route/);
  });

  it('scaling the Deployment changes the endpoints; deleting the Service removes it', async () => {
    ok(await k(['scale', 'deployment/web', '--replicas=1']), 'scale');
    await eventually('1 web pod left', async () => (await field(['pods', '-l', 'app=web', '-o', 'name'])).split('\n').length === 2, 90_000);
    const left = (await field(['pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']))
      .split(' ')
      .filter((n) => n !== 'web-not-ready');
    await eventually(
      'only the pod left answering',
      async () => {
        const answers = [];
        for (let i = 0; i < 3; i++) answers.push(await wgetFromPod(`http://${clusterIP}/`));
        return answers.every((a) => a === left[0]);
      },
      60_000,
    );
    ok(await k(['delete', 'service', 'web']), 'delete service');
    await eventually(
      'the deleted Service rejected',
      async () => /No route to host|Connection refused/.test(await wgetFromPod(`http://${clusterIP}/`)),
      30_000,
    );
    const netns = (rn as RealNodeServer).netns as NonNullable<RealNodeServer['netns']>;
    await assert.rejects(netns.exec('curl', ['-sS', '-m', '5', `http://127.0.0.1:${nodePort}/`]), /Couldn't connect|refused/);
  });

  it('UDP: datagrams to the cluster IP reach the endpoint, and its replies come back', async () => {
    const node = rn as RealNodeServer;
    const netns = node.netns as NonNullable<RealNodeServer['netns']>;
    // an echo server on the node's address, the endpoint of a Service without a selector
    const echo = `const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>s.send('echo:'+m,r.port,r.address));s.bind(5353,'${netns.ip}',()=>console.log('listening'))`;
    const [bin, ...argv] = netns.command([process.execPath, '-e', echo]);
    udpEcho = spawn(bin as string, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(udpEcho.stdout as NodeJS.ReadableStream, 'data');
    const client = node.client as HttpsClientset;
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
    // one datagram, its answer (or nothing after 1 s) printed by a client inside the node
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
