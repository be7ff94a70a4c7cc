/**
 * API Priority and Fairness end to end against `k8ts server --disable-agent
 * --max-requests-inflight 2 --max-mutating-requests-inflight 1`: kubectl lists the bootstrap
 * FlowSchemas and PriorityLevelConfigurations with upstream's columns; a client-certificate user
 * bound to `edit` is classified (X-Kubernetes-PF-* headers), queued behind a held seat of global-default, and
 * turned away with 429 + Retry-After by a Reject level while the admin (exempt) is served; a
 * FlowSchema naming a missing level is Dangling. A second server with
 * --enable-priority-and-fairness=false answers the user's extra mutating request 429 at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { ApiClient, readKubeconfig, type Response } from './support/http.js';
import { eventually } from './support/wait.js';
import { ensureKubeconfig, pkiPaths } from '../src/pki/index.js';

let server: TestServer;
let fallback: TestServer;
let cache: string;
let admin: Kubectl;
let carolConf: string;
let carol: ApiClient;
let fallbackCarolConf: string;

const LIMITS = ['--disable-agent', '--max-requests-inflight', '2', '--max-mutating-requests-inflight', '1'];

/** carol's kubeconfig on a server, bound to `edit` in default: her POST then waits for its body, holding its seat. */
async function carolOn(s: TestServer, name: string): Promise<string> {
  const conf = await ensureKubeconfig(cache, s.url, pkiPaths(s.dataDir), { file: `${name}.conf`, user: 'carol', groups: [] });
  const k = kubectl('1.33', s.kubeconfig, join(cache, name));
  ok(await k(['create', 'rolebinding', 'carol-edit', '--clusterrole', 'edit', '--user', 'carol', '-n', 'default']), 'rolebinding');
  return conf;
}

before(async () => {
  cache = await mkdtemp(join(tmpdir(), 'k8ts-apf-'));
  [server, fallback] = await Promise.all([
    startServer({ args: LIMITS }),
    startServer({ args: [...LIMITS, '--enable-priority-and-fairness=false'] }),
  ]);
  admin = kubectl('1.33', server.kubeconfig, join(cache, 'admin'));
  [carolConf, fallbackCarolConf] = await Promise.all([carolOn(server, 'carol'), carolOn(fallback, 'fallback-carol')]);
  carol = new ApiClient(carolConf, { maxSockets: 64 });
});

after(async () => {
  carol?.close();
  await Promise.all([server?.stop(), fallback?.stop()]);
  await Promise.all([server?.cleanup(), fallback?.cleanup()]);
  if (cache) await rm(cache, { recursive: true, force: true });
});

/**
 * A POST whose body is held back: it holds its seat from `ready` (the server answered its
 * `Expect: 100-continue`, so it is past admission) until `finish()`.
 */
function heldRequest(path: string, conf = carolConf): { ready: Promise<void>; finish: () => Promise<number> } {
  const tls = readKubeconfig(conf);
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'held-' } });
  let settle: (status: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    settle = resolve;
  });
  const req = request(new URL(path, tls.server), {
    method: 'POST',
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    agent: false,
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), Expect: '100-continue' },
  });
  const ready = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  req.on('response', (res) => {
    res.resume();
    res.on('end', () => settle(res.statusCode ?? 0));
  });
  req.on('error', () => settle(0));
  req.flushHeaders();
  return {
    ready,
    finish: () => {
      req.end(body);
      return done;
    },
  };
}

const header = (r: Response, name: string): string => String(r.headers[name.toLowerCase()] ?? '');
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

describe('API Priority and Fairness', { timeout: 120_000 }, () => {
  it('serves the bootstrap configuration with upstream columns', async () => {
    const [fs, pl] = await Promise.all([admin(['get', 'flowschemas']), admin(['get', 'prioritylevelconfigurations'])]);
    const fsOut = ok(fs, 'get flowschemas');
    assert.match(fsOut, /^NAME\s+PRIORITYLEVEL\s+MATCHINGPRECEDENCE\s+DISTINGUISHERMETHOD\s+AGE\s+MISSINGPL$/m);
    assert.match(fsOut, /^exempt\s+exempt\s+1\s+<none>\s+\S+\s+False$/m);
    assert.match(fsOut, /^global-default\s+global-default\s+9900\s+ByUser\s+/m);
    assert.match(fsOut, /^catch-all\s+catch-all\s+10000\s+ByUser\s+/m);
    for (const name of [
      'probes',
      'system-leader-election',
      'endpoint-controller',
      'workload-leader-election',
      'system-node-high',
      'system-nodes',
      'kube-controller-manager',
      'kube-scheduler',
      'kube-system-service-accounts',
      'service-accounts',
    ]) {
      assert.match(fsOut, new RegExp(`^${name}\\s`, 'm'));
    }
    const plOut = ok(pl, 'get prioritylevelconfigurations');
    assert.match(plOut, /^NAME\s+TYPE\s+NOMINALCONCURRENCYSHARES\s+QUEUES\s+HANDSIZE\s+QUEUELENGTHLIMIT\s+AGE$/m);
    assert.match(plOut, /^exempt\s+Exempt\s+<none>\s+<none>\s+<none>\s+<none>\s+/m);
    assert.match(plOut, /^catch-all\s+Limited\s+5\s+<none>\s+<none>\s+<none>\s+/m);
    assert.match(plOut, /^global-default\s+Limited\s+20\s+128\s+6\s+50\s+/m);
    for (const name of ['system', 'node-high', 'leader-election', 'workload-high', 'workload-low'])
      assert.match(plOut, new RegExp(`^${name}\\s+Limited`, 'm'));
  });

  it('queues a user behind the one seat of global-default, and classifies with headers', async () => {
    const uids = JSON.parse(
      ok(await admin(['get', 'flowschema/global-default', 'prioritylevelconfiguration/global-default', '-o', 'json']), 'get'),
    ) as { items: { metadata: { uid: string } }[] };
    let first = await carol.request('GET', CONFIGMAPS);
    await eventually('carol`s rolebinding is in force', async () => {
      first = await carol.request('GET', CONFIGMAPS);
      return first.status === 200;
    });
    assert.equal(header(first, 'X-Kubernetes-PF-FlowSchema-UID'), uids.items[0]?.metadata.uid);
    assert.equal(header(first, 'X-Kubernetes-PF-PriorityLevel-UID'), uids.items[1]?.metadata.uid);
    // global-default's NominalCL: ceil(3 × 20 / 245) = 1 seat; the held POST takes it
    const held = heldRequest(CONFIGMAPS);
    await held.ready;
    let answered = 0;
    const queued = Array.from({ length: 5 }, async () => {
      const r = await carol.request('GET', CONFIGMAPS);
      answered++;
      return r;
    });
    const adminPods = await admin(['get', 'pods', '-A']);
    ok(adminPods, 'the exempt admin is served while the level is full');
    assert.equal(answered, 0, 'requests wait in their queues while the seat is held');
    assert.equal(await held.finish(), 201);
    for (const r of await Promise.all(queued)) assert.equal(r.status, 200, `queued then served: ${r.status} ${r.body}`);
  });

  it('answers 429 with Retry-After from a Reject level while the admin is served', async () => {
    const config = [
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: k8ts-strict}\n' +
        'spec: {type: Limited, limited: {nominalConcurrencyShares: 1, limitResponse: {type: Reject}}}',
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: FlowSchema\nmetadata: {name: k8ts-strict}\n' +
        'spec:\n  priorityLevelConfiguration: {name: k8ts-strict}\n  matchingPrecedence: 300\n  distinguisherMethod: {type: ByUser}\n' +
        '  rules: [{subjects: [{kind: User, user: {name: carol}}], resourceRules: [{verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"]}]}]',
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: FlowSchema\nmetadata: {name: k8ts-dangling}\n' +
        'spec:\n  priorityLevelConfiguration: {name: k8ts-missing}\n  rules: [{subjects: [{kind: Group, group: {name: nobody}}], nonResourceRules: [{verbs: ["*"], nonResourceURLs: ["*"]}]}]',
    ].join('\n---\n');
    ok(await admin(['apply', '-f', '-'], { input: config }), 'apply');
    const uid = ok(await admin(['get', 'flowschema', 'k8ts-strict', '-o', 'jsonpath={.metadata.uid}']), 'uid');
    await eventually(
      'carol is classified by k8ts-strict',
      async () => header(await carol.request('GET', CONFIGMAPS), 'X-Kubernetes-PF-FlowSchema-UID') === uid,
    );
    const held = heldRequest(CONFIGMAPS);
    await held.ready;
    const [burst, pods] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => carol.request('GET', CONFIGMAPS))),
      admin(['get', 'pods', '-A']),
    ]);
    ok(pods, 'admin served during the burst');
    for (const r of burst) {
      assert.equal(r.status, 429, r.body);
      assert.ok(Number(header(r, 'Retry-After')) >= 1, `Retry-After ${header(r, 'Retry-After')}`);
      assert.equal(r.body, 'Too many requests, please try again later.\n');
    }
    assert.equal(await held.finish(), 201);
    await eventually('the seat is free again', async () => (await carol.request('GET', CONFIGMAPS)).status === 200);
    await eventually('k8ts-dangling is marked Dangling', async () => {
      const out = ok(await admin(['get', 'flowschema', 'k8ts-dangling']), 'get');
      return /^k8ts-dangling\s+k8ts-missing\s+1000\s+<none>\s+\S+\s+True$/m.test(out);
    });
    const dangling = JSON.parse(ok(await admin(['get', 'flowschema', 'k8ts-dangling', '-o', 'json']), 'get')) as {
      status: { conditions: { type: string; status: string; reason: string; message: string }[] };
    };
    assert.deepEqual(
      dangling.status.conditions.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        [
          'Dangling',
          'True',
          'NotFound',
          'This FlowSchema references the PriorityLevelConfiguration object named "k8ts-missing" but there is no such object',
        ],
      ],
    );
  });

  it('falls back to the max-in-flight limit with --enable-priority-and-fairness=false', async () => {
    const fallbackCarol = new ApiClient(fallbackCarolConf, { maxSockets: 8 });
    const fallbackAdmin = kubectl('1.33', fallback.kubeconfig, join(cache, 'fallback-admin'));
    try {
      await eventually('carol`s rolebinding is in force', async () => (await fallbackCarol.request('GET', CONFIGMAPS)).status === 200);
      const held = heldRequest(CONFIGMAPS, fallbackCarolConf);
      await held.ready;
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'extra-' } };
      const [post, get, adminCreate] = await Promise.all([
        fallbackCarol.request('POST', CONFIGMAPS, body),
        fallbackCarol.request('GET', CONFIGMAPS),
        fallbackAdmin(['create', 'configmap', 'by-admin', '-n', 'default']),
      ]);
      assert.equal(post.status, 429, post.body);
      assert.equal(header(post, 'Retry-After'), '1');
      assert.equal(post.body, 'Too many requests, please try again later.\n');
      assert.equal(header(post, 'X-Kubernetes-PF-FlowSchema-UID'), '', 'no APF headers without APF');
      assert.equal(get.status, 200, 'read-only requests have their own seats');
      ok(adminCreate, 'system:masters is not limited');
      assert.equal(await held.finish(), 201);
    } finally {
      fallbackCarol.close();
    }
  });
});
