import assert from 'node:assert/strict';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { EventRecorder, ResourceClient } from '../../client/interface.js';
import type { KubeObject } from '../../machinery/object.js';
import { createCertificateAuthority } from '../../pki/ca.js';
import { issueClientCertificate } from '../../pki/certs.js';
import { apiServerKubeletClientCommonName } from '../../pki/layout.js';
import { sandboxConfigFor, containerConfigFor } from '../container-config.js';
import { Kubelet } from '../kubelet.js';
import { FakePodObjects } from '../testing/fake-pod-objects.js';
import { FakeRuntime } from '../runtime/fake/fake-runtime.js';
import type { NodeDirectory } from './interface.js';
import { KubeletServer } from './kubelet-server.js';
import { registerKubeletRoutes } from './routes.js';
import { kubeletServerTLS } from './serving-cert.js';

const POD: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
  status: {},
};

interface Client {
  cert: string;
  key: string;
}

function get(port: number, path: string, client?: Client, headers: Record<string, string> = {}): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, headers, ...client }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('KubeletServer', () => {
  let server: KubeletServer;
  let apiserver: Client;
  let other: Client;
  let kubelet: Kubelet;

  before(async () => {
    const ca = await createCertificateAuthority();
    const issue = async (user: string, groups: string[]) => {
      const c = await issueClientCertificate(ca, { user, groups });
      return { cert: c.certPem, key: c.keyPem };
    };
    apiserver = await issue(apiServerKubeletClientCommonName, ['system:masters']);
    other = await issue('kubernetes-admin', ['system:masters']);
    const runtime = new FakeRuntime({ nodeIP: '10.0.0.1', podCIDR: '10.1.0.0/24' });
    kubelet = new Kubelet({
      nodeName: 'n1',
      nodeIP: '10.0.0.1',
      runtime,
      runtimeName: 'fake',
      pods: {} as ResourceClient,
      recorder: { event: () => undefined } as EventRecorder,
      clock: { now: Date.now } as never,
      objects: new FakePodObjects(),
      requeue: () => undefined,
    });
    const ref = await runtime.pullImage({ image: 'busybox' });
    const sandboxConfig = sandboxConfigFor(POD, 0);
    const sandbox = await runtime.runPodSandbox(sandboxConfig);
    const id = await runtime.createContainer(
      sandbox,
      containerConfigFor(POD, { name: 'c', image: 'busybox' }, ref, 0, false),
      sandboxConfig,
    );
    await runtime.startContainer(id);
    const nodes: NodeDirectory = {
      nodeNames: ['n1', 'n2'],
      kubelet: (n) => (n === 'n1' ? kubelet : undefined),
      pod: (ns, name) => (ns === 'ns' && name === 'p' ? { pod: POD, kubelet } : undefined),
      podsOf: (n) => (n === 'n1' ? [POD] : []),
    };
    server = new KubeletServer({ tls: await kubeletServerTLS('n1', [], ca.certPem), nodes });
    registerKubeletRoutes(server.routes);
    server.routes.add({
      methods: ['GET'],
      path: '/echo/{namespace}/{pod}/{container}',
      upgrade: true,
      serve: async (ctx) => {
        const socket = ctx.upgrade?.socket;
        if (!socket) throw new Error('want an upgrade');
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
        socket.write(`${ctx.target?.pod.metadata.name}/${ctx.params['container']}:`);
        socket.write(ctx.upgrade?.head ?? Buffer.alloc(0));
        socket.pipe(socket);
      },
    });
    await server.listen(0, ['127.0.0.1']);
  });
  after(() => server.close());

  it('lets only the apiserver’s kubelet-client certificate in', async () => {
    assert.deepEqual(await get(server.port, '/healthz'), { code: 401, body: 'Unauthorized\n' });
    const forbidden = await get(server.port, '/healthz', other);
    assert.equal(forbidden.code, 403);
    assert.equal(forbidden.body, 'Forbidden (user=kubernetes-admin, verb=get, resource=nodes, subresource(s)=[proxy])\n');
    assert.deepEqual(await get(server.port, '/healthz', apiserver), { code: 200, body: 'ok' });
  });

  it('answers unknown paths, pods and containers with 404', async () => {
    assert.equal((await get(server.port, '/nope', apiserver)).code, 404);
    assert.deepEqual(await get(server.port, '/containerLogs/ns/q/c', apiserver), { code: 404, body: 'pod "q" does not exist\n' });
    assert.equal((await get(server.port, '/containerLogs/ns/p/x', apiserver)).body, 'container "x" not found in pod "p"\n');
  });

  it('serves a simulated container’s log with the log options', async () => {
    const log = await get(server.port, '/containerLogs/ns/p/c', apiserver);
    assert.equal(log.code, 200);
    assert.equal(log.body, 'simulated container c started (attempt 0)\n');
    const stamped = await get(server.port, '/containerLogs/ns/p/c?timestamps=true&limitBytes=4', apiserver);
    assert.match(stamped.body, /^\d{4}$/);
    assert.equal(
      (await get(server.port, '/containerLogs/ns/p/c?previous=true', apiserver)).body,
      'previous terminated container "c" in pod "p" not found\n',
    );
  });

  it('answers node-level paths for the node the Host header names', async () => {
    const pods = await get(server.port, '/pods', apiserver, { host: 'n1:10250' });
    assert.deepEqual(
      (JSON.parse(pods.body) as { items: KubeObject[] }).items.map((p) => p.metadata.name),
      ['p'],
    );
    assert.equal((await get(server.port, '/pods', apiserver, { host: 'elsewhere:10250' })).code, 404);
    const summary = JSON.parse((await get(server.port, '/stats/summary', apiserver, { host: 'n1' })).body) as {
      node: { nodeName: string; cpu: { usageNanoCores: number } };
      pods: { podRef: { name: string }; containers: { name: string; memory: { workingSetBytes: number } }[] }[];
    };
    assert.equal(summary.node.nodeName, 'n1');
    assert.equal(summary.node.cpu.usageNanoCores, 1_000_000);
    assert.equal(summary.pods[0]?.podRef.name, 'p');
    assert.equal(summary.pods[0]?.containers[0]?.memory.workingSetBytes, 4 * 1024 * 1024);
  });

  it('hands an Upgrade to a route that takes it, with the pod resolved', async () => {
    const socket = connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false, ...apiserver });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    socket.write('GET /echo/ns/p/c HTTP/1.1\r\nHost: n1\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhello');
    let got = '';
    await new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => {
        got += d.toString();
        if (got.endsWith('hello')) resolve();
      });
    });
    socket.destroy();
    assert.match(got, /^HTTP\/1.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\np\/c:hello$/);
  });
});
