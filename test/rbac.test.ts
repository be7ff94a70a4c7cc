/**
 * RBAC end to end with real kubectl against `k8ts server --disable-agent`: the bootstrap policy
 * and the aggregated view/edit roles, a client-certificate user bound to `view` in one
 * namespace, `auth can-i` (with --list), SubjectAccessReview, escalation prevention and
 * `auth reconcile`.
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

interface ClusterRoleList {
  items: { metadata: { name: string }; rules?: { resources?: string[] }[] }[];
}

const SETUP = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}',
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-b}',
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team-a}\ndata: {k: v}',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: token, namespace: team-a}\nstringData: {k: v}',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: alice-view, namespace: team-a}\n' +
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n' +
    'subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]',
  ...['edit', 'system:aggregate-to-admin'].map(
    (role, i) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: bob-${i}, namespace: team-a}\n` +
      `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${JSON.stringify(role)}}\n` +
      'subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: bob}]',
  ),
].join('\n---\n');

const out = (r: { stdout: string }): string => r.stdout.trim();

describe('RBAC', { timeout: 60_000 }, () => {
  it('serves the bootstrap policy with the aggregated view, edit and admin roles', async () => {
    const [roles, bindings] = await Promise.all([
      admin(['get', 'clusterroles']),
      admin(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']),
    ]);
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:node', 'system:kube-scheduler']) {
      assert.match(ok(roles, 'get clusterroles'), new RegExp(`^${name}\\s`, 'm'));
    }
    assert.match(ok(bindings, 'crb'), /ClusterRole\/cluster-admin\s+\S+\s+\S*\s*system:masters/);
    ok(await admin(['apply', '-f', '-'], { input: SETUP }), 'setup');
    await eventually('view, edit and admin aggregated', async () => {
      const list = JSON.parse(ok(await admin(['get', 'clusterroles', 'view', 'edit', 'admin', '-o', 'json']), 'get')) as ClusterRoleList;
      const has = (name: string, resource: string): boolean =>
        list.items.some((r) => r.metadata.name === name && (r.rules ?? []).some((rule) => rule.resources?.includes(resource)));
      return has('view', 'pods') && has('edit', 'secrets') && has('admin', 'rolebindings') && !has('view', 'secrets');
    });
  });

  it('lets a user bound to view in one namespace read there and nothing more', async () => {
    const [pods, cms, del, secrets, other, nodes] = await Promise.all([
      alice(['-n', 'team-a', 'get', 'pods']),
      alice(['-n', 'team-a', 'get', 'configmaps']),
      alice(['-n', 'team-a', 'delete', 'configmap', 'settings']),
      alice(['-n', 'team-a', 'get', 'secrets']),
      alice(['-n', 'team-b', 'get', 'pods']),
      alice(['get', 'nodes']),
    ]);
    assert.equal(ok(pods, 'alice get pods'), '');
    assert.match(ok(cms, 'alice get cm'), /settings/);
    assert.notEqual(del.code, 0);
    assert.match(
      del.stderr,
      /configmaps "settings" is forbidden: User "alice" cannot delete resource "configmaps" in API group "" in the namespace "team-a"/,
    );
    assert.match(secrets.stderr, /User "alice" cannot list resource "secrets" in API group "" in the namespace "team-a"/);
    assert.match(other.stderr, /User "alice" cannot list resource "pods" in API group "" in the namespace "team-b"/);
    assert.match(nodes.stderr, /User "alice" cannot list resource "nodes" in API group "" at the cluster scope/);
  });

  it('answers auth can-i, for oneself, with --list and for another subject', async () => {
    const sarBody = JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: 'alice',
        groups: ['devs'],
        resourceAttributes: { namespace: 'team-a', verb: 'watch', resource: 'deployments', group: 'apps' },
      },
    });
    const [listPods, deletePods, otherLogs, list, sarOut] = await Promise.all([
      alice(['-n', 'team-a', 'auth', 'can-i', 'list', 'pods']),
      alice(['-n', 'team-a', 'auth', 'can-i', 'delete', 'pods']),
      alice(['-n', 'team-b', 'auth', 'can-i', 'get', 'pods/log']),
      alice(['-n', 'team-a', 'auth', 'can-i', '--list']),
      admin(['create', '-f', '-', '-o', 'json'], { input: sarBody }),
    ]);
    assert.equal(out(listPods), 'yes');
    assert.equal(out(deletePods), 'no');
    assert.equal(out(otherLogs), 'no');
    const rules = ok(list, 'can-i --list');
    assert.match(rules, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.match(rules, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    assert.match(rules, /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/m);
    assert.doesNotMatch(rules, /^secrets\s/m);
    const sar = JSON.parse(ok(sarOut, 'create SAR')) as { status: { allowed: boolean; reason?: string } };
    assert.equal(sar.status.allowed, true);
    assert.match(sar.status.reason ?? '', /RBAC: allowed by RoleBinding "alice-view\/team-a" of ClusterRole "view" to User "alice"/);
  });

  it('prevents escalation: edit cannot bind cluster-admin or write a role beyond its own', async () => {
    const [bind, role] = await Promise.all([
      bob(['-n', 'team-a', 'create', 'rolebinding', 'bob-admin', '--clusterrole=cluster-admin', '--user=bob']),
      bob(['-n', 'team-a', 'create', 'role', 'nodes-reader', '--verb=get', '--resource=nodes']),
    ]);
    assert.notEqual(bind.code, 0);
    assert.match(
      bind.stderr,
      /rolebindings\.rbac\.authorization\.k8s\.io "bob-admin" is forbidden: user "bob" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/,
    );
    assert.match(
      role.stderr,
      /user "bob" .* is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/,
    );
    // within what bob holds: allowed
    ok(await bob(['-n', 'team-a', 'create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods']), 'role within');
    ok(await bob(['-n', 'team-a', 'create', 'rolebinding', 'alice-pods', '--role=pod-reader', '--user=alice']), 'bind within');
  });

  it('reconciles roles and bindings with kubectl auth reconcile', async () => {
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
  });
});
