import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreResources } from '../../api/core/resources.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Storage } from '../../storage/interface.js';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import { ApiRegistry } from '../api-registry.js';
import type { WriteOptions } from '../registry/context.js';
import { managedFieldsTracker } from '../registry/managed-fields-tracker.js';
import type { ResourceStore } from '../registry/store.js';
import { AdmissionChain, type AdmissionAttributes } from './interface.js';
import { QuotaEvaluator } from './resource-quota-evaluator.js';
import { ResourceQuotaAdmission } from './resource-quota.js';
import { parseResourceQuotaConfiguration } from './resource-quota-config.js';
import { evaluatorFor } from '../../quota/evaluators.js';

const write = (dryRun = false): WriteOptions => ({
  user: { name: 'admin', groups: ['system:masters'] },
  dryRun,
  fieldManager: 't',
  fieldValidation: 'Ignore',
  warnings: [],
});

let storage: Storage;
let registry: ApiRegistry;
let quotas: ResourceStore;
let pods: ResourceStore;
let services: ResourceStore;
let configmaps: ResourceStore;

function lookup(plural: string): ResourceStore {
  const store = registry.lookup('', 'v1', plural);
  assert.ok(store, plural);
  return store;
}

/** Waits (bounded) until the watch cache holds what storage has. */
async function cached(store: ResourceStore, namespace: string, name: string, rv: string | undefined): Promise<void> {
  for (let i = 0; i < 500 && store.cache.get(store.key(namespace, name))?.metadata.resourceVersion !== rv; i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(store.cache.get(store.key(namespace, name))?.metadata.resourceVersion, rv, 'watch cache caught up');
}

/** A quota as the controller leaves it: status.hard = spec.hard, status.used given. */
async function makeQuota(namespace: string, name: string, hard: Record<string, string>, used?: Record<string, string>, spec = {}) {
  await quotas.create(namespace, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name }, spec: { hard, ...spec } }, write());
  const status = used ? { hard, used } : { hard };
  const { obj } = await quotas.update({ namespace, name, subresource: 'status', tryUpdate: (q) => ({ ...q, status }) }, write());
  await cached(quotas, namespace, name, obj.metadata.resourceVersion);
}

async function storedUsed(namespace: string, name: string): Promise<unknown> {
  return (await quotas.read(namespace, name))?.obj['status'] as unknown;
}

const pod = (name: string, resources?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', ...(resources ? { resources } : {}) }] },
});

const forbidden = (message: string) => (err: unknown) => {
  assert.ok(isStatusError(err, 'Forbidden'), String(err));
  assert.equal(err.status.message, message);
  return true;
};

before(async () => {
  storage = await openSqliteStorage({ path: ':memory:' });
  const admission = new AdmissionChain();
  registry = new ApiRegistry({ storage, tracker: managedFieldsTracker, admission });
  admission.add(new ResourceQuotaAdmission({ quotas: () => registry.lookup('', 'v1', 'resourcequotas') }));
  for (const type of coreResources) await registry.add(type);
  quotas = lookup('resourcequotas');
  pods = lookup('pods');
  services = lookup('services');
  configmaps = lookup('configmaps');
});

after(async () => {
  registry.stop();
  await storage.close();
});

describe('ResourceQuota admission', () => {
  it('charges a create to status.used and refuses the one over quota with upstream’s message', async () => {
    await makeQuota('a', 'q', { pods: '2', 'requests.cpu': '1' }, { pods: '0', 'requests.cpu': '0' });
    await pods.create('a', pod('p1', { requests: { cpu: '600m' } }), write());
    assert.deepEqual(await storedUsed('a', 'q'), { hard: { pods: '2', 'requests.cpu': '1' }, used: { pods: '1', 'requests.cpu': '600m' } });
    await assert.rejects(
      pods.create('a', pod('p2', { requests: { cpu: '500m' } }), write()),
      forbidden(
        'pods "p2" is forbidden: exceeded quota: q, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1',
      ),
    );
    // refused: nothing charged; a dry run is checked but not charged either
    await pods.create('a', pod('p3', { requests: { cpu: '400m' } }), write(true));
    assert.deepEqual(((await storedUsed('a', 'q')) as { used: unknown }).used, { pods: '1', 'requests.cpu': '600m' });
  });

  it('concurrent creates never overspend: exactly the quota is admitted', async () => {
    await makeQuota('race', 'q', { pods: '3' }, { pods: '0' });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => pods.create('race', pod(`p${i}`), write())));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    for (const r of results) {
      if (r.status === 'rejected')
        assert.match((r.reason as Error).message, /exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3$/);
    }
    assert.deepEqual(((await storedUsed('race', 'q')) as { used: unknown }).used, { pods: '3' });
  });

  it('two apiservers charging one quota: the loser reads it again and re-checks its waiting requests', async () => {
    await makeQuota('w', 'q', { pods: '3' }, { pods: '0' });
    const evaluator = evaluatorFor('', 'pods');
    assert.ok(evaluator);
    const waiter = (name: string) => {
      const object = pod(name);
      object.metadata.namespace = 'w';
      const attrs: AdmissionAttributes = {
        operation: 'CREATE',
        type: pods.type,
        namespace: 'w',
        name,
        subresource: '',
        object,
        dryRun: false,
      };
      return { attrs, evaluator, delta: evaluator.usage(object, new Date()) };
    };
    const [one, two] = [new QuotaEvaluator({ quotas: () => quotas }), new QuotaEvaluator({ quotas: () => quotas })];
    // both read the quota at the same resourceVersion before either writes
    const results = await Promise.allSettled([
      one.evaluate('w', waiter('a')),
      one.evaluate('w', waiter('b')),
      two.evaluate('w', waiter('c')),
      two.evaluate('w', waiter('d')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
    );
    assert.match(
      String((results[3] as PromiseRejectedResult).reason),
      /exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3/,
    );
    assert.deepEqual(((await storedUsed('w', 'q')) as { used: unknown }).used, { pods: '3' });
  });

  it('a quota on cpu or memory needs each container to state it', async () => {
    await makeQuota('c', 'compute', { 'limits.memory': '1Gi', 'requests.cpu': '1' }, { 'limits.memory': '0', 'requests.cpu': '0' });
    await assert.rejects(
      pods.create('c', pod('bare'), write()),
      forbidden('pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: c; requests.cpu for: c'),
    );
  });

  it('a quota without usage for a tracked name refuses (status unknown); one without status is not enforced', async () => {
    await makeQuota('u', 'fresh', { pods: '1', 'requests.cpu': '1' }, { pods: '0' });
    await assert.rejects(
      pods.create('u', pod('p', { requests: { cpu: '1' } }), write()),
      forbidden('pods "p" is forbidden: status unknown for quota: fresh, resources: pods,requests.cpu'),
    );
    await makeQuota('n', 'new', { pods: '0' });
    const { obj } = await quotas.update(
      { namespace: 'n', name: 'new', subresource: 'status', tryUpdate: (q) => ({ ...q, status: {} }) },
      write(),
    );
    await cached(quotas, 'n', 'new', obj.metadata.resourceVersion);
    await pods.create('n', pod('p'), write());
  });

  it('object counts and the update of a service charge the difference', async () => {
    await makeQuota('o', 'objects', { configmaps: '1', 'services.loadbalancers': '1' }, { configmaps: '0', 'services.loadbalancers': '0' });
    await configmaps.create('o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, write());
    await assert.rejects(
      configmaps.create('o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }, write()),
      forbidden('configmaps "b" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1'),
    );
    const svc = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { type: 'ClusterIP', ports: [{ port: 80 }] },
    });
    const created = await services.create('o', svc('s'), write());
    await cached(services, 'o', 's', created.metadata.resourceVersion);
    const toLB = (cur: KubeObject) => ({ ...cur, spec: { ...(cur['spec'] as object), type: 'LoadBalancer' } });
    await services.update({ namespace: 'o', name: 's', tryUpdate: toLB }, write());
    assert.deepEqual(((await storedUsed('o', 'objects')) as { used: unknown }).used, { configmaps: '1', 'services.loadbalancers': '1' });
    await services.create('o', svc('t'), write());
    await assert.rejects(
      services.update({ namespace: 'o', name: 't', tryUpdate: toLB }, write()),
      forbidden(
        'services "t" is forbidden: exceeded quota: objects, requested: services.loadbalancers=1, used: services.loadbalancers=1, limited: services.loadbalancers=1',
      ),
    );
  });

  it('scoped quotas charge only the pods in their scopes', async () => {
    await makeQuota('s', 'best-effort', { pods: '1' }, { pods: '0' }, { scopes: ['BestEffort'] });
    await pods.create('s', pod('be'), write());
    await pods.create('s', pod('burstable', { requests: { cpu: '100m' } }), write());
    await assert.rejects(pods.create('s', pod('be2'), write()), /exceeded quota: best-effort/);
  });
});

describe('ResourceQuota admission: limitedResources', () => {
  const configuration = {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'ResourceQuotaConfiguration',
    limitedResources: [
      { resource: 'pods', matchScopes: [{ scopeName: 'PriorityClass', operator: 'In', values: ['cluster-services'] }] },
      { resource: 'pods', matchContains: ['gpu'] },
    ],
  };
  const plugin = new ResourceQuotaAdmission({ quotas: () => quotas, configuration });
  const attrsFor = (namespace: string, object: KubeObject): AdmissionAttributes => {
    object.metadata.namespace = namespace;
    return { operation: 'CREATE', type: pods.type, namespace, name: object.metadata.name ?? '', subresource: '', object, dryRun: false };
  };
  const critical = (name: string): KubeObject => {
    const p = pod(name);
    (p['spec'] as Record<string, unknown>)['priorityClassName'] = 'cluster-services';
    return p;
  };

  it('a pod in a limited scope or using a limited resource needs a covering quota, even where there are none', async () => {
    await assert.rejects(plugin.validate(attrsFor('lim', critical('p'))), (err: unknown) => {
      assert.ok(isStatusError(err));
      assert.deepEqual(
        [err.status.code, err.status.reason, err.status.message],
        [500, undefined, 'insufficient quota to match these scopes: [{PriorityClass In [cluster-services]}]'],
      );
      return true;
    });
    await assert.rejects(
      plugin.validate(attrsFor('lim', pod('g', { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '1' } }))),
      forbidden('pods "g" is forbidden: insufficient quota to consume: requests.example.com/gpu'),
    );
    await plugin.validate(attrsFor('lim', pod('plain')));
  });

  it('a quota with the scope and the names covers them', async () => {
    await makeQuota(
      'lim2',
      'critical',
      { pods: '10', 'requests.example.com/gpu': '1' },
      { pods: '0', 'requests.example.com/gpu': '0' },
      { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['cluster-services'] }] } },
    );
    await plugin.validate(attrsFor('lim2', critical('p')));
    const gpu = critical('g');
    (gpu['spec'] as { containers: Record<string, unknown>[] }).containers[0] = {
      name: 'c',
      image: 'busybox',
      resources: { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '1' } },
    };
    await plugin.validate(attrsFor('lim2', gpu));
    assert.deepEqual(((await storedUsed('lim2', 'critical')) as { used: unknown }).used, { pods: '2', 'requests.example.com/gpu': '1' });
  });

  it('parses and checks the configuration', () => {
    assert.throws(
      () => parseResourceQuotaConfiguration({ apiVersion: 'v1', kind: 'Configuration' }),
      /want an apiserver\.config\.k8s\.io\/v1/,
    );
    assert.throws(
      () =>
        parseResourceQuotaConfiguration({
          apiVersion: 'resourcequota.admission.k8s.io/v1beta1',
          kind: 'Configuration',
          limitedResources: [{ resource: 'pods', matchScopes: [{ scopeName: 'PriorityClass', operator: 'Near' }] }],
        }),
      /limitedResources\[0\]\.matchScopes\[0\]: invalid operator "Near"/,
    );
  });
});
