/**
 * The ingress controller (src/ingress/controller.ts) against a real `k8ts server` with one
 * simulated node, no containers: the controller runs in the test process on loopback ports, its
 * backends are HTTP servers of the test on 127.0.0.1 behind Services without selectors and
 * EndpointSlices written by hand. Which Ingresses it serves (its class, no class, not another
 * controller's), a catch-all defaultBackend, endpoint readiness, deletion, the IngressClass it
 * creates and the status it writes.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HttpsClientset } from '../src/client/rest.js';
import { type IngressController, runIngressController } from '../src/ingress/controller.js';
import type { KubeObject } from '../src/machinery/object.js';
import { nodeReady, status } from './support/nodes.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const NODES = ['fake-node-0', 'fake-node-1'];
const R = {
  services: { group: '', version: 'v1', resource: 'services' },
  slices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  ingresses: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' },
  classes: { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  events: { group: '', version: 'v1', resource: 'events' },
};

let server: TestServer;
let client: HttpsClientset;
/** One controller per simulated node (as each agent runs one); requests go to the first. */
let controllers: IngressController[] = [];
let controller: IngressController;
const stop = new AbortController();
const backends: Server[] = [];

/** GET through the controller's HTTP port as `host`: status and body. */
async function ask(host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: controller.httpPort, path, headers: { host } }, async (res) => {
      let body = '';
      for await (const chunk of res) body += chunk;
      resolve({ status: res.statusCode ?? 0, body });
    });
    req.setTimeout(5_000, () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', reject);
    req.end();
  });
}

/** A backend answering its name, behind a selector-less Service `name` and a hand-written EndpointSlice. */
async function backend(name: string): Promise<void> {
  const b = createServer((_req, res) => res.end(name));
  backends.push(b);
  b.listen(0, '127.0.0.1');
  await once(b, 'listening');
  await client.resource(R.services).create('default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { ports: [{ name: 'http', port: 80 }] },
  });
  await client.resource(R.slices).create('default', slice(name, (b.address() as AddressInfo).port, true));
}

function slice(service: string, port: number, ready: boolean): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port, protocol: 'TCP' }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready } }],
  };
}

function ingress(name: string, spec: Obj): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default' }, spec };
}

const hostRule = (host: string, service: string): Obj => ({
  host,
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { name: 'http' } } } }] },
});

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '2'] });
  client = HttpsClientset.fromKubeconfig(server.kubeconfig);
  for (const node of NODES) await nodeReady(client, node, 30_000);
  controllers = await Promise.all(
    NODES.map((nodeName) =>
      runIngressController(
        { clientset: client, nodeName, httpPort: 0, httpsPort: 0, hosts: ['127.0.0.1'], log: () => undefined },
        stop.signal,
      ),
    ),
  );
  controller = controllers[0] as IngressController;
  for (const name of ['one', 'two', 'fallback']) await backend(name);
});

after(async () => {
  stop.abort();
  await Promise.all(controllers.map((c) => c.done));
  for (const b of backends) {
    b.closeAllConnections();
    b.close();
  }
  client?.close();
  await server?.stop();
  await server?.cleanup();
});

describe('the ingress controller against a k8ts server', { timeout: 120_000 }, () => {
  it('creates the default IngressClass k8ts', async () => {
    await eventually(
      'the IngressClass',
      async () =>
        (await client
          .resource(R.classes)
          .get('', 'k8ts')
          .catch(() => undefined)) !== undefined,
    );
  });

  it('serves Ingresses of its class and of no class, not another controller’s', async () => {
    await client.resource(R.classes).create('', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'other' },
      spec: { controller: 'example.com/other' },
    });
    const ingresses = client.resource(R.ingresses);
    await ingresses.create('default', ingress('no-class', { rules: [hostRule('one.example', 'one')] }));
    await ingresses.create('default', ingress('ours', { ingressClassName: 'k8ts', rules: [hostRule('two.example', 'two')] }));
    await ingresses.create('default', ingress('theirs', { ingressClassName: 'other', rules: [hostRule('other.example', 'one')] }));
    await eventually(
      'one.example and two.example routed',
      async () => (await ask('one.example')).body === 'one' && (await ask('two.example')).body === 'two',
    );
    assert.equal((await ask('other.example')).status, 404);
  });

  it('records a Sync Event on each Ingress it serves, from each node', async () => {
    const syncs = async (): Promise<string[]> =>
      (await client.resource(R.events).list('default')).items
        .filter((e) => e['reason'] === 'Sync' && ((e['source'] ?? {}) as Obj)['component'] === 'k8ts-ingress')
        .map((e) => `${String((e['involvedObject'] as Obj)['name'])} ${String(((e['source'] ?? {}) as Obj)['host'])}`)
        .sort();
    const want = ['no-class', 'ours'].flatMap((i) => NODES.map((n) => `${i} ${n}`));
    await eventually('Sync Events of no-class and ours', async () => JSON.stringify(await syncs()) === JSON.stringify(want));
  });

  it('sends what no rule matches to a defaultBackend', async () => {
    await client
      .resource(R.ingresses)
      .create('default', ingress('fallback', { defaultBackend: { service: { name: 'fallback', port: { number: 80 } } } }));
    await eventually('the catch-all', async () => (await ask('unknown.example')).body === 'fallback');
  });

  it('follows endpoint readiness', async () => {
    const slices = client.resource(R.slices);
    const ready = await slices.get('default', 'one-1');
    const port = ((ready['ports'] as Obj[])[0] as Obj)['port'] as number;
    await slices.update('default', { ...slice('one', port, false), metadata: ready.metadata });
    await eventually('503 without a ready endpoint', async () => (await ask('one.example')).status === 503);
    const notReady = await slices.get('default', 'one-1');
    await slices.update('default', { ...slice('one', port, true), metadata: notReady.metadata });
    await eventually('200 again', async () => (await ask('one.example')).body === 'one');
  });

  it('writes the serving nodes’ addresses into status.loadBalancer', async () => {
    const ips: string[] = [];
    for (const name of NODES) {
      const node = await client.resource(R.nodes).get('', name);
      assert.equal(node.metadata.labels?.['ingress.k8ts.io/serving'], 'true');
      ips.push(String(((status(node)['addresses'] ?? []) as Obj[]).find((a) => a['type'] === 'InternalIP')?.['address']));
    }
    const want = JSON.stringify(ips.sort().map((ip) => ({ ip })));
    const lb = async (name: string): Promise<string | undefined> =>
      JSON.stringify(((status(await client.resource(R.ingresses).get('default', name))['loadBalancer'] ?? {}) as Obj)['ingress']);
    await eventually('status of no-class and ours, not of theirs', async () => {
      return (await lb('no-class')) === want && (await lb('ours')) === want && (await lb('theirs')) === undefined;
    });
  });

  it('stops routing a deleted Ingress', async () => {
    await client.resource(R.ingresses).delete('default', 'ours');
    await eventually('two.example to the defaultBackend', async () => (await ask('two.example')).body === 'fallback');
  });
});
