/**
 * The kubelet server of simulated nodes (k8ts server --runtime fake): one server for every
 * simulated node, reached at the nodes' Hostname address; `kubectl logs` answers the simulated
 * log, and node-level paths (nodes/N/proxy/pods, stats/summary) answer for the node named.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpsClientset } from '../src/client/rest.js';
import type { KubeObject } from '../src/machinery/object.js';
import { kubectl, ok, type Kubectl } from './support/kubectl.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
let server: TestServer;
let client: HttpsClientset;
let cacheDir = '';
let k: Kubectl;

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '2', '--cluster-cidr', '10.253.0.0/16'] });
  client = HttpsClientset.fromKubeconfig(server.kubeconfig);
  cacheDir = await mkdtemp(join(tmpdir(), 'k8ts-fake-logs-kubectl-'));
  k = kubectl('1.33', server.kubeconfig, cacheDir);
});

after(async () => {
  client?.close();
  await server?.stop();
  await server?.cleanup();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('kubelet server of simulated nodes', { timeout: 60_000 }, () => {
  it('serves kubectl logs and node-level paths per node', async () => {
    const pods = client.resource(PODS);
    await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sim', namespace: 'default' },
      spec: { nodeName: 'fake-node-1', containers: [{ name: 'c', image: 'busybox' }] },
    });
    await eventually('sim running', async () => ((await pods.get('default', 'sim'))['status'] as Obj | undefined)?.['phase'] === 'Running');
    assert.equal(ok(await k(['logs', 'sim']), 'logs'), 'simulated container c started (attempt 0)\n');
    assert.match(
      ok(await k(['logs', 'sim', '--timestamps']), 'logs --timestamps'),
      /^\d{4}-\d{2}-\d{2}T[\d:.]+Z simulated container c started/,
    );
    const podsOf = async (node: string) =>
      (JSON.parse(ok(await k(['get', '--raw', `/api/v1/nodes/${node}/proxy/pods`]), 'proxy pods')) as { items: KubeObject[] }).items.map(
        (p) => p.metadata.name,
      );
    assert.deepEqual(await podsOf('fake-node-1'), ['sim']);
    assert.deepEqual(await podsOf('fake-node-0'), []);
    const summary = JSON.parse(ok(await k(['get', '--raw', '/api/v1/nodes/fake-node-1/proxy/stats/summary']), 'stats')) as {
      node: Obj;
      pods: { podRef: Obj; memory: Obj }[];
    };
    assert.equal(summary.node['nodeName'], 'fake-node-1');
    assert.equal(summary.pods[0]?.podRef['name'], 'sim');
    assert.ok(Number(summary.pods[0]?.memory['workingSetBytes']) > 0);
  });

  it('passes an HTTP Upgrade through to the kubelet, after authorization', async () => {
    const config = await readFile(server.kubeconfig, 'utf8');
    const cert = Buffer.from(/client-certificate-data: (\S+)/.exec(config)?.[1] ?? '', 'base64').toString();
    const key = Buffer.from(/client-key-data: (\S+)/.exec(config)?.[1] ?? '', 'base64').toString();
    const { hostname, port } = new URL(server.url);
    const upgrade = (path: string, auth: { cert?: string; key?: string }) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false, ...auth }, () => {
          socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
        });
        let got = '';
        socket.on('data', (d: Buffer) => (got += d.toString()));
        socket.on('end', () => resolve(got));
        socket.on('error', reject);
      });
    // the engine's kubelet answers the path it does not serve: the answer came from the kubelet
    const viaKubelet = await upgrade('/api/v1/nodes/fake-node-1/proxy/no-such-path', { cert, key });
    assert.match(viaKubelet, /^HTTP\/1.1 404 Not Found\r\n[\s\S]*\r\n\r\n404 page not found\n$/);
    const anonymous = await upgrade('/api/v1/nodes/fake-node-1/proxy/no-such-path', {});
    assert.match(anonymous, /^HTTP\/1.1 403 Forbidden\r\n/);
    assert.match(anonymous, /"reason":"Forbidden"/);
    const missing = await upgrade('/api/v1/namespaces/default/pods/nope/exec?command=ls', { cert, key });
    assert.match(missing, /^HTTP\/1.1 404 Not Found\r\n[\s\S]*"message":"pods \\"nope\\" not found"/);
  });

  it('kubectl logs deploy/x and -l find the pods themselves', async () => {
    ok(await k(['create', 'deployment', 'web', '--image=busybox', '--replicas=2']), 'create deployment');
    await eventually('two web pods running', async () => {
      const list = await client.resource(PODS).list('default', { labelSelector: 'app=web' });
      return list.items.filter((p) => (p['status'] as Obj | undefined)?.['phase'] === 'Running').length === 2;
    });
    assert.equal(ok(await k(['logs', 'deploy/web']), 'logs deploy/web'), 'simulated container busybox started (attempt 0)\n');
    const byLabel = ok(await k(['logs', '-l', 'app=web', '--prefix']), 'logs -l');
    assert.equal(byLabel.trim().split('\n').length, 2, byLabel);
    assert.match(byLabel, /^\[pod\/web-[a-z0-9-]+\/busybox\] simulated container busybox started/m);
  });
});
