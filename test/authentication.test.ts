/**
 * Authentication end to end with real kubectl against `k8ts server --disable-agent`, every
 * client on a token-only command line (`--server`, `--certificate-authority`, `--token`): a
 * static token (--token-auth-file), a bootstrap token (and the tokencleaner removing an expired
 * one), a ServiceAccount bound to `view` through a pod-bound `kubectl create token` token that
 * stops working once the pod is gone, a legacy Secret token filled in by the token controller,
 * TokenReview, anonymous requests (403/200, and 401 on a second server with
 * --anonymous-auth=false) and the service account issuer discovery endpoints.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, type KubectlResult, ok } from './support/kubectl.js';
import { ApiClient } from './support/http.js';
import { eventually } from './support/wait.js';
import { pkiPaths } from '../src/pki/index.js';

let server: TestServer;
let closed: TestServer;
let cache: string;
let admin: Kubectl;
let anonymousClient: ApiClient;
let closedClient: ApiClient;
let adminClient: ApiClient;
/** kubectl with no credentials but the token flags it is given. */
let bare: Kubectl;

const STATIC_TOKEN = 'k8ts-static-token-31415926';
const BOOTSTRAP = { id: 'abcdef', secret: '0123456789abcdef' };
const EXPIRED = { id: 'zzzzzz', secret: 'fedcba9876543210' };

before(async () => {
  cache = await mkdtemp(join(tmpdir(), 'k8ts-authn-'));
  const tokenFile = join(cache, 'tokens.csv');
  await writeFile(tokenFile, `${STATIC_TOKEN},alice,1001,"devs,qa"\n`);
  [server, closed] = await Promise.all([
    startServer({ args: ['--disable-agent', '--token-auth-file', tokenFile, '--enable-bootstrap-token-auth'] }),
    startServer({ args: ['--disable-agent', '--disable-controllers', '--anonymous-auth=false'] }),
  ]);
  admin = kubectl('1.33', server.kubeconfig, join(cache, 'admin'));
  const empty = join(cache, 'empty.conf');
  await writeFile(empty, 'apiVersion: v1\nkind: Config\n');
  bare = kubectl('1.33', empty, join(cache, 'bare'));
  anonymousClient = new ApiClient(server.kubeconfig, { anonymous: true });
  closedClient = new ApiClient(closed.kubeconfig, { anonymous: true });
  adminClient = new ApiClient(server.kubeconfig);
});

after(async () => {
  anonymousClient?.close();
  closedClient?.close();
  adminClient?.close();
  await Promise.all([server?.stop(), closed?.stop()]);
  await Promise.all([server?.cleanup(), closed?.cleanup()]);
  if (cache) await rm(cache, { recursive: true, force: true });
});

/** kubectl as the bearer of `token`, trusting the cluster CA. */
function withToken(token: string): (args: string[], input?: string) => Promise<KubectlResult> {
  const ca = pkiPaths(server.dataDir).caCert;
  return (args, input) =>
    bare([...args, '--server', server.url, '--certificate-authority', ca, '--token', token], input === undefined ? {} : { input });
}

interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

async function whoami(token: string): Promise<UserInfo> {
  const review = JSON.parse(ok(await withToken(token)(['auth', 'whoami', '-o', 'json']), 'auth whoami')) as {
    status: { userInfo: UserInfo };
  };
  return review.status.userInfo;
}

const gone = async (path: string) => (await adminClient.request('GET', path)).status === 404;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const UNAUTHORIZED = /You must be logged in to the server \(Unauthorized\)/;

const SETUP = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: reader, namespace: team-a}',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: reader-view, namespace: team-a}\n' +
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n' +
    'subjects: [{kind: ServiceAccount, name: reader, namespace: team-a}]',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: holder, namespace: team-a}\n' +
    'spec: {serviceAccountName: reader, containers: [{name: c, image: busybox}]}',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: app-config, namespace: team-a}\nstringData: {k: v}',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: reader-token, namespace: team-a, annotations: {kubernetes.io/service-account.name: reader}}\n' +
    'type: kubernetes.io/service-account-token',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: ghost-token, namespace: team-a, annotations: {kubernetes.io/service-account.name: ghost}}\n' +
    'type: kubernetes.io/service-account-token',
  ...[
    { ...BOOTSTRAP, expiration: new Date(Date.now() + 3_600_000).toISOString() },
    { ...EXPIRED, expiration: new Date(Date.now() - 1000).toISOString() },
  ].map(
    (t) =>
      `apiVersion: v1\nkind: Secret\nmetadata: {name: bootstrap-token-${t.id}, namespace: kube-system}\n` +
      'type: bootstrap.kubernetes.io/token\n' +
      `data: {token-id: ${b64(t.id)}, token-secret: ${b64(t.secret)}, expiration: ${b64(t.expiration)}, ` +
      `usage-bootstrap-authentication: ${b64('true')}, auth-extra-groups: ${b64('system:bootstrappers:workers')}}`,
  ),
].join('\n---\n');

describe('authentication', { timeout: 90_000 }, () => {
  let podToken = '';

  it('authenticates a static token, a bootstrap token and a pod-bound service account token', async () => {
    ok(await admin(['apply', '-f', '-'], { input: SETUP }), 'setup');
    podToken = ok(
      await admin(['create', 'token', 'reader', '-n', 'team-a', '--bound-object-kind', 'Pod', '--bound-object-name', 'holder']),
      'create token',
    ).trim();
    const bind = (name: string, uid?: string) =>
      admin([
        'create',
        'token',
        'reader',
        '-n',
        'team-a',
        '--bound-object-kind',
        'Pod',
        '--bound-object-name',
        name,
        ...(uid ? ['--bound-object-uid', uid] : []),
      ]);
    const [alice, bootstrap, reader, missing, recreated] = await Promise.all([
      whoami(STATIC_TOKEN),
      whoami(`${BOOTSTRAP.id}.${BOOTSTRAP.secret}`),
      whoami(podToken),
      bind('nope'),
      bind('holder', '00000000-0000-0000-0000-000000000000'),
    ]);
    assert.match(missing.stderr, /pods "nope" not found/);
    assert.match(
      recreated.stderr,
      /the UID in the bound object reference \(00000000-0000-0000-0000-000000000000\) does not match the UID in record/,
    );
    assert.deepEqual(alice, { username: 'alice', uid: '1001', groups: ['devs', 'qa', 'system:authenticated'] });
    assert.deepEqual(bootstrap, {
      username: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:bootstrappers:workers', 'system:authenticated'],
    });
    assert.equal(reader.username, 'system:serviceaccount:team-a:reader');
    assert.deepEqual(reader.groups, ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated']);
    assert.deepEqual(reader.extra?.['authentication.kubernetes.io/pod-name'], ['holder']);
    const pod = await adminClient.request('GET', '/api/v1/namespaces/team-a/pods/holder');
    const podUID = pod.json<{ metadata: { uid: string } }>().metadata.uid;
    assert.deepEqual(reader.extra?.['authentication.kubernetes.io/pod-uid'], [podUID]);
    assert.match(reader.extra?.['authentication.kubernetes.io/credential-id']?.[0] ?? '', /^JTI=[0-9a-f-]{36}$/);
  });

  it('lets a ServiceAccount bound to view list pods, and nothing more', async () => {
    const reader = withToken(podToken);
    const [pods, del, secrets, other, aliceList] = await Promise.all([
      reader(['get', 'pods', '-n', 'team-a', '-o', 'name']),
      reader(['delete', 'pod', 'holder', '-n', 'team-a']),
      reader(['get', 'secrets', '-n', 'team-a']),
      reader(['get', 'pods', '-n', 'default']),
      withToken(STATIC_TOKEN)(['get', 'pods']),
    ]);
    assert.equal(ok(pods, 'get pods').trim(), 'pod/holder');
    const user = 'User "system:serviceaccount:team-a:reader"';
    assert.match(
      del.stderr,
      new RegExp(`pods "holder" is forbidden: ${user} cannot delete resource "pods" in API group "" in the namespace "team-a"`),
    );
    assert.match(
      secrets.stderr,
      new RegExp(`secrets is forbidden: ${user} cannot list resource "secrets" in API group "" in the namespace "team-a"`),
    );
    assert.match(
      other.stderr,
      new RegExp(`pods is forbidden: ${user} cannot list resource "pods" in API group "" in the namespace "default"`),
    );
    assert.match(aliceList.stderr, /pods is forbidden: User "alice" cannot list resource "pods"/);
  });

  it('answers a TokenReview for the bound token and for garbage', async () => {
    const review = (token: string, audiences?: string[]) =>
      admin(['create', '-f', '-', '-o', 'yaml'], {
        input: JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenReview',
          spec: { token, ...(audiences ? { audiences } : {}) },
        }),
      });
    const [good, garbage, otherAudience] = await Promise.all([review(podToken), review('not-a-token'), review(STATIC_TOKEN, ['vault'])]);
    const goodYAML = ok(good, 'token review');
    assert.match(goodYAML, /kind: TokenReview/);
    assert.match(goodYAML, /authenticated: true/);
    assert.match(goodYAML, /username: system:serviceaccount:team-a:reader/);
    assert.match(goodYAML, /audiences:\n\s+- https:\/\/kubernetes\.default\.svc\.cluster\.local/);
    const garbageYAML = ok(garbage, 'garbage review');
    assert.doesNotMatch(garbageYAML, /authenticated: true/);
    assert.match(garbageYAML, /error: invalid bearer token/);
    assert.match(garbageYAML, /user: \{\}/);
    assert.doesNotMatch(ok(otherAudience, 'audience review'), /authenticated: true/);
  });

  it('serves the issuer discovery documents to service accounts, and their keys verify the tokens', async () => {
    const reader = withToken(podToken);
    const [config, jwks, anonymous] = await Promise.all([
      reader(['get', '--raw', '/.well-known/openid-configuration']),
      reader(['get', '--raw', '/openid/v1/jwks']),
      anonymousClient.request('GET', '/openid/v1/jwks'),
    ]);
    const doc = JSON.parse(ok(config, 'openid-configuration')) as Record<string, unknown>;
    assert.equal(doc['issuer'], 'https://kubernetes.default.svc.cluster.local');
    assert.equal(doc['jwks_uri'], `${server.url}/openid/v1/jwks`);
    assert.deepEqual(doc['response_types_supported'], ['id_token']);
    const keySet = createLocalJWKSet(JSON.parse(ok(jwks, 'jwks')));
    const { payload } = await jwtVerify(podToken, keySet, { issuer: doc['issuer'] as string });
    assert.equal(payload.sub, 'system:serviceaccount:team-a:reader');
    assert.equal(anonymous.status, 403);
  });

  it('fills a legacy token Secret, deletes one without its ServiceAccount, accepts the token while the Secret exists', async () => {
    let legacy = '';
    await eventually('the token controller fills reader-token', async () => {
      const secret = (await adminClient.request('GET', '/api/v1/namespaces/team-a/secrets/reader-token')).json<{
        data?: Record<string, string>;
      }>();
      legacy = Buffer.from(secret.data?.['token'] ?? '', 'base64').toString();
      return legacy !== '' && secret.data?.['ca.crt'] !== undefined && secret.data?.['namespace'] === b64('team-a');
    });
    const [who, pods] = await Promise.all([whoami(legacy), withToken(legacy)(['get', 'pods', '-n', 'team-a', '-o', 'name'])]);
    assert.equal(who.username, 'system:serviceaccount:team-a:reader');
    assert.equal(ok(pods, 'legacy get pods').trim(), 'pod/holder');
    await eventually('ghost-token deleted', async () => gone('/api/v1/namespaces/team-a/secrets/ghost-token'));
    ok(await admin(['delete', 'secret', 'reader-token', '-n', 'team-a']), 'delete secret');
    assert.match((await withToken(legacy)(['get', 'pods', '-n', 'team-a'])).stderr, UNAUTHORIZED);
  });

  it('refuses the pod-bound token once the pod is gone, and the expired bootstrap token (which the tokencleaner removes)', async () => {
    ok(await admin(['delete', 'pod', 'holder', '-n', 'team-a', '--wait=true']), 'delete pod');
    const [pods, expired] = await Promise.all([
      withToken(podToken)(['get', 'pods', '-n', 'team-a']),
      withToken(`${EXPIRED.id}.${EXPIRED.secret}`)(['get', 'pods']),
    ]);
    assert.match(pods.stderr, UNAUTHORIZED);
    assert.match(expired.stderr, UNAUTHORIZED);
    await eventually('the tokencleaner deletes the expired bootstrap token', async () =>
      gone(`/api/v1/namespaces/kube-system/secrets/bootstrap-token-${EXPIRED.id}`),
    );
  });

  it('answers anonymous requests per RBAC, bad credentials with 401, and with --anonymous-auth=false 401', async () => {
    const [pods, version, bad, closedVersion, closedPods] = await Promise.all([
      anonymousClient.request('GET', '/api/v1/pods'),
      anonymousClient.request('GET', '/version'),
      anonymousClient.request('GET', '/version', undefined, { Authorization: 'Bearer nonsense' }),
      closedClient.request('GET', '/version'),
      closedClient.request('GET', '/api/v1/pods'),
    ]);
    assert.equal(pods.status, 403);
    const forbidden = pods.json<{ kind: string; message: string; reason: string; code: number }>();
    assert.deepEqual([forbidden.kind, forbidden.reason, forbidden.code], ['Status', 'Forbidden', 403]);
    assert.equal(
      forbidden.message,
      'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope',
    );
    assert.equal(version.status, 200);
    const unauthorized = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    };
    for (const r of [bad, closedVersion, closedPods]) {
      assert.equal(r.status, 401);
      assert.deepEqual(r.json(), unauthorized);
    }
  });
});
