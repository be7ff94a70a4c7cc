/**
 * The client machinery against a real `k8ts server` process: HttpsClientset CRUD, status,
 * every patch type, delete options and subresources; discovery for a custom resource; and a
 * shared informer that sees adds, updates and deletes, survives a server restart on the same
 * port and relists after the 410 the restarted server's watch cache gives it. Needs
 * `npm run build` first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../src/machinery/errors.js';
import type { KubeObject } from '../src/machinery/object.js';
import type { Clientset, GroupVersionResource, ListOptions, ResourceClient } from '../src/client/interface.js';
import { HttpsClientset } from '../src/client/rest.js';
import { InformerFactory } from '../src/client/informer-factory.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

const NS = 'client-e2e';
const cm = { group: '', version: 'v1', resource: 'configmaps' };
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const pods = { group: '', version: 'v1', resource: 'pods' };

const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

describe('HttpsClientset against k8ts server', () => {
  let server: TestServer;
  let cs: HttpsClientset;

  before(async () => {
    server = await startServer();
    cs = HttpsClientset.fromKubeconfig(server.kubeconfig, { userAgent: 'k8ts-e2e/v1.33.0' });
    await cs
      .resource({ group: '', version: 'v1', resource: 'namespaces' })
      .create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });

  after(async () => {
    cs?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('creates, reads, lists, updates and reports upstream errors', async () => {
    const c = cs.resource(cm);
    const created = await c.create(NS, configMap('one', { a: '1' }, { app: 'x' }));
    assert.equal(created.metadata.namespace, NS);
    assert.ok(created.metadata.resourceVersion);
    await c.create(NS, configMap('two', {}, { app: 'y' }));
    assert.deepEqual((await c.get(NS, 'one'))['data'], { a: '1' });
    const listed = await c.list(NS, { labelSelector: 'app=x' });
    assert.deepEqual(
      listed.items.map((i) => i.metadata.name),
      ['one'],
    );
    assert.ok(listed.metadata.resourceVersion);
    const paged = await c.list(NS, { limit: 1 });
    assert.equal(paged.items.length, 1);
    assert.ok(paged.metadata.continue, 'a continue token');
    const updated = await c.update(NS, { ...created, data: { a: '2' } });
    assert.deepEqual(updated['data'], { a: '2' });
    const dry = await c.update(NS, { ...updated, data: { a: 'dry' } }, { dryRun: true });
    assert.deepEqual(dry['data'], { a: 'dry' });
    assert.deepEqual((await c.get(NS, 'one'))['data'], { a: '2' });

    await assert.rejects(c.update(NS, { ...created, data: { a: 'stale' } }), (e) => isStatusError(e, 'Conflict') && e.code === 409);
    await assert.rejects(c.create(NS, configMap('one')), (e) => isStatusError(e, 'AlreadyExists'));
    await assert.rejects(c.get(NS, 'nope'), (e) => isStatusError(e, 'NotFound') && e.message === 'configmaps "nope" not found');
    await assert.rejects(
      c.create(NS, configMap('Bad_Name')),
      (e) => isStatusError(e, 'Invalid') && (e.status.details?.causes?.length ?? 0) > 0,
    );
    await assert.rejects(c.updateStatus(NS, updated), (e) => isStatusError(e, 'NotFound'));
  });

  it('applies every patch type', async () => {
    const c = cs.resource(cm);
    await c.create(NS, configMap('patched', { a: '1' }));
    const merged = await c.patch(NS, 'patched', 'merge', { data: { b: '2' } });
    assert.deepEqual(merged['data'], { a: '1', b: '2' });
    const jsonPatched = await c.patch(NS, 'patched', 'json', [{ op: 'remove', path: '/data/a' }]);
    assert.deepEqual(jsonPatched['data'], { b: '2' });
    const strategic = await c.patch(NS, 'patched', 'strategic', { metadata: { labels: { s: 'yes' } } });
    assert.equal(strategic.metadata.labels?.['s'], 'yes');
    const applied = await c.patch(NS, 'applied', 'apply', configMap('applied', { k: 'v' }), { fieldManager: 'e2e' });
    assert.deepEqual(applied['data'], { k: 'v' });
    assert.ok(applied.metadata.managedFields?.some((m) => m.manager === 'e2e' && m.operation === 'Apply'));
    await c.patch(NS, 'applied', 'merge', { data: { k: 'other' } }, { fieldManager: 'intruder' });
    await assert.rejects(c.patch(NS, 'applied', 'apply', configMap('applied', { k: 'v2' }), { fieldManager: 'e2e' }), (e) =>
      isStatusError(e, 'Conflict'),
    );
    const forced = await c.patch(NS, 'applied', 'apply', configMap('applied', { k: 'v2' }), { fieldManager: 'e2e', force: true });
    assert.deepEqual(forced['data'], { k: 'v2' });
    await assert.rejects(
      c.patch(NS, 'patched', 'json', [{ op: 'test', path: '/data/b', value: 'x' }]),
      (e) => isStatusError(e) && e.code >= 400,
    );
  });

  it('updates status through the status subresource and posts evictions', async () => {
    const d = cs.resource(deployments);
    const labels = { app: 'web' };
    const created = await d.create(NS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    const withStatus = await d.updateStatus(NS, {
      ...created,
      spec: { ...(created['spec'] as object), replicas: 7 },
      status: { observedGeneration: 1, replicas: 3 },
    });
    assert.equal((withStatus['status'] as { replicas: number }).replicas, 3);
    assert.equal((withStatus['spec'] as { replicas: number }).replicas, 1, 'a status update keeps the spec');
    const patched = await d.patch(NS, 'web', 'merge', { status: { replicas: 4 } }, { subresource: 'status' });
    assert.equal((patched['status'] as { replicas: number }).replicas, 4);

    const p = cs.resource(pods);
    await p.create(NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'evicted' },
      spec: { schedulerName: 'nobody', containers: [{ name: 'c', image: 'nginx' }] },
    });
    const res = await p.createSubresource(NS, 'evicted', 'eviction', {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'evicted' },
    });
    assert.equal((res as { status?: string }).status, 'Success');
    await assert.rejects(
      p.createSubresource(NS, 'absent', 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'absent' } }),
      (e) => isStatusError(e, 'NotFound'),
    );
  });

  it('deletes with options', async () => {
    const c = cs.resource(cm);
    const obj = await c.create(NS, configMap('doomed'));
    await assert.rejects(c.delete(NS, 'doomed', { preconditions: { uid: 'not-the-uid' } }), (e) => isStatusError(e, 'Conflict'));
    await c.delete(NS, 'doomed', { preconditions: { uid: obj.metadata.uid }, propagationPolicy: 'Background' });
    await assert.rejects(c.get(NS, 'doomed'), (e) => isStatusError(e, 'NotFound'));
    await assert.rejects(c.delete(NS, 'doomed'), (e) => isStatusError(e, 'NotFound'));
    const kept = await c.create(NS, { ...configMap('kept'), metadata: { name: 'kept', finalizers: ['example.com/hold'] } });
    const terminating = await c.delete(NS, 'kept');
    assert.ok(terminating?.metadata.deletionTimestamp, `a finalized object comes back terminating: ${JSON.stringify(terminating)}`);
    await c.patch(NS, 'kept', 'merge', { metadata: { finalizers: null } });
    await assert.rejects(c.get(NS, 'kept'), (e) => isStatusError(e, 'NotFound'));
    assert.ok(kept.metadata.uid);
  });

  it('finds a custom resource through discovery', async () => {
    await cs.resource({ group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' }).create('', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    const widgets = cs.resource({ group: 'example.com', version: 'v1', resource: 'widgets' });
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await widgets.create(NS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, size: 3 });
        break;
      } catch (err) {
        if (!isStatusError(err, 'NotFound') || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const got = await widgets.get(NS, 'w1');
    assert.equal(got['size'], 3);
    assert.equal(got.metadata.namespace, NS);
  });
});

/** Counts list calls on the way through, to see relists. */
function countingClientset(inner: Clientset, lists: string[]): Clientset {
  return {
    resource(gvr: GroupVersionResource): ResourceClient {
      const c = inner.resource(gvr);
      return Object.assign(Object.create(c) as ResourceClient, {
        list: (ns: string, o?: ListOptions) => {
          lists.push(gvr.resource);
          return c.list(ns, o);
        },
        watch: c.watch.bind(c),
      });
    },
    close: () => inner.close(),
  };
}

it('an informer sees changes, survives a restart on the same port and relists after a 410', { timeout: 120_000 }, async () => {
  let server = await startServer();
  const port = Number(new URL(server.url).port);
  const cs = HttpsClientset.fromKubeconfig(server.kubeconfig);
  const lists: string[] = [];
  const errors: unknown[] = [];
  const ac = new AbortController();
  const ns = 'informer';
  try {
    await cs.resource({ group: '', version: 'v1', resource: 'namespaces' }).create('', { metadata: { name: ns } });
    const c = cs.resource(cm);
    await c.create(ns, configMap('first', { a: '1' }));
    const factory = new InformerFactory({
      clientset: countingClientset(cs, lists),
      namespace: ns,
      backoff: { initialMs: 100, maxMs: 1000 },
      onError: (e) => errors.push(e),
    });
    const informer = factory.forResource(cm);
    const added: string[] = [];
    const updated: string[] = [];
    const deleted: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => added.push(o.metadata.name ?? ''),
      onUpdate: (a, b) => a.metadata.resourceVersion !== b.metadata.resourceVersion && updated.push(b.metadata.name ?? ''),
      onDelete: (o) => deleted.push(o.metadata.name ?? ''),
    });
    factory.start(ac.signal);
    await factory.waitForCacheSync(ac.signal);
    assert.ok(informer.hasSynced());
    assert.deepEqual(added, ['first']);
    assert.equal(informer.lister.get(ns, 'first')?.kind, 'ConfigMap');

    await c.create(ns, configMap('second'));
    await eventually('a watched add', () => added.includes('second'));
    await c.patch(ns, 'second', 'merge', { data: { b: '2' } });
    await eventually('a watched update', () => updated.includes('second'));
    await c.create(ns, configMap('gone-soon'));
    await c.delete(ns, 'gone-soon');
    await eventually('a watched delete', () => deleted.includes('gone-soon'));
    assert.equal(lists.length, 1);

    // writes elsewhere move the revision past the informer's; after the restart the watch cache
    // starts at the current revision, so the informer's watch gets 410 and it lists again
    for (let i = 0; i < 5; i++)
      await cs.resource({ group: '', version: 'v1', resource: 'secrets' }).create(ns, { metadata: { name: `s${i}` } });
    await server.stop();
    await eventually('a connection error', () => errors.length >= 1);
    server = await startServer({ dataDir: server.dataDir, port });
    await c.create(ns, configMap('third'));
    await c.delete(ns, 'first');
    await eventually('an add after the restart', () => added.includes('third'), 60_000);
    await eventually('the delete of first', () => deleted.includes('first'));
    assert.ok(lists.length >= 2, `relisted after the 410: ${lists.length} lists`);
    assert.deepEqual(
      added.filter((n) => n === 'second'),
      ['second'],
      `no duplicate ADD after the relist: ${added.join(',')}`,
    );
    assert.deepEqual(
      informer.lister
        .list(ns)
        .map((o) => o.metadata.name)
        .sort(),
      ['second', 'third'],
    );

    // and the watch after the relist is live
    await c.patch(ns, 'third', 'merge', { data: { c: '3' } });
    await eventually('an update after the relist', () => updated.includes('third'));
  } finally {
    ac.abort();
    cs.close();
    await server.stop();
    await server.cleanup();
  }
});
