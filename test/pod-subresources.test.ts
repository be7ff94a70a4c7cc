/** pods/binding and pods/eviction over real HTTPS. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './support/server.js';
import { ApiClient } from './support/http.js';
import { eventually } from './support/wait.js';

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

// a scheduler of no one's: the server's own must not bind these pods or mark them unschedulable meanwhile
const pod = (name: string): unknown => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { schedulerName: 'k8ts-test-none', containers: [{ name: 'c', image: 'nginx' }] },
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

describe('eviction within PodDisruptionBudgets (the disruption controller keeps their status)', () => {
  const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
  const merge = { 'Content-Type': 'application/merge-patch+json' };
  const evict = (name: string) =>
    api.request('POST', `${PODS}/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } });
  const pdbStatus = async () => (await api.request('GET', `${PDBS}/ev`)).json<{ status: Record<string, unknown> }>().status;
  /** A running pod app=ev (ready or not), as its kubelet would report it. */
  async function runningPod(name: string, isReady: boolean): Promise<void> {
    const created = await api.request('POST', PODS, { ...(pod(name) as object), metadata: { name, labels: { app: 'ev' } } });
    assert.equal(created.status, 201, created.body);
    const status = { phase: 'Running', conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False' }] };
    const res = await api.request('PATCH', `${PODS}/${name}/status`, { status }, merge);
    assert.equal(res.status, 200, res.body);
  }
  const allowed = (n: number, healthy: number) => async () => {
    const st = await pdbStatus();
    return st['disruptionsAllowed'] === n && st['currentHealthy'] === healthy;
  };

  it('refuses an Eviction naming another pod or namespace; a dry run evicts nothing', async () => {
    await runningPod('ev-x', true);
    const named = (metadata: Record<string, string>, query = '') =>
      api.request('POST', `${PODS}/ev-x/eviction${query}`, {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata,
        deleteOptions: { dryRun: ['All'] },
      });
    const cases: [Record<string, string>, string, number, RegExp][] = [
      [{}, '', 400, /^name in URL does not match name in Eviction object$/],
      [{ name: 'other' }, '', 400, /^name in URL does not match name in Eviction object$/],
      [{ name: 'ev-x', namespace: 'kube-system' }, '', 400, /does not match the namespace sent on the request/],
      [{ name: 'ev-x' }, '?dryRun=All', 201, /Success/],
    ];
    for (const [metadata, query, code, message] of cases) {
      const res = await named(metadata, query);
      assert.equal(res.status, code, res.body);
      assert.match(res.json<{ message?: string; status: string }>().message ?? res.json<{ status: string }>().status, message);
    }
    assert.equal((await api.request('DELETE', `${PODS}/ev-x`)).status, 200);
  });

  it('takes one disruption, refuses the next with 429, and always evicts a terminal pod', async () => {
    for (const name of ['ev-0', 'ev-1', 'ev-2']) await runningPod(name, true);
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'ev' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'ev' } } },
    };
    assert.equal((await api.request('POST', PDBS, pdb)).status, 201);
    await eventually('1 allowed disruption', allowed(1, 3), 20_000);
    const first = await evict('ev-0');
    assert.equal(first.status, 201, first.body);
    await eventually('no disruption left', allowed(0, 2), 20_000);
    const refused = await evict('ev-1');
    assert.equal(refused.status, 429, refused.body);
    assert.deepEqual(refused.json<{ details: unknown }>().details, {
      causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget ev needs 2 healthy pods and has 2 currently' }],
    });
    assert.equal((await api.request('PATCH', `${PODS}/ev-2/status`, { status: { phase: 'Failed' } }, merge)).status, 200);
    const terminal = await evict('ev-2');
    assert.equal(terminal.status, 201, terminal.body);
    assert.equal((await api.request('GET', `${PODS}/ev-2`)).status, 404);
  });

  it('records an approved eviction in disruptedPods, which the controller drops once the pod is gone', async () => {
    await runningPod('ev-3', true);
    await runningPod('ev-4', true);
    await eventually('1 allowed disruption', allowed(1, 3), 20_000);
    const rv = (await api.request('GET', `${PDBS}/ev`)).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const watch = api.request('GET', `${PDBS}?watch=1&fieldSelector=metadata.name%3Dev&resourceVersion=${rv}&timeoutSeconds=3`);
    const res = await evict('ev-3');
    assert.equal(res.status, 201, res.body);
    const seen = (await watch).body
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { object: { status: { disruptedPods?: Record<string, string> } } }).object.status.disruptedPods);
    assert.deepEqual(Object.keys(seen[0] ?? {}), ['ev-3'], 'the eviction wrote the budget first');
    await eventually('the entry dropped', async () => (await pdbStatus())['disruptedPods'] === undefined, 20_000);
  });

  it('evicts an unready pod by unhealthyPodEvictionPolicy', async () => {
    await runningPod('ev-5', false);
    await eventually('healthy 2 of 2', allowed(0, 2), 20_000);
    // IfHealthyBudget: the budget is met (2 of 2), so an unready pod may go
    assert.equal((await evict('ev-5')).status, 201);
    await runningPod('ev-6', false);
    assert.equal(
      (await api.request('PATCH', `${PODS}/ev-1/status`, { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, merge)).status,
      200,
    );
    await eventually('healthy 1 of 2', async () => (await pdbStatus())['currentHealthy'] === 1, 20_000);
    assert.equal((await evict('ev-6')).status, 429, 'IfHealthyBudget: not while the budget is short');
    const always = { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } };
    assert.equal((await api.request('PATCH', `${PDBS}/ev`, always, merge)).status, 200);
    await eventually('the new generation observed', async () => (await pdbStatus())['observedGeneration'] === 2, 20_000);
    assert.equal((await evict('ev-6')).status, 201, 'AlwaysAllow');
  });
});
