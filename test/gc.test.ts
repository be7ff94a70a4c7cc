/**
 * Garbage collection with real kubectl against `k8ts server --runtime fake`: each cascade mode of
 * `kubectl delete deployment` (background, foreground, orphan) and a dangling dependent whose
 * owner never existed.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

interface OwnerReference {
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}
interface Item {
  metadata: { name: string; uid: string; finalizers?: string[]; deletionTimestamp?: string; ownerReferences?: OwnerReference[] };
  status?: { phase?: string };
}

let server: TestServer;
let cache: string;
let k: Kubectl;

async function list(resource: string, selector: string): Promise<Item[]> {
  return (JSON.parse(ok(await k(['get', resource, '-l', selector, '-o', 'json']), `get ${resource}`)) as { items: Item[] }).items;
}

async function get(resource: string, name: string): Promise<Item | undefined> {
  const r = await k(['get', resource, name, '-o', 'json']);
  if (r.code !== 0 && /NotFound|not found/.test(r.stderr)) return undefined;
  return JSON.parse(ok(r, `get ${resource} ${name}`)) as Item;
}

/** A deployment of `replicas` pods labelled app=<name>, rolled out. */
async function deployment(name: string, replicas: number, podFinalizer?: string): Promise<void> {
  const manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(podFinalizer ? { finalizers: [podFinalizer] } : {}) },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27.0' }] },
      },
    },
  };
  ok(await k(['apply', '-f', '-'], { input: JSON.stringify(manifest) }), `apply deployment ${name}`);
  ok(await k(['rollout', 'status', `deployment/${name}`, '--timeout=30s']), `rollout status ${name}`);
  assert.equal((await list('rs', `app=${name}`)).length, 1);
  assert.equal((await list('pods', `app=${name}`)).length, replicas);
}

const controllerOf = (item: Item): OwnerReference | undefined => item.metadata.ownerReferences?.find((r) => r.controller);

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '2'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-gc-'));
  k = kubectl('1.33', server.kubeconfig, cache);
  await eventually('2 Ready nodes', async () => (ok(await k(['get', 'nodes']), 'get nodes').match(/\sReady\s/g) ?? []).length === 2);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('garbage collection', { timeout: 80_000 }, () => {
  it('--cascade=background deletes the deployment at once, then its ReplicaSet and pods', async () => {
    await deployment('bg', 3);
    assert.match(ok(await k(['delete', 'deployment', 'bg', '--cascade=background']), 'delete'), /deployment.apps "bg" deleted/);
    assert.equal(await get('deployment', 'bg'), undefined);
    await eventually('ReplicaSet and pods collected', async () => {
      return (await list('rs', 'app=bg')).length === 0 && (await list('pods', 'app=bg')).length === 0;
    });
  });

  it('--cascade=foreground keeps the owner, with foregroundDeletion, until its dependents are gone', async () => {
    // the pods carry a finalizer of ours, so they stay terminating until the test lets them go
    const hold = 'k8ts.io/e2e-hold';
    await deployment('fg', 2, hold);
    const deleting = k(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=true', '--timeout=40s'], { timeoutMs: 45_000 });
    await eventually('the pods terminating', async () => {
      const pods = await list('pods', 'app=fg');
      return pods.length === 2 && pods.every((p) => p.metadata.deletionTimestamp);
    });
    const owner = await get('deployment', 'fg');
    assert.ok(owner, 'the deployment is still there while its pods terminate');
    assert.ok(owner.metadata.deletionTimestamp);
    assert.deepEqual(owner.metadata.finalizers, ['foregroundDeletion']);
    const [rs] = await list('rs', 'app=fg');
    assert.ok(rs, 'the ReplicaSet is still there while its pods terminate');
    assert.ok(rs.metadata.deletionTimestamp);
    assert.deepEqual(rs.metadata.finalizers, ['foregroundDeletion']);
    // let the pods go: the ReplicaSet, then the deployment follow, and kubectl's --wait returns
    for (const p of await list('pods', 'app=fg')) {
      ok(await k(['patch', 'pod', p.metadata.name, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']), 'patch');
    }
    const done = await deleting;
    assert.match(ok(done, 'delete --cascade=foreground'), /deployment.apps "fg" deleted/);
    assert.equal(await get('deployment', 'fg'), undefined);
    assert.equal((await list('rs', 'app=fg')).length, 0);
    assert.equal((await list('pods', 'app=fg')).length, 0);
  });

  it('--cascade=orphan leaves the ReplicaSet and its pods, without the owner reference', async () => {
    await deployment('orph', 2);
    const [before] = await list('rs', 'app=orph');
    assert.equal(controllerOf(before as Item)?.kind, 'Deployment');
    ok(await k(['delete', 'deployment', 'orph', '--cascade=orphan', '--wait=true', '--timeout=20s']), 'delete --cascade=orphan');
    assert.equal(await get('deployment', 'orph'), undefined);
    const [rs] = await list('rs', 'app=orph');
    assert.ok(rs, 'the ReplicaSet is left');
    assert.equal(rs.metadata.uid, before?.metadata.uid);
    assert.equal(rs.metadata.deletionTimestamp, undefined);
    assert.deepEqual(rs.metadata.ownerReferences ?? [], []);
    const pods = await list('pods', 'app=orph');
    assert.equal(pods.length, 2);
    for (const p of pods) assert.equal(controllerOf(p)?.uid, rs.metadata.uid, 'the pods still belong to the ReplicaSet');
    // orphaning the ReplicaSet too leaves pods that nothing controls
    ok(await k(['delete', 'rs', rs.metadata.name, '--cascade=orphan', '--wait=true', '--timeout=20s']), 'delete rs --cascade=orphan');
    const orphans = await list('pods', 'app=orph');
    assert.deepEqual(orphans.map((p) => p.metadata.name).sort(), pods.map((p) => p.metadata.name).sort());
    for (const p of orphans) {
      assert.deepEqual(p.metadata.ownerReferences ?? [], []);
      assert.equal(p.metadata.deletionTimestamp, undefined);
    }
    // a deployment of the same template makes a ReplicaSet that adopts the orphans: no new pods
    ok(await k(['create', 'deployment', 'orph', '--image=nginx:1.27.0', '--replicas=2']), 'create deployment again');
    await eventually('the orphans adopted', async () => {
      const [owner] = await list('rs', 'app=orph');
      const adopted = await list('pods', 'app=orph');
      return owner !== undefined && adopted.length === 2 && adopted.every((p) => controllerOf(p)?.uid === owner.metadata.uid);
    });
    assert.deepEqual((await list('pods', 'app=orph')).map((p) => p.metadata.uid).sort(), pods.map((p) => p.metadata.uid).sort());
    ok(await k(['delete', 'deployment', 'orph']), 'delete deployment');
  });

  it('collects a dependent whose owner does not exist', async () => {
    // an owner of that name exists, with another uid: the reference still dangles
    ok(await k(['create', 'configmap', 'ghost']), 'create owner');
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-4000-8000-00000000dead' };
    const dependent = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dangling', ownerReferences: [ref] }, data: { a: 'b' } };
    const keeper = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unowned' }, data: { a: 'b' } };
    ok(await k(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [dependent, keeper] }) }), 'apply');
    await eventually('the dangling dependent collected', async () => (await get('configmap', 'dangling')) === undefined);
    assert.ok(await get('configmap', 'ghost'), 'the namesake owner is left alone');
    assert.ok(await get('configmap', 'unowned'), 'an object without owners is left alone');
  });

  it('--cascade=foreground ends for two objects that own each other (a cycle)', async () => {
    ok(await k(['create', 'configmap', 'cycle-a']), 'create a');
    const a = await get('configmap', 'cycle-a');
    const owner = (o: Item | undefined, name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name,
      uid: o?.metadata.uid,
      blockOwnerDeletion: true,
    });
    const b = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cycle-b', ownerReferences: [owner(a, 'cycle-a')] } };
    ok(await k(['create', '-f', '-'], { input: JSON.stringify(b) }), 'create b owned by a');
    const patch = { metadata: { ownerReferences: [owner(await get('configmap', 'cycle-b'), 'cycle-b')] } };
    ok(await k(['patch', 'configmap', 'cycle-a', '--type=merge', '-p', JSON.stringify(patch)]), 'a owned by b');
    ok(await k(['delete', 'configmap', 'cycle-a', '--cascade=foreground', '--wait=false']), 'delete a in the foreground');
    await eventually(
      'both collected',
      async () => (await get('configmap', 'cycle-a')) === undefined && (await get('configmap', 'cycle-b')) === undefined,
    );
  });
});
