/**
 * Impersonation and ServiceAccount admission with real kubectl against `k8ts server
 * --disable-agent` with an audit log: the admin acting as a ServiceAccount bound to `view` lists
 * pods but may not delete them (`auth can-i --list --as`), a user without the impersonate verb
 * gets 403, `auth whoami --as --as-group --as-uid` shows the impersonated user; a pod gets the
 * kube-api-access projected volume, a pod of a missing ServiceAccount is refused; the audit log
 * names the impersonated user and carries PodSecurity's annotations.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, type KubectlVersion, ok } from './support/kubectl.js';
import { eventually } from './support/wait.js';

interface AuditEvent {
  auditID: string;
  stage: string;
  verb: string;
  user: { username?: string };
  impersonatedUser?: { username?: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string };
  responseStatus?: { code: number };
  annotations?: Record<string, string>;
}

const VIEWER = 'system:serviceaccount:imp:viewer';
const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: Metadata\n';

let server: TestServer;
let dir: string;
let k: Kubectl;
let logPath: string;

async function auditEvent(what: string, match: (e: AuditEvent) => boolean): Promise<AuditEvent> {
  let found: AuditEvent | undefined;
  await eventually(
    what,
    async () => {
      // whole lines only: the server may be writing the last one
      const lines = (await readFile(logPath, 'utf8').catch(() => '')).split('\n').slice(0, -1);
      found = lines.map((l) => JSON.parse(l) as AuditEvent).find(match);
      return found !== undefined;
    },
    10_000,
  );
  return found as AuditEvent;
}

/** A kubeconfig of the server's cluster that authenticates with a bearer token only. */
async function tokenKubectl(name: string, token: string): Promise<Kubectl> {
  const admin = parse(await readFile(server.kubeconfig, 'utf8')) as { users: { name: string; user: Record<string, string> }[] };
  admin.users = admin.users.map((u) => ({ name: u.name, user: { token } }));
  const file = join(dir, `${name}.conf`);
  await writeFile(file, stringify(admin), { mode: 0o600 });
  return kubectl('1.33', file, join(dir, `cache-${name}`));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-impersonation-'));
  logPath = join(dir, 'audit.log');
  await writeFile(join(dir, 'policy.yaml'), POLICY);
  server = await startServer({ args: ['--disable-agent', '--audit-policy-file', join(dir, 'policy.yaml'), '--audit-log-path', logPath] });
  k = kubectl('1.33', server.kubeconfig, join(dir, 'cache'));
  const fixtures = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'imp' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'audited', labels: { 'pod-security.kubernetes.io/audit': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'viewer', namespace: 'imp' } },
    // made here, not awaited from the controller manager (still starting on a loaded machine)
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'imp' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'audited' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'viewer', namespace: 'imp' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: 'imp' }],
    },
  ];
  ok(await k(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: fixtures }) }), 'fixtures');
  ok(await k(['run', 'web', '--image=busybox', '-n', 'imp']), 'run web');
  // view is an aggregated ClusterRole: its rules come once the aggregation controller runs
  const canList = async () => (await k(['auth', 'can-i', 'list', 'pods', '-n', 'imp', `--as=${VIEWER}`])).stdout.trim() === 'yes';
  await eventually('view aggregated', canList, 30_000);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('impersonation and ServiceAccount admission', { timeout: 60_000 }, () => {
  it('the admin acting as a ServiceAccount bound to view lists pods but may not delete them', async () => {
    const as = ['-n', 'imp', `--as=${VIEWER}`];
    const [list, del, rules, canDelete] = await Promise.all([
      k(['get', 'pods', '-o', 'name', ...as]),
      k(['delete', 'pod', 'web', ...as]),
      k(['auth', 'can-i', '--list', ...as]),
      k(['auth', 'can-i', 'delete', 'pods', ...as]),
    ]);
    assert.equal(ok(list, 'list as viewer').trim(), 'pod/web');
    assert.notEqual(del.code, 0);
    assert.match(
      del.stderr,
      /Error from server \(Forbidden\): pods "web" is forbidden: User "system:serviceaccount:imp:viewer" cannot delete resource "pods" in API group "" in the namespace "imp"/,
    );
    assert.match(ok(rules, 'can-i --list'), /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.equal(canDelete.stdout.trim(), 'no');
    const event = await auditEvent('the impersonated list', (e) => e.verb === 'list' && e.impersonatedUser?.username === VIEWER);
    assert.equal(event.user.username, 'kubernetes-admin');
    assert.deepEqual(event.impersonatedUser?.groups, ['system:serviceaccounts', 'system:serviceaccounts:imp', 'system:authenticated']);
  });

  it('a user without the impersonate verb gets 403', async () => {
    const token = ok(await k(['create', 'token', 'viewer', '-n', 'imp']), 'create token').trim();
    const viewer = await tokenKubectl('viewer', token);
    // --raw: discovery's client reads no Status from a refusal (kubectl says "unknown", as with upstream)
    const [own, escalated] = await Promise.all([
      viewer(['get', 'pods', '-n', 'imp', '-o', 'name']),
      viewer(['get', '--raw', '/api/v1/namespaces/imp/pods', '--as=admin']),
    ]);
    assert.equal(ok(own, 'list with its own token').trim(), 'pod/web');
    assert.notEqual(escalated.code, 0);
    assert.match(
      escalated.stderr,
      /Error from server \(Forbidden\): users "admin" is forbidden: User "system:serviceaccount:imp:viewer" cannot impersonate resource "users" in API group "" at the cluster scope/,
    );
    const denied = await auditEvent('the refused impersonation', (e) => e.user.username === VIEWER && e.responseStatus?.code === 403);
    assert.equal(denied.impersonatedUser, undefined);
  });

  it('auth whoami shows the impersonated user, groups and uid', async () => {
    const versions: KubectlVersion[] = ['1.28', '1.33'];
    const results = await Promise.all(
      versions.map((v) =>
        kubectl(
          v,
          server.kubeconfig,
          join(dir, `cache-${v}`),
        )(['auth', 'whoami', '--as=jane', '--as-group=dev', '--as-uid=42', '-o', 'json']),
      ),
    );
    for (const [i, r] of results.entries()) {
      const review = JSON.parse(ok(r, `whoami with kubectl ${versions[i]}`)) as { status: { userInfo: unknown } };
      assert.deepEqual(review.status.userInfo, { username: 'jane', uid: '42', groups: ['dev', 'system:authenticated'] });
    }
  });

  it('a pod gets the kube-api-access volume, mounted read-only, and kube-root-ca.crt is published', async () => {
    const pod = JSON.parse(ok(await k(['get', 'pod', 'web', '-n', 'imp', '-o', 'json']), 'get pod')) as {
      spec: {
        serviceAccountName: string;
        volumes: { name: string; projected?: { sources: unknown[] } }[];
        containers: { volumeMounts: unknown[] }[];
      };
    };
    assert.equal(pod.spec.serviceAccountName, 'default');
    const [volume] = pod.spec.volumes;
    assert.match(volume?.name ?? '', /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume?.projected?.sources[0], { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
    assert.deepEqual(pod.spec.containers[0]?.volumeMounts, [
      { name: volume?.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ]);
    const yaml = ok(await k(['get', 'pod', 'web', '-n', 'imp', '-o', 'yaml']), 'get pod -o yaml');
    assert.match(yaml, /name: kube-root-ca\.crt/);
    await eventually(
      'kube-root-ca.crt in imp',
      async () => (await k(['get', 'configmap', 'kube-root-ca.crt', '-n', 'imp'])).code === 0,
      10_000,
    );
    const ca = ok(await k(['get', 'configmap', 'kube-root-ca.crt', '-n', 'imp', '-o', 'jsonpath={.data.ca\\.crt}']), 'ca.crt');
    assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
  });

  it('a pod of a missing ServiceAccount is refused; automount false leaves the volume out', async () => {
    const [missing, manual] = await Promise.all([
      k(['run', 'ghostly', '--image=busybox', '-n', 'imp', '--overrides={"spec":{"serviceAccountName":"ghost"}}']),
      k(['run', 'manual', '--image=busybox', '-n', 'imp', '--overrides={"spec":{"automountServiceAccountToken":false}}']),
    ]);
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /Error from server \(Forbidden\): pods "ghostly" is forbidden: error looking up service account imp\/ghost: serviceaccount "ghost" not found/,
    );
    ok(manual, 'run manual');
    assert.equal(ok(await k(['get', 'pod', 'manual', '-n', 'imp', '-o', 'jsonpath={.spec.volumes}']), 'volumes').trim(), '');
  });

  it('PodSecurity annotates the audit events of pod creates', async () => {
    ok(await k(['run', 'loose', '--image=busybox', '-n', 'audited']), 'run loose');
    const created = await auditEvent(
      'the pod create in audited',
      (e) =>
        e.verb === 'create' && e.objectRef?.resource === 'pods' && e.objectRef.namespace === 'audited' && e.stage === 'ResponseComplete',
    );
    assert.equal(created.annotations?.['pod-security.kubernetes.io/enforce-policy'], 'privileged:latest');
    assert.match(
      created.annotations?.['pod-security.kubernetes.io/audit-violations'] ?? '',
      /^would violate PodSecurity "restricted:latest": /,
    );
    assert.equal(created.annotations?.['authorization.k8s.io/decision'], 'allow');
  });
});
