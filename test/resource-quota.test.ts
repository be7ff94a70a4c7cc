/**
 * ResourceQuota with real kubectl against `k8ts server --disable-agent`: the controller fills a
 * quota's status, a pod over quota is refused with upstream's `exceeded quota` message, a quota
 * on limits refuses a pod without them until a LimitRange gives defaults, object counts and
 * scopes are charged, `kubectl describe quota` (1.27 and 1.33) shows Used/Hard, usage drops
 * after a deletion, parallel creates against `pods: 3` admit exactly 3, and a PriorityClass limited
 * by the ResourceQuotaConfiguration needs a quota covering its scope.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { eventually } from './support/wait.js';

let server: TestServer;
let cache: string;
let k: Kubectl;
let k27: Kubectl;

const quota = (namespace: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace },
  spec,
});

function pod(namespace: string, name: string, resources?: Record<string, unknown>) {
  const container = { name: 'c', image: 'busybox', ...(resources ? { resources } : {}) };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [container] } };
}

const create = (obj: unknown) => k(['create', '-f', '-'], { input: JSON.stringify(obj) });

/** `kubectl describe quota`'s Resource/Used/Hard rows as `name used hard`. */
async function describeRows(kc: Kubectl, namespace: string, name: string): Promise<string[]> {
  const out = ok(await kc(['describe', 'quota', name, '-n', namespace]), `describe quota ${name}`);
  const lines = out.split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  const header = lines.indexOf('Resource Used Hard');
  assert.ok(header >= 0, `no Resource/Used/Hard table in:\n${out}`);
  return lines.slice(header + 2).filter((l) => l !== '');
}

const used = async (namespace: string, name: string): Promise<Record<string, string>> =>
  JSON.parse(ok(await k(['get', 'quota', name, '-n', namespace, '-o', 'jsonpath={.status.used}']), 'get quota') || '{}');

const QUOTAS = [
  quota('q-limits', 'compute', { hard: { pods: '5', 'requests.cpu': '1', 'limits.cpu': '2', 'limits.memory': '1Gi' } }),
  quota('q-count', 'objects', { hard: { configmaps: '3', 'count/secrets': '1', 'services.nodeports': '1' } }),
  quota('q-race', 'race', { hard: { pods: '3' } }),
  quota('q-scope', 'best-effort', { hard: { pods: '1' }, scopes: ['BestEffort'] }),
  quota('q-critical', 'critical', {
    hard: { pods: '10' },
    scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['cluster-services'] }] },
  }),
];

before(async () => {
  cache = await mkdtemp(join(tmpdir(), 'k8ts-quota-'));
  // pods of the cluster-services PriorityClass only where a quota covers that scope (upstream's docs example)
  const config = join(cache, 'admission.yaml');
  await writeFile(
    config,
    [
      'apiVersion: apiserver.config.k8s.io/v1',
      'kind: AdmissionConfiguration',
      'plugins:',
      '- name: ResourceQuota',
      '  configuration:',
      '    apiVersion: apiserver.config.k8s.io/v1',
      '    kind: ResourceQuotaConfiguration',
      '    limitedResources:',
      '    - resource: pods',
      '      matchScopes:',
      '      - {scopeName: PriorityClass, operator: In, values: [cluster-services]}',
    ].join('\n'),
  );
  server = await startServer({ args: ['--disable-agent', '--admission-control-config-file', config] });
  k = kubectl('1.33', server.kubeconfig, join(cache, '1.33'));
  k27 = kubectl('1.27', server.kubeconfig, join(cache, '1.27'));
  const namespaces = ['q-limits', 'q-count', 'q-race', 'q-scope', 'q-critical'].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));
  ok(await k(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaces }) }), 'namespaces');
  // every namespace gets the kube-root-ca.crt ConfigMap (the root CA publisher): it is there before
  // the quotas, so their first count has it (a create racing the quota's first status is not charged)
  await eventually(
    'kube-root-ca.crt in q-count',
    async () => (await k(['get', 'configmap', 'kube-root-ca.crt', '-n', 'q-count'])).code === 0,
    30_000,
    500,
  );
  ok(await k(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: QUOTAS }) }), 'quotas');
  // admission charges a quota once the controller has given it status.hard and status.used
  await eventually(
    'every quota has its status',
    async () => {
      const out = ok(await k(['get', 'quota', '-A', '-o', 'jsonpath={range .items[*]}{.status.used}{"\\n"}{end}']), 'quotas');
      return out.split('\n').filter((l) => l.startsWith('{')).length === QUOTAS.length;
    },
    30_000,
    500,
  );
  await eventually('kube-root-ca.crt is counted', async () => (await used('q-count', 'objects'))['configmaps'] === '1', 30_000, 500);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('ResourceQuota', { timeout: 60_000, concurrency: true }, () => {
  it('a quota on limits refuses a pod without them; LimitRange defaults let it in; over quota is refused; describe shows usage that drops after deletion', async () => {
    const bare = await create(pod('q-limits', 'bare'));
    assert.notEqual(bare.code, 0);
    assert.match(
      bare.stderr,
      /pods "bare" is forbidden: failed quota: compute: must specify limits\.cpu for: c; limits\.memory for: c; requests\.cpu for: c/,
    );
    const limitRange = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: 'q-limits' },
      spec: { limits: [{ type: 'Container', default: { cpu: '1', memory: '256Mi' }, defaultRequest: { cpu: '400m', memory: '128Mi' } }] },
    };
    ok(await create(limitRange), 'limitrange');
    ok(await create(pod('q-limits', 'defaulted')), 'a pod given defaults by the LimitRange');
    ok(await create(pod('q-limits', 'sized', { requests: { cpu: '500m' }, limits: { cpu: '500m', memory: '512Mi' } })), 'sized pod');
    const over = await create(pod('q-limits', 'over', { requests: { cpu: '200m' }, limits: { cpu: '200m', memory: '64Mi' } }));
    assert.notEqual(over.code, 0);
    assert.match(
      over.stderr,
      /pods "over" is forbidden: exceeded quota: compute, requested: requests\.cpu=200m, used: requests\.cpu=900m, limited: requests\.cpu=1/,
    );
    const want = ['limits.cpu 1500m 2', 'limits.memory 768Mi 1Gi', 'pods 2 5', 'requests.cpu 900m 1'];
    const [rows33, rows27] = await Promise.all([describeRows(k, 'q-limits', 'compute'), describeRows(k27, 'q-limits', 'compute')]);
    assert.deepEqual(rows33, want, 'kubectl 1.33 describe quota');
    assert.deepEqual(rows27, want, 'kubectl 1.27 describe quota');
    ok(await k(['delete', 'pod', 'sized', '-n', 'q-limits', '--wait=false']), 'delete');
    await eventually(
      'usage drops after the deletion',
      async () => (await used('q-limits', 'compute'))['requests.cpu'] === '400m',
      30_000,
      500,
    );
    assert.deepEqual(await describeRows(k, 'q-limits', 'compute'), [
      'limits.cpu 1 2',
      'limits.memory 256Mi 1Gi',
      'pods 1 5',
      'requests.cpu 400m 1',
    ]);
  });

  it('object counts: configmaps (kube-root-ca.crt among them), count/secrets and services.nodeports; a deleted configmap is given back', async () => {
    ok(await k(['create', 'configmap', 'a', '-n', 'q-count']), 'configmap a');
    ok(await k(['create', 'configmap', 'b', '-n', 'q-count']), 'configmap b');
    const c = await k(['create', 'configmap', 'c', '-n', 'q-count']);
    assert.notEqual(c.code, 0);
    assert.match(
      c.stderr,
      /configmaps "c" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=3, limited: configmaps=3/,
    );
    ok(await k(['create', 'secret', 'generic', 's1', '-n', 'q-count']), 'secret s1');
    const s2 = await k(['create', 'secret', 'generic', 's2', '-n', 'q-count']);
    assert.match(s2.stderr, /exceeded quota: objects, requested: count\/secrets=1, used: count\/secrets=1, limited: count\/secrets=1/);
    ok(await k(['create', 'service', 'nodeport', 'np1', '--tcp=80', '-n', 'q-count']), 'nodeport service');
    const np2 = await k(['create', 'service', 'nodeport', 'np2', '--tcp=80', '-n', 'q-count']);
    assert.match(
      np2.stderr,
      /exceeded quota: objects, requested: services\.nodeports=1, used: services\.nodeports=1, limited: services\.nodeports=1/,
    );
    assert.deepEqual(await describeRows(k27, 'q-count', 'objects'), ['configmaps 3 3', 'count/secrets 1 1', 'services.nodeports 1 1']);
    ok(await k(['delete', 'configmap', 'a', '-n', 'q-count']), 'delete configmap a');
    await eventually(
      'the deleted configmap is no longer counted',
      async () => (await used('q-count', 'objects'))['configmaps'] === '2',
      30_000,
      500,
    );
    ok(await k(['create', 'configmap', 'c', '-n', 'q-count']), 'configmap c fits again');
  });

  it('parallel creates against pods: 3 admit exactly 3', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => create(pod('q-race', `p${i}`))));
    const admitted = results.filter((r) => r.code === 0);
    assert.equal(admitted.length, 3, results.map((r) => r.stderr).join(''));
    for (const r of results.filter((x) => x.code !== 0)) {
      assert.match(r.stderr, /exceeded quota: race, requested: pods=1, used: pods=3, limited: pods=3/);
    }
    assert.equal((await used('q-race', 'race'))['pods'], '3');
    const listed = ok(await k(['get', 'pods', '-n', 'q-race', '-o', 'name']), 'pods')
      .trim()
      .split('\n');
    assert.equal(listed.length, 3);
  });

  it('a BestEffort-scoped quota charges only BestEffort pods', async () => {
    ok(await create(pod('q-scope', 'be1')), 'first BestEffort pod');
    const be2 = await create(pod('q-scope', 'be2'));
    assert.match(be2.stderr, /exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1/);
    ok(await create(pod('q-scope', 'burstable', { requests: { cpu: '100m' } })), 'a Burstable pod is outside the scope');
  });

  it('a PriorityClass limited by the ResourceQuotaConfiguration needs a quota covering its scope', async () => {
    const priorityClass = {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'cluster-services' },
      value: 1000,
    };
    ok(await create(priorityClass), 'priority class');
    const critical = (namespace: string) => {
      const p = pod(namespace, 'critical');
      (p.spec as Record<string, unknown>)['priorityClassName'] = 'cluster-services';
      return p;
    };
    const refused = await create(critical('q-scope'));
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /insufficient quota to match these scopes: \[\{PriorityClass In \[cluster-services\]\}\]/);
    ok(await create(critical('q-critical')), 'a critical pod where a quota covers the scope');
  });
});
