/**
 * Audit logging end to end: `k8ts server --audit-policy-file --audit-log-path` with a policy
 * (None for the control plane's users and for GET /healthz, Metadata for Secrets,
 * RequestResponse for ConfigMaps, Metadata without RequestReceived for the rest), real kubectl
 * actions, then the JSON lines of the log: levels, stages, objectRef, responseStatus, the
 * authorization annotations, a 401, a 403 and a 404, watch's ResponseStarted, the Audit-ID header,
 * and a Secret's data nowhere.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { eventually } from './support/wait.js';

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    users: ["system:kube-controller-manager", "system:kube-scheduler"]
  - level: None
    verbs: ["get"]
    nonResourceURLs: ["/healthz*"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
  - level: RequestResponse
    omitManagedFields: true
    resources:
      - group: ""
        resources: ["configmaps"]
  - level: Metadata
    omitStages: ["RequestReceived"]
`;

interface Event {
  level: string;
  auditID: string;
  stage: string;
  requestURI: string;
  verb: string;
  user: { username?: string; groups?: string[] };
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string; apiVersion?: string; apiGroup?: string };
  responseStatus?: { code: number; reason?: string; status?: string; message?: string };
  requestObject?: { data?: Record<string, string>; metadata?: Record<string, unknown> };
  responseObject?: { kind?: string; data?: Record<string, string>; metadata?: Record<string, unknown> };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

let server: TestServer;
let dir: string;
let k: Kubectl;
let logPath: string;

async function events(): Promise<Event[]> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  // whole lines only: the server may be writing the last one
  return text
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l) as Event);
}

async function eventsWhere(what: string, match: (e: Event) => boolean, count = 1): Promise<Event[]> {
  let found: Event[] = [];
  await eventually(what, async () => (found = (await events()).filter(match)).length >= count, 10_000);
  return found;
}

/** A kubeconfig of the server's cluster that authenticates with a bearer token only. */
async function tokenKubeconfig(name: string, token: string): Promise<Kubectl> {
  const admin = parse(await readFile(server.kubeconfig, 'utf8')) as { users: { name: string; user: Record<string, string> }[] };
  admin.users = admin.users.map((u) => ({ name: u.name, user: { token } }));
  const file = join(dir, `${name}.conf`);
  await writeFile(file, stringify(admin), { mode: 0o600 });
  return kubectl('1.33', file, join(dir, `cache-${name}`));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-audit-'));
  logPath = join(dir, 'audit.log');
  await writeFile(join(dir, 'policy.yaml'), POLICY);
  server = await startServer({
    args: ['--disable-agent', '--audit-policy-file', join(dir, 'policy.yaml'), '--audit-log-path', logPath],
  });
  k = kubectl('1.33', server.kubeconfig, join(dir, 'cache'));
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('audit logging', { timeout: 60_000 }, () => {
  it('records a Secret at Metadata, its data nowhere', async () => {
    ok(await k(['create', 'secret', 'generic', 'db', '--from-literal=password=hunter2-secret']), 'create secret');
    ok(await k(['get', 'secret', 'db', '-o', 'yaml']), 'get secret');
    const [created] = await eventsWhere(
      'the secret create',
      (e) => e.verb === 'create' && e.objectRef?.resource === 'secrets' && e.stage === 'ResponseComplete',
    );
    assert.equal(created?.level, 'Metadata');
    assert.deepEqual(created?.objectRef, { resource: 'secrets', namespace: 'default', name: 'db', apiVersion: 'v1' });
    assert.equal(created?.responseStatus?.code, 201);
    assert.equal(created?.user.username, 'kubernetes-admin');
    assert.deepEqual(created?.annotations, { 'authorization.k8s.io/decision': 'allow' });
    assert.equal(created?.requestObject, undefined);
    assert.match(created?.userAgent ?? '', /^kubectl/);
    assert.match(created?.stageTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const stages = (await events()).filter((e) => e.auditID === created?.auditID).map((e) => e.stage);
    assert.deepEqual(stages, ['RequestReceived', 'ResponseComplete']);
    await eventsWhere('the secret get', (e) => e.verb === 'get' && e.objectRef?.name === 'db' && e.stage === 'ResponseComplete');
    const log = await readFile(logPath, 'utf8');
    assert.ok(
      !log.includes('hunter2-secret') && !log.includes(Buffer.from('hunter2-secret').toString('base64')),
      'secret data in the audit log',
    );
    assert.ok(!server.stderr().includes('hunter2'), 'secret data in the server log');
  });

  it('records a ConfigMap at RequestResponse with both objects', async () => {
    ok(await k(['create', 'configmap', 'settings', '--from-literal=color=blue']), 'create configmap');
    const [done] = await eventsWhere(
      'the configmap create',
      (e) => e.verb === 'create' && e.objectRef?.name === 'settings' && e.stage === 'ResponseComplete',
    );
    assert.equal(done?.level, 'RequestResponse');
    assert.equal(done?.responseStatus?.code, 201);
    assert.deepEqual(done?.requestObject?.data, { color: 'blue' });
    assert.deepEqual(done?.responseObject?.data, { color: 'blue' });
    assert.equal(done?.responseObject?.metadata?.managedFields, undefined, 'omitManagedFields');
    assert.ok(done?.responseObject?.metadata?.uid);
  });

  it('records a 404 with its Status and the Audit-ID header', async () => {
    const r = await k(['get', 'configmap', 'missing', '-v=8']);
    assert.notEqual(r.code, 0);
    const id = /Audit-Id: ([0-9a-f-]{36})/i.exec(r.stderr)?.[1];
    assert.ok(id, `no Audit-Id header in: ${r.stderr.slice(0, 2000)}`);
    const [e] = await eventsWhere('the 404', (x) => x.auditID === id && x.stage === 'ResponseComplete');
    assert.equal(e?.responseStatus?.code, 404);
    assert.equal(e?.responseStatus?.reason, 'NotFound');
    assert.equal(e?.responseStatus?.status, 'Failure');
    assert.equal(e?.responseObject?.kind, 'Status');
  });

  it('records a 403 with the forbid decision and a 401 without a user', async () => {
    ok(await k(['create', 'serviceaccount', 'reader']), 'create sa');
    const token = ok(await k(['create', 'token', 'reader']), 'create token').trim();
    const asReader = await tokenKubeconfig('reader', token);
    assert.match((await asReader(['get', 'configmaps'])).stderr, /Forbidden|forbidden/);
    const [denied] = await eventsWhere(
      'the 403',
      (e) =>
        e.user.username === 'system:serviceaccount:default:reader' &&
        e.objectRef?.resource === 'configmaps' &&
        e.stage === 'ResponseComplete',
    );
    assert.equal(denied?.responseStatus?.code, 403);
    assert.equal(denied?.responseStatus?.reason, 'Forbidden');
    assert.equal(denied?.annotations?.['authorization.k8s.io/decision'], 'forbid');
    assert.equal(denied?.verb, 'list');
    const stranger = await tokenKubeconfig('stranger', 'not-a-token');
    assert.match((await stranger(['get', 'configmaps'])).stderr, /Unauthorized|credentials/);
    const [unauthorized] = await eventsWhere('the 401', (e) => e.responseStatus?.code === 401);
    assert.equal(unauthorized?.stage, 'ResponseStarted');
    assert.deepEqual(unauthorized?.user, {});
    assert.equal(unauthorized?.responseStatus?.message, 'Authentication failed, attempted: bearer');
    const log = await readFile(logPath, 'utf8');
    assert.ok(!log.includes(token) && !log.includes('not-a-token'), 'a token in the audit log');
  });

  it('writes ResponseStarted for a watch, omits stages and None requests', async () => {
    ok(await k(['get', '--raw', '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1']), 'watch');
    const [started] = await eventsWhere('the watch started', (e) => e.verb === 'watch' && e.stage === 'ResponseStarted');
    assert.equal(started?.responseStatus?.code, 200);
    const [complete] = await eventsWhere('the watch complete', (e) => e.auditID === started?.auditID && e.stage === 'ResponseComplete');
    assert.equal(complete?.responseObject, undefined);
    ok(await k(['get', '--raw', '/healthz']), 'healthz');
    ok(await k(['get', '--raw', '/version']), 'version');
    const [version] = await eventsWhere('the /version request', (e) => e.requestURI === '/version');
    assert.equal(version?.level, 'Metadata');
    assert.equal(version?.verb, 'get');
    assert.equal(version?.objectRef, undefined);
    const all = await events();
    assert.deepEqual(
      all.filter((e) => e.requestURI === '/version').map((e) => e.stage),
      ['ResponseComplete'],
    );
    assert.equal(all.filter((e) => e.requestURI.startsWith('/healthz')).length, 0);
    assert.equal(all.filter((e) => /^system:kube-(controller-manager|scheduler)$/.test(e.user.username ?? '')).length, 0);
  });
});
