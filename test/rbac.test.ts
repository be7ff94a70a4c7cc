/**
 * RBAC end to end with real kubectl against `k8ts server --disable-agent`: the bootstrap policy
 * and the aggregated view/edit roles, a client-certificate user bound to `view` in one
 * namespace, `auth can-i` (with --list), escalation prevention and `auth reconcile`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { eventually } from './support/wait.js';
import { ensureKubeconfig, pkiPaths } from '../src/pki/index.js';

let server: TestServer;
let cache: string;
let admin: Kubectl;
let alice: Kubectl;
let bob: Kubectl;

before(async () => {
  server = await startServer({ args: ['--disable-agent'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-rbac-'));
  admin = kubectl('1.33', server.kubeconfig, join(cache, 'admin'));
  const pki = pkiPaths(server.dataDir);
  const aliceConf = await ensureKubeconfig(cache, server.url, pki, { file: 'alice.conf', user: 'alice', groups: ['devs'] });
  const bobConf = await ensureKubeconfig(cache, server.url, pki, { file: 'bob.conf', user: 'bob', groups: [] });
  alice = kubectl('1.33', aliceConf, join(cache, 'alice'));
  bob = kubectl('1.33', bobConf, join(cache, 'bob'));
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('RBAC', { timeout: 60_000 }, () => {
  it('serves the bootstrap policy with the aggregated view, edit and admin roles', async () => {
    const roles = ok(await admin(['get', 'clusterroles']), 'get clusterroles');
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:node', 'system:kube-scheduler']) {
      assert.match(roles, new RegExp(`^${name}\\s`, 'm'));
    }
    assert.match(
      ok(await admin(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']), 'crb'),
      /ClusterRole\/cluster-admin\s+\S+\s+\S*\s*system:masters/,
    );
    await eventually('view aggregated', async () => /pods\s/.test(ok(await admin(['describe', 'clusterrole', 'view']), 'describe view')));
    await eventually('edit aggregated', async () =>
      /secrets\s/.test(ok(await admin(['describe', 'clusterrole', 'edit']), 'describe edit')),
    );
  });

  it('lets a user bound to view in one namespace read there and nothing more', async () => {
    ok(await admin(['create', 'namespace', 'team-a']), 'ns a');
    ok(await admin(['create', 'namespace', 'team-b']), 'ns b');
    ok(await admin(['-n', 'team-a', 'create', 'configmap', 'settings', '--from-literal=k=v']), 'cm');
    ok(await admin(['-n', 'team-a', 'create', 'secret', 'generic', 'token', '--from-literal=k=v']), 'secret');
    ok(await admin(['-n', 'team-a', 'create', 'rolebinding', 'alice-view', '--clusterrole=view', '--user=alice']), 'rolebinding');
    assert.equal(ok(await alice(['-n', 'team-a', 'get', 'pods']), 'alice get pods'), '');
    assert.match(ok(await alice(['-n', 'team-a', 'get', 'configmaps']), 'alice get cm'), /settings/);
    const del = await alice(['-n', 'team-a', 'delete', 'configmap', 'settings']);
    assert.notEqual(del.code, 0);
    assert.match(
      del.stderr,
      /configmaps "settings" is forbidden: User "alice" cannot delete resource "configmaps" in API group "" in the namespace "team-a"/,
    );
    const secrets = await alice(['-n', 'team-a', 'get', 'secrets']);
    assert.match(secrets.stderr, /User "alice" cannot list resource "secrets" in API group "" in the namespace "team-a"/);
    const other = await alice(['-n', 'team-b', 'get', 'pods']);
    assert.match(other.stderr, /User "alice" cannot list resource "pods" in API group "" in the namespace "team-b"/);
    const nodes = await alice(['get', 'nodes']);
    assert.match(nodes.stderr, /User "alice" cannot list resource "nodes" in API group "" at the cluster scope/);
  });

  it('answers auth can-i, for oneself, with --list and for another subject', async () => {
    assert.equal((await alice(['-n', 'team-a', 'auth', 'can-i', 'list', 'pods'])).stdout.trim(), 'yes');
    assert.equal((await alice(['-n', 'team-a', 'auth', 'can-i', 'delete', 'pods'])).stdout.trim(), 'no');
    assert.equal((await alice(['-n', 'team-b', 'auth', 'can-i', 'get', 'pods/log'])).stdout.trim(), 'no');
    const list = ok(await alice(['-n', 'team-a', 'auth', 'can-i', '--list']), 'can-i --list');
    assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.match(list, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    assert.match(list, /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/m);
    assert.doesNotMatch(list, /^secrets\s/m);
    // a SubjectAccessReview through kubectl's --as-less form: admin asks about alice
    const sar = JSON.parse(
      ok(
        await admin(['create', '-f', '-', '-o', 'json'], {
          input: JSON.stringify({
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user: 'alice',
              groups: ['devs'],
              resourceAttributes: { namespace: 'team-a', verb: 'watch', resource: 'deployments', group: 'apps' },
            },
          }),
        }),
        'create SAR',
      ),
    ) as { status: { allowed: boolean; reason?: string } };
    assert.equal(sar.status.allowed, true);
    assert.match(sar.status.reason ?? '', /RBAC: allowed by RoleBinding "alice-view\/team-a" of ClusterRole "view" to User "alice"/);
  });

  it('prevents escalation: edit cannot bind cluster-admin or write a role beyond its own', async () => {
    ok(await admin(['-n', 'team-a', 'create', 'rolebinding', 'bob-edit', '--clusterrole=edit', '--user=bob']), 'bob edit');
    ok(
      await admin(['-n', 'team-a', 'create', 'rolebinding', 'bob-rb', '--clusterrole=system:aggregate-to-admin', '--user=bob']),
      'bob rbac',
    );
    const bind = await bob(['-n', 'team-a', 'create', 'rolebinding', 'bob-admin', '--clusterrole=cluster-admin', '--user=bob']);
    assert.notEqual(bind.code, 0);
    assert.match(
      bind.stderr,
      /rolebindings\.rbac\.authorization\.k8s\.io "bob-admin" is forbidden: user "bob" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/,
    );
    const role = await bob(['-n', 'team-a', 'create', 'role', 'nodes-reader', '--verb=get', '--resource=nodes']);
    assert.match(
      role.stderr,
      /user "bob" .* is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/,
    );
    // within what bob holds: allowed
    ok(await bob(['-n', 'team-a', 'create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods']), 'role within');
    ok(await bob(['-n', 'team-a', 'create', 'rolebinding', 'alice-pods', '--role=pod-reader', '--user=alice']), 'bind within');
  });

  it('reconciles roles with kubectl auth reconcile and leaves autoupdate=false roles alone', async () => {
    const manifest = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata: {name: cm-writer, namespace: team-b}',
      'rules:',
      '- {apiGroups: [""], resources: [configmaps], verbs: [create, update]}',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: {name: cm-writer, namespace: team-b}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-writer}',
      'subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]',
    ].join('\n');
    const out = ok(await admin(['auth', 'reconcile', '-f', '-'], { input: manifest }), 'auth reconcile');
    assert.match(out, /role\.rbac\.authorization\.k8s\.io\/cm-writer reconciled/);
    assert.equal((await alice(['-n', 'team-b', 'auth', 'can-i', 'create', 'configmaps'])).stdout.trim(), 'yes');
    ok(await admin(['annotate', '--overwrite', 'clusterrole', 'view', 'rbac.authorization.kubernetes.io/autoupdate=false']), 'annotate');
    assert.match(ok(await admin(['get', 'clusterrole', 'view', '-o', 'yaml']), 'view'), /autoupdate: "false"/);
  });
});
