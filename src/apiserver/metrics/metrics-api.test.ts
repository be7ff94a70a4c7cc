import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { ResourceStore } from '../registry/store.js';
import { parseRequestInfo } from '../request-info.js';
import { MetricsApi } from './metrics-api.js';
import { type MetricsBatch, MetricsStorage } from './metrics-storage.js';

/** The slice of a ResourceStore the metrics API reads: its watch cache by key and prefix. */
function store(plural: string, namespaced: boolean, objects: KubeObject[], prefix = `/registry/${plural}/`): ResourceStore {
  const key = (ns: string, name: string) => (namespaced && ns ? `${prefix}${ns}/${name}` : `${prefix}${name}`);
  const byKey = new Map(objects.map((o) => [key(o.metadata.namespace ?? '', o.metadata.name ?? ''), o]));
  return {
    prefix,
    type: { plural, namespaced },
    key,
    cache: { get: (k: string) => byKey.get(k), list: (p: string) => [...byKey].filter(([k]) => k.startsWith(p)).map(([, o]) => o) },
  } as unknown as ResourceStore;
}

const pod = (name: string, ns: string, app: string, phase = 'Running'): KubeObject => ({
  metadata: { name, namespace: ns, labels: { app } },
  status: { phase },
});

function api(): MetricsApi {
  const storage = new MetricsStorage();
  for (const [at, cpu] of [
    [1000, 1e9],
    [3000, 2e9],
  ] as const) {
    const batch: MetricsBatch = {
      nodes: new Map([['n1', { timestamp: at, cumulativeCpuNs: cpu, memoryBytes: 2 ** 30, startTime: 0 }]]),
      pods: new Map(),
    };
    for (const p of ['a/web-1', 'a/web-2', 'b/db', 'a/done']) {
      batch.pods.set(p, new Map([['c', { timestamp: at, cumulativeCpuNs: cpu / 4, memoryBytes: 64 * 2 ** 20, startTime: 5 }]]));
    }
    storage.store(batch);
  }
  const nodes = store(
    'nodes',
    false,
    [{ metadata: { name: 'n1', labels: { zone: 'z' } } }, { metadata: { name: 'n2' } }],
    '/registry/minions/',
  );
  const pods = store('pods', true, [
    pod('web-1', 'a', 'web'),
    pod('web-2', 'a', 'web'),
    pod('db', 'b', 'db'),
    pod('done', 'a', 'web', 'Succeeded'),
  ]);
  return new MetricsApi({ storage, nodes, pods, now: () => 5000 });
}

function call(path: string, accept = 'application/json', method = 'GET'): { code: number; type: string; body: Record<string, unknown> } {
  const url = new URL(path, 'https://x');
  const out = { code: 0, type: '', body: {} as Record<string, unknown> };
  const res = {
    writeHead(code: number, headers: Record<string, string>) {
      out.code = code;
      out.type = headers['Content-Type'] ?? '';
    },
    end(text: string) {
      out.body = JSON.parse(text) as Record<string, unknown>;
    },
  } as unknown as ServerResponse;
  api().serve({ headers: { accept } } as IncomingMessage, res, url, parseRequestInfo(method, url));
  return out;
}

test('NodeMetrics: get with the node’s labels, usage over the window; NotFound as metrics-server words it', () => {
  const { body } = call('/apis/metrics.k8s.io/v1beta1/nodes/n1');
  assert.deepEqual(body, {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: 'n1', creationTimestamp: '1970-01-01T00:00:05Z', labels: { zone: 'z' } },
    timestamp: '1970-01-01T00:00:03Z',
    window: '2s',
    usage: { cpu: '500m', memory: '1Gi' },
  });
  assert.throws(
    () => call('/apis/metrics.k8s.io/v1beta1/nodes/n2'),
    (e: unknown) => isStatusError(e, 'NotFound') && /nodemetrics.metrics.k8s.io "n2" not found/.test((e as Error).message),
  );
  assert.throws(
    () => call('/apis/metrics.k8s.io/v1beta1/nodes/n3'),
    (e: unknown) => isStatusError(e, 'NotFound') && /^nodes "n3" not found$/.test((e as Error).message),
  );
});

test('PodMetrics: lists by namespace, label and field selector, Running pods only', () => {
  const names = (path: string) =>
    ((call(path).body['items'] ?? []) as KubeObject[]).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  assert.deepEqual(names('/apis/metrics.k8s.io/v1beta1/pods'), ['a/web-1', 'a/web-2', 'b/db']);
  assert.deepEqual(names('/apis/metrics.k8s.io/v1beta1/namespaces/a/pods?labelSelector=app%3Dweb'), ['a/web-1', 'a/web-2']);
  assert.deepEqual(names('/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=metadata.namespace%3Db'), ['b/db']);
  assert.equal(call('/apis/metrics.k8s.io/v1beta1/pods').body['kind'], 'PodMetricsList');
  assert.throws(() => call('/apis/metrics.k8s.io/v1beta1/namespaces/a/pods/done'), /podmetrics.metrics.k8s.io "a\/done" not found/);
  assert.throws(
    () => call('/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=spec.nodeName%3Dx'),
    /field label not supported: spec.nodeName/,
  );
  assert.throws(
    () => call('/apis/metrics.k8s.io/v1beta1/pods?watch=1'),
    (e: unknown) => isStatusError(e, 'MethodNotAllowed'),
  );
});

test('Tables have metrics-server’s columns', () => {
  const { body, type } = call('/apis/metrics.k8s.io/v1beta1/namespaces/a/pods', 'application/json;as=Table;v=v1;g=meta.k8s.io');
  assert.equal(type, 'application/json;as=Table;v=v1;g=meta.k8s.io');
  assert.deepEqual(
    (body['columnDefinitions'] as { name: string }[]).map((c) => c.name),
    ['Name', 'cpu', 'memory', 'Window'],
  );
  assert.deepEqual((body['rows'] as { cells: unknown[] }[])[0]?.cells, ['web-1', '125m', '64Mi', '2s']);
});
