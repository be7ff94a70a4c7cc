/**
 * @kubernetes/client-node 1.x: typed calls, and an informer that survives a server restart
 * and a 410 (its resourceVersion predates the restarted server's watch cache).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { startServer } from './support/server.js';
import { eventually } from './support/wait.js';

it('serves typed calls and keeps an informer going across a restart and a 410', { timeout: 120_000 }, async () => {
  let server = await startServer();
  const port = Number(new URL(server.url).port);
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const ns = 'informer';
  await core.createNamespace({ body: { metadata: { name: ns } } });
  const created = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'first' }, data: { a: '1' } } });
  assert.equal(created.metadata?.name, 'first');
  const read = await core.readNamespacedConfigMap({ name: 'first', namespace: ns });
  assert.deepEqual(read.data, { a: '1' });

  const informer = makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () => core.listNamespacedConfigMap({ namespace: ns }));
  const added: string[] = [];
  const updated: string[] = [];
  const deleted: string[] = [];
  let errors = 0;
  let stopped = false;
  informer.on('add', (o: V1ConfigMap) => added.push(o.metadata?.name ?? ''));
  informer.on('update', (o: V1ConfigMap) => updated.push(o.metadata?.name ?? ''));
  informer.on('delete', (o: V1ConfigMap) => deleted.push(o.metadata?.name ?? ''));
  informer.on('error', () => {
    errors++;
    // client-node stops on errors; a caller restarts it
    if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 300);
  });
  try {
    await informer.start();
    await eventually('the initial add', () => added.includes('first'));
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'second' } } });
    await eventually('a watched add', () => added.includes('second'));
    const cur = await core.readNamespacedConfigMap({ name: 'second', namespace: ns });
    await core.replaceNamespacedConfigMap({ name: 'second', namespace: ns, body: { ...cur, data: { b: '2' } } });
    await eventually('a watched update', () => updated.includes('second'));

    // writes elsewhere move the global revision past the informer's: after the restart its
    // watch is older than the new watch cache and gets 410, then it lists again
    for (let i = 0; i < 5; i++) await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: `s${i}` } } });
    await server.stop();
    server = await startServer({ dataDir: server.dataDir, port });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'third' } } });
    await eventually('an add after the restart', () => added.includes('third'), 60_000);
    await core.deleteNamespacedConfigMap({ name: 'first', namespace: ns });
    await eventually('a watched delete', () => deleted.includes('first'));
    assert.equal(added.filter((n) => n === 'second').length, 1, `no duplicate ADD after the relist: ${added.join(',')}`);
    assert.ok(errors >= 1, 'the restart was seen as an error');
  } finally {
    stopped = true;
    await informer.stop();
    await server.stop();
    await server.cleanup();
  }
});
