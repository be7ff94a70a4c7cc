/**
 * Namespace deletion with real kubectl against `k8ts server --runtime fake`: `kubectl delete
 * namespace` removes a deployment, its ReplicaSet and pods, a service with its endpoints,
 * configmaps, secrets and the service account, then the namespace; while content remains the
 * namespace is Terminating, describes its conditions, and refuses new content with upstream's
 * message.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

const CONTENT = 'deployments,replicasets,pods,services,endpoints,endpointslices,configmaps,secrets,serviceaccounts';
const HOLD = 'k8ts.io/e2e-hold';

let server: TestServer;
let cache: string;
let k: Kubectl;

/** `kind/name` of everything of CONTENT in the namespace. */
async function content(ns: string): Promise<string[]> {
  const out = ok(await k(['get', CONTENT, '-n', ns, '-o', 'name']), `get content of ${ns}`);
  return out.split('\n').filter(Boolean).sort();
}

/** A namespace with a rolled-out deployment, a service with endpoints, configmaps and secrets. */
async function populate(ns: string): Promise<void> {
  ok(await k(['create', 'namespace', ns]), 'create namespace');
  ok(await k(['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.27.0', '--replicas=2']), 'create deployment');
  ok(await k(['expose', 'deployment', 'web', '-n', ns, '--port=80']), 'expose');
  for (const name of ['settings', 'features']) {
    ok(await k(['create', 'configmap', name, '-n', ns, '--from-literal=a=b']), `create configmap ${name}`);
    ok(await k(['create', 'secret', 'generic', `${name}-secret`, '-n', ns, '--from-literal=a=b']), `create secret ${name}`);
  }
  ok(await k(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=30s']), 'rollout status');
  await eventually('the service endpoints', async () => {
    const ips = ok(await k(['get', 'endpoints', 'web', '-n', ns, '-o', 'jsonpath={.subsets[*].addresses[*].ip}']), 'get ep');
    return ips.trim().split(/\s+/).filter(Boolean).length === 2;
  });
  const have = await content(ns);
  for (const want of [
    'deployment.apps/web',
    'service/web',
    'endpoints/web',
    'configmap/settings',
    'configmap/features',
    'secret/settings-secret',
    'secret/features-secret',
    'serviceaccount/default',
  ]) {
    assert.ok(have.includes(want), `${want} in ${ns}: ${have.join(' ')}`);
  }
  assert.equal(have.filter((n) => n.startsWith('pod/')).length, 2);
  assert.equal(have.filter((n) => n.startsWith('replicaset.apps/')).length, 1);
  assert.equal(have.filter((n) => n.startsWith('endpointslice.discovery.k8s.io/')).length, 1);
}

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '2'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-ns-'));
  k = kubectl('1.33', server.kubeconfig, cache);
  await eventually('2 Ready nodes', async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 2);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('kubectl delete namespace', { timeout: 80_000 }, () => {
  it('deletes everything in the namespace, then the namespace', async () => {
    await populate('shop');
    const deleted = ok(await k(['delete', 'namespace', 'shop', '--timeout=40s'], { timeoutMs: 45_000 }), 'delete namespace');
    assert.match(deleted, /namespace "shop" deleted/);
    const get = await k(['get', 'namespace', 'shop']);
    assert.notEqual(get.code, 0);
    assert.match(get.stderr, /Error from server \(NotFound\): namespaces "shop" not found/);
    assert.deepEqual(await content('shop'), []);
    assert.doesNotMatch(ok(await k(['get', 'namespaces']), 'get namespaces'), /^shop\s/m);
  });

  it('is Terminating while content remains and refuses new content', async () => {
    await populate('store');
    ok(await k(['create', 'configmap', 'held', '-n', 'store', '--from-literal=a=b']), 'create held');
    ok(
      await k(['patch', 'configmap', 'held', '-n', 'store', '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: [HOLD] } })]),
      'hold',
    );
    assert.match(ok(await k(['delete', 'namespace', 'store', '--wait=false']), 'delete namespace'), /namespace "store" deleted/);

    // everything but the held configmap goes; the namespace waits for it
    await eventually('only the held configmap left', async () => (await content('store')).join(' ') === 'configmap/held');
    assert.match(ok(await k(['get', 'namespace', 'store']), 'get namespace'), /^store\s+Terminating\s/m);
    let described = '';
    await eventually('the remaining-content conditions', async () => {
      described = ok(await k(['describe', 'namespace', 'store']), 'describe namespace');
      return /NamespaceFinalizersRemaining\s+True/.test(described);
    });
    assert.match(described, /^Status:\s+Terminating$/m);
    assert.match(
      described,
      /NamespaceContentRemaining\s+True\s+.+\s+SomeResourcesRemain\s+Some resources are remaining: configmaps\. has 1 resource instances/,
    );
    assert.match(
      described,
      /NamespaceFinalizersRemaining\s+True\s+.+\s+SomeFinalizerRemain\s+Some finalizers are remaining: k8ts\.io\/e2e-hold in 1 resource instances/,
    );
    assert.match(
      described,
      /NamespaceDeletionContentFailure\s+False\s+.+\s+ContentDeleted\s+All content successfully deleted, may be waiting on finalization/,
    );

    const refused = await k(['create', 'configmap', 'late', '-n', 'store', '--from-literal=a=b']);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /configmaps "late" is forbidden: unable to create new content in namespace store because it is being terminated/,
    );
    const applied = await k(['apply', '-n', 'store', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'late' }, stringData: { a: 'b' } }),
    });
    assert.notEqual(applied.code, 0);
    assert.match(applied.stderr, /unable to create new content in namespace store because it is being terminated/);

    // the finalizer released: the configmap goes, then the namespace
    ok(await k(['patch', 'configmap', 'held', '-n', 'store', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']), 'release');
    ok(await k(['wait', '--for=delete', 'namespace/store', '--timeout=30s'], { timeoutMs: 35_000 }), 'wait for delete');
    assert.deepEqual(await content('store'), []);
  });

  it('refuses to delete the system namespaces', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      const r = await k(['delete', 'namespace', ns, '--wait=false']);
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        new RegExp(`Error from server \\(Forbidden\\): namespaces "${ns}" is forbidden: this namespace may not be deleted`),
      );
    }
    assert.match(ok(await k(['get', 'namespace', 'default', '--no-headers']), 'get namespace'), /^default\s+Active\s/);
  });
});
