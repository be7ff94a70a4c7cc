/**
 * The built-in ingress controller end to end (issue 14), on a real node in a network namespace
 * (support/netns.ts): busybox httpd pods behind Services and an Ingress with two hosts, a path
 * rule and a TLS host. It is reached from inside the namespace (curl --resolve host:port:127.0.0.1)
 * and from the test process at the namespace's address with the Host header or the TLS server
 * name. A backend without ready pods answers 503, nothing matching 404; an Ingress update applies
 * while a keep-alive connection stays open; a WebSocket and a streamed response pass through to a
 * server the test runs on its side of the namespace's veth (a Service without selector and an
 * EndpointSlice written by hand); status.loadBalancer names the node.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { WebSocket, WebSocketServer } from 'ws';
import type { HttpsClientset } from '../src/client/rest.js';
import { runCommand } from '../src/kubelet/command.js';
import { createCertificateAuthority } from '../src/pki/ca.js';
import { issueServerCertificate } from '../src/pki/certs.js';
import { DEFAULT_CERTIFICATE_CN } from '../src/ingress/default-certificate.js';
import type { KubeObject } from '../src/machinery/object.js';
import { httpdPod, podRunningWithIP, status } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const INGRESSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

const skip = await realNodeUnavailableForTests();
let rn: RealNodeServer | undefined;
let client: HttpsClientset;
let backend: Server | undefined;
let wss: WebSocketServer | undefined;
let caPem = '';

interface Answer {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
  socket: Socket;
}

/** One request to the ingress at the namespace's address, as `host`; https with the TLS server name `host`. */
async function ask(host: string, path = '/', o: { https?: boolean; agent?: Agent } = {}): Promise<Answer> {
  const ip = (rn as RealNodeServer).netns?.ip as string;
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = o.https
      ? httpsRequest(
          { host: ip, port: 443, path, servername: host, headers: { host }, ca: caPem, rejectUnauthorized: false, agent: false },
          resolve,
        )
      : httpRequest({ host: ip, port: 80, path, headers: { host }, ...(o.agent ? { agent: o.agent } : {}) }, resolve);
    req.setTimeout(5_000, () => req.destroy(new Error(`GET ${host}${path}: no answer in 5 s`)));
    req.on('error', reject);
    req.end();
  });
  let body = '';
  for await (const chunk of res) body += chunk;
  return { status: res.statusCode ?? 0, body, headers: res.headers, socket: res.socket as Socket };
}

/** curl inside the namespace, resolving `host` to 127.0.0.1 (the node's own ports). */
function curlInside(host: string, path: string, scheme: 'http' | 'https' = 'http'): Promise<string> {
  const port = scheme === 'http' ? 80 : 443;
  const tls = scheme === 'https' ? ['--cacert', join((rn as RealNodeServer).dataDir, 'ingress-test-ca.crt')] : [];
  return (rn as RealNodeServer).netns?.exec('curl', [
    '-sS',
    '-m',
    '5',
    ...tls,
    '--resolve',
    `${host}:${port}:127.0.0.1`,
    `${scheme}://${host}${path}`,
  ]) as Promise<string>;
}

/** A busybox httpd pod labelled app=`name` serving `page` at / and at /b/. */
function webPod(name: string, page: string): KubeObject {
  const pod = httpdPod(name, page);
  pod.metadata.labels = { app: name };
  const c = ((pod['spec'] as Obj)['containers'] as Obj[])[0] as Obj;
  c['command'] = [
    'sh',
    '-c',
    `mkdir -p /www/b && echo ${page} > /www/index.html && echo ${page} > /www/b/index.html && exec httpd -f -p 8080 -h /www`,
  ];
  return pod;
}

function service(name: string, ports: Obj[], selector?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { ports, ...(selector ? { selector } : {}) },
  };
}

const rule = (host: string, path: string, svc: string, port: Obj): Obj => ({
  host,
  http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: svc, port } } }] },
});

function webIngress(aBackend: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      tls: [{ hosts: ['secure.example'], secretName: 'secure-tls' }],
      rules: [
        rule('a.example', '/', aBackend, { number: 80 }),
        rule('b.example', '/b', 'web-b', { name: 'http' }),
        rule('secure.example', '/', 'web-a', { number: 80 }),
        rule('empty.example', '/', 'web-empty', { number: 80 }),
        rule('ws.example', '/', 'test-side', { number: 80 }),
      ],
    },
  };
}

before(async () => {
  if (skip) return;
  rn = await startRealNodeServer({ nodeName: 'k8ts-ingress-node', clusterCIDR: '10.237.0.0/16', netns: { subnet: '10.237.255.0/30' } });
  client = rn.client;
  // network safety: the namespace's address is reached over the test's own veth, nowhere else
  const route = await runCommand('ip', ['-o', 'route', 'get', rn.netns?.ip as string]);
  assert.match(route.stdout, new RegExp(`dev ${rn.netns?.hostVeth} `), route.stdout);
  const ca = await createCertificateAuthority({ commonName: 'k8ts-ingress-test-ca' });
  caPem = ca.certPem;
  await writeFile(join(rn.dataDir, 'ingress-test-ca.crt'), caPem);
  const leaf = await issueServerCertificate(ca, { commonName: 'secure.example', dnsNames: ['secure.example'] });
  // the test's own backend on its side of the veth: echoes the request's headers, streams /stream, speaks WebSocket
  backend = createServer((req, res) => {
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first\n');
      setTimeout(() => res.end('second\n'), 300);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.headers));
  });
  wss = new WebSocketServer({ server: backend });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo ${m.toString()}`)));
  backend.listen(0, rn.netns?.hostIP);
  await once(backend, 'listening');
  const backendPort = (backend.address() as AddressInfo).port;

  const pods = client.resource(PODS);
  await pods.create('default', webPod('web-a', 'hello-a'));
  await pods.create('default', webPod('web-b', 'hello-b'));
  const services = client.resource(SERVICES);
  await services.create('default', service('web-a', [{ port: 80, targetPort: 8080 }], { app: 'web-a' }));
  await services.create('default', service('web-b', [{ name: 'http', port: 80, targetPort: 8080 }], { app: 'web-b' }));
  await services.create('default', service('web-empty', [{ port: 80, targetPort: 8080 }], { app: 'nothing' }));
  await services.create('default', service('test-side', [{ port: 80, targetPort: backendPort }]));
  await client.resource(SLICES).create('default', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'test-side-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'test-side' } },
    addressType: 'IPv4',
    ports: [{ name: '', port: backendPort, protocol: 'TCP' }],
    endpoints: [{ addresses: [rn.netns?.hostIP as string], conditions: { ready: true } }],
  });
  await client.resource(SECRETS).create('default', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'secure-tls', namespace: 'default' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(leaf.certPem).toString('base64'), 'tls.key': Buffer.from(leaf.keyPem).toString('base64') },
  });
  await client.resource(INGRESSES).create('default', webIngress('web-a'));
  await podRunningWithIP(pods, 'default', 'web-a', 120_000);
  await podRunningWithIP(pods, 'default', 'web-b', 120_000);
});

after(async () => {
  wss?.close();
  backend?.closeAllConnections();
  backend?.close();
  if (!rn) return;
  assert.deepEqual(await rn.stop(), [], 'the test left these behind');
});

describe('the ingress controller on a real node', { skip, timeout: 300_000 }, () => {
  it('creates the default IngressClass k8ts', async () => {
    let cls: KubeObject | undefined;
    await eventually('the IngressClass k8ts', async () => {
      cls = await client
        .resource(CLASSES)
        .get('', 'k8ts')
        .catch(() => undefined);
      return cls !== undefined;
    });
    assert.equal(((cls?.['spec'] ?? {}) as Obj)['controller'], 'k8ts.io/ingress');
    assert.equal(cls?.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'], 'true');
  });

  it('routes two hosts and a path, inside the namespace and from outside', async () => {
    await eventually(
      'a.example routed to web-a',
      async () => (await curlInside('a.example', '/').catch(() => '')) === 'hello-a\n',
      90_000,
      500,
    );
    assert.equal(await curlInside('b.example', '/b/'), 'hello-b\n');
    assert.equal((await ask('a.example')).body, 'hello-a\n');
    assert.equal((await ask('b.example', '/b/')).body, 'hello-b\n');
    const none = await ask('b.example', '/other');
    assert.equal(none.status, 404);
    assert.match(none.body, /<title>404 Not Found<\/title>/);
  });

  it('serves the TLS host with its Secret’s certificate by SNI, other names with the default one', async () => {
    assert.equal(await curlInside('secure.example', '/', 'https'), 'hello-a\n');
    const secure = await ask('secure.example', '/', { https: true });
    assert.equal(secure.body, 'hello-a\n');
    const tls = secure.socket as TLSSocket;
    assert.equal(tls.authorized, true, String(tls.authorizationError));
    assert.equal(tls.getPeerCertificate().subject.CN, 'secure.example');
    const other = await ask('a.example', '/', { https: true });
    assert.equal(other.body, 'hello-a\n');
    assert.equal(((other.socket as TLSSocket).getPeerCertificate() as PeerCertificate).subject.CN, DEFAULT_CERTIFICATE_CN);
  });

  it('answers 503 for a backend without a ready endpoint', async () => {
    const res = await ask('empty.example');
    assert.equal(res.status, 503);
    assert.match(res.body, /503 Service Temporarily Unavailable/);
  });

  it('sets the X-Forwarded headers and streams responses', async () => {
    const echo = JSON.parse((await ask('ws.example', '/echo')).body) as Record<string, string>;
    assert.equal(echo['x-forwarded-for'], rn?.netns?.hostIP);
    assert.equal(echo['x-real-ip'], rn?.netns?.hostIP);
    assert.equal(echo['x-forwarded-host'], 'ws.example');
    assert.equal(echo['x-forwarded-proto'], 'http');
    assert.equal(echo['x-forwarded-port'], '80');
    const secure = JSON.parse((await ask('ws.example', '/echo', { https: true })).body) as Record<string, string>;
    assert.equal(secure['x-forwarded-proto'], 'https');
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      httpRequest({ host: rn?.netns?.ip, port: 80, path: '/stream', headers: { host: 'ws.example' } }, resolve)
        .on('error', reject)
        .end(),
    );
    const [first] = (await once(res, 'data')) as [Buffer];
    assert.equal(first.toString(), 'first\n', 'the first chunk arrives before the response ends');
    let rest = '';
    for await (const chunk of res) rest += chunk;
    assert.equal(rest, 'second\n');
  });

  it('passes a WebSocket through', async () => {
    const ws = new WebSocket(`ws://${rn?.netns?.ip}/socket`, { headers: { host: 'ws.example' } });
    await once(ws, 'open');
    ws.send('over the ingress');
    const [msg] = (await once(ws, 'message')) as [Buffer];
    assert.equal(msg.toString(), 'echo over the ingress');
    ws.close();
    await once(ws, 'close');
  });

  it('applies an Ingress update without dropping an open keep-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await ask('a.example', '/', { agent });
      assert.equal(first.body, 'hello-a\n');
      const ingresses = client.resource(INGRESSES);
      const current = await ingresses.get('default', 'web');
      await ingresses.update('default', { ...webIngress('web-b'), metadata: current.metadata });
      let last = first;
      await eventually('a.example routed to web-b', async () => {
        last = await ask('a.example', '/', { agent });
        assert.equal(last.socket, first.socket, 'the same connection');
        return last.body === 'hello-b\n';
      });
    } finally {
      agent.destroy();
    }
  });

  it('fills status.loadBalancer with the node’s address', async () => {
    const node = await client.resource(NODES).get('', 'k8ts-ingress-node');
    const internal = ((status(node)['addresses'] ?? []) as Obj[]).find((a) => a['type'] === 'InternalIP')?.['address'];
    assert.equal(internal, rn?.netns?.ip);
    await eventually('the Ingress’ status', async () => {
      const ing = await client.resource(INGRESSES).get('default', 'web');
      const lb = (status(ing)['loadBalancer'] ?? {}) as Obj;
      return JSON.stringify(lb['ingress']) === JSON.stringify([{ ip: internal }]);
    });
  });
});
