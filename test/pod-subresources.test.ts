/** pods/binding and pods/eviction over real HTTPS. */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './support/server.js';
import { ApiClient } from './support/http.js';

let server: TestServer;
let api: ApiClient;
const PODS = '/api/v1/namespaces/default/pods';

before(async () => {
  server = await startServer();
  api = new ApiClient(server.kubeconfig);
});

after(async () => {
  api?.close();
  await server?.stop();
  await server?.cleanup();
});

const pod = (name: string): unknown => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

it('binds a pod once, with PodScheduled, and refuses a second binding', async () => {
  assert.equal((await api.request('POST', PODS, pod('bound'))).status, 201);
  const binding = {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'bound' },
    target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
  };
  const res = await api.request('POST', `${PODS}/bound/binding`, binding);
  assert.equal(res.status, 201, res.body);
  const got = (await api.request('GET', `${PODS}/bound`)).json<{
    spec: { nodeName: string };
    status: { conditions: { type: string; status: string }[] };
  }>();
  assert.equal(got.spec.nodeName, 'node-1');
  assert.ok(got.status.conditions.some((c) => c.type === 'PodScheduled' && c.status === 'True'));
  const again = await api.request('POST', `${PODS}/bound/binding`, { ...binding, target: { ...binding.target, name: 'node-2' } });
  assert.equal(again.status, 409);
  assert.match(again.json<{ message: string }>().message, /is already assigned to node "node-1"/);
});

it('POST …/bindings binds the pod the Binding names and stores no Binding', async () => {
  assert.equal((await api.request('POST', PODS, pod('via-bindings'))).status, 201);
  const bindings = '/api/v1/namespaces/default/bindings';
  const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'via-bindings' }, target: { kind: 'Node', name: 'node-3' } };
  const res = await api.request('POST', bindings, binding);
  assert.equal(res.status, 201, res.body);
  assert.equal(res.json<{ kind: string; status: string }>().kind, 'Status');
  const got = (await api.request('GET', `${PODS}/via-bindings`)).json<{ spec: { nodeName: string } }>();
  assert.equal(got.spec.nodeName, 'node-3');
  const missing = await api.request('POST', bindings, { ...binding, metadata: { name: 'no-such-pod' } });
  assert.equal(missing.status, 404, missing.body);
  assert.equal((await api.request('GET', `${bindings}/via-bindings`)).status, 405);
});

it('evicts a scheduled pod gracefully and an unscheduled one at once', async () => {
  assert.equal((await api.request('POST', PODS, pod('unscheduled'))).status, 201);
  const eviction = (name: string): unknown => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } });
  assert.equal((await api.request('POST', `${PODS}/unscheduled/eviction`, eviction('unscheduled'))).status, 201);
  assert.equal((await api.request('GET', `${PODS}/unscheduled`)).status, 404);
  assert.equal((await api.request('POST', `${PODS}/bound/eviction`, eviction('bound'))).status, 201);
  const terminating = (await api.request('GET', `${PODS}/bound`)).json<{
    metadata: { deletionTimestamp?: string; deletionGracePeriodSeconds?: number };
  }>();
  assert.ok(terminating.metadata.deletionTimestamp, 'a scheduled pod waits for its kubelet');
  assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
  const gone = await api.request('DELETE', `${PODS}/bound`, { gracePeriodSeconds: 0 });
  assert.equal(gone.status, 200);
  assert.equal((await api.request('GET', `${PODS}/bound`)).status, 404);
});
