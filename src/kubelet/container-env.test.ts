import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRecorder } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';
import { CreateContainerConfigError } from './container-config-error.js';
import { makeEnvironmentVariables } from './container-env.js';
import { FakePodObjects } from './testing/fake-pod-objects.js';

type Obj = Record<string, unknown>;

function recorder(): EventRecorder & { events: string[] } {
  const events: string[] = [];
  return { events, event: (_o, type, reason, message) => void events.push(`${type} ${reason} ${message}`) };
}

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { mode: 'fast', level: '3', '1bad': 'x' } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sec', namespace: 'ns' },
    data: { token: Buffer.from('t0k3n').toString('base64'), 'bad key': 'eA==' },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default' },
    spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'ns' },
    spec: { clusterIP: '10.96.0.7', ports: [{ port: 5432 }] },
  },
];

function pod(container: Obj, spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u-1', labels: { app: 'x' }, annotations: { note: 'a"b' } },
    spec: { nodeName: 'n1', serviceAccountName: 'sa', containers: [container], ...spec },
  };
}

async function envOf(container: Obj, spec: Obj = {}, rec = recorder()): Promise<Map<string, string>> {
  const p = pod(container, spec);
  const list = await makeEnvironmentVariables({
    pod: p,
    container,
    objects: new FakePodObjects(objects),
    recorder: rec,
    hostIPs: ['192.0.2.10'],
    podIPs: ['10.244.0.5'],
    allocatable: { cpu: '4', memory: '8Gi' },
  });
  return new Map(list.map((e) => [e.key, e.value]));
}

test('env from ConfigMaps, Secrets, fields and resources; envFrom with prefixes; env overrides envFrom', async () => {
  const rec = recorder();
  const env = await envOf(
    {
      name: 'c',
      resources: { requests: { cpu: '250m', memory: '64Mi' } },
      envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 'sec' } }],
      env: [
        { name: 'mode', value: 'override' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'sec', key: 'token' } } },
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } },
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'ANN', valueFrom: { fieldRef: { fieldPath: 'metadata.annotations' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'POD_IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
        { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'MEM_REQ_MI', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
        { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Gi' } } },
        { name: 'MSG', value: '$(mode) at $(DB_SERVICE_HOST) $(LATER)' },
        { name: 'LATER', value: 'x' },
      ],
    },
    {},
    rec,
  );
  assert.equal(env.get('mode'), 'override');
  assert.equal(env.get('level'), '3');
  assert.equal(env.get('S_token'), 't0k3n');
  assert.equal(env.get('TOKEN'), 't0k3n');
  assert.equal(env.get('LEVEL'), '3');
  assert.equal(env.get('NAME'), 'p');
  assert.equal(env.get('NS'), 'ns');
  assert.equal(env.get('UID'), 'u-1');
  assert.equal(env.get('APP'), 'x');
  assert.equal(env.get('ANN'), 'note="a\\"b"');
  assert.equal(env.get('NODE'), 'n1');
  assert.equal(env.get('SA'), 'sa');
  assert.equal(env.get('HOST_IP'), '192.0.2.10');
  assert.equal(env.get('POD_IPS'), '10.244.0.5');
  assert.equal(env.get('CPU_REQ_M'), '250');
  assert.equal(env.get('CPU_LIMIT'), '4');
  assert.equal(env.get('MEM_REQ_MI'), '64');
  assert.equal(env.get('MEM_LIMIT'), '8');
  assert.equal(env.get('MSG'), 'override at 10.96.0.7 $(LATER)');
  assert.equal(env.get('DB_SERVICE_HOST'), '10.96.0.7');
  assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  assert.equal(env.has('1bad'), false);
  assert.deepEqual(rec.events, [
    'Warning InvalidEnvironmentVariableNames Keys [1bad] from the EnvFrom configMap ns/cfg were skipped since they are considered invalid environment variable names.',
    'Warning InvalidEnvironmentVariableNames Keys [S_bad key] from the EnvFrom secret ns/sec were skipped since they are considered invalid environment variable names.',
  ]);
});

test('declared variables keep their order and come before the service variables they do not override', async () => {
  const p = pod({});
  const container = {
    name: 'c',
    env: [
      { name: 'B', value: '1' },
      { name: 'DB_SERVICE_HOST', value: 'mine' },
      { name: 'A', value: '2' },
    ],
  };
  const list = await makeEnvironmentVariables({
    pod: p,
    container,
    objects: new FakePodObjects(objects),
    recorder: recorder(),
    hostIPs: [],
    podIPs: [],
  });
  assert.deepEqual(
    list.slice(0, 3).map((e) => e.key),
    ['B', 'DB_SERVICE_HOST', 'A'],
  );
  assert.equal(list.filter((e) => e.key === 'DB_SERVICE_HOST').length, 1);
  assert.equal(list.find((e) => e.key === 'DB_SERVICE_HOST')?.value, 'mine');
});

test('enableServiceLinks: false keeps only the master service’s variables', async () => {
  const env = await envOf({ name: 'c' }, { enableServiceLinks: false });
  assert.equal(env.has('DB_SERVICE_HOST'), false);
  assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
});

test('missing sources: upstream’s errors, unless optional', async () => {
  const cases: [Obj, string][] = [
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, 'configmap "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, "couldn't find key k in ConfigMap ns/cfg"],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }] }, "couldn't find key k in Secret ns/sec"],
    [{ envFrom: [{ configMapRef: { name: 'nope' } }] }, 'configmap "nope" not found'],
    [{ envFrom: [{ secretRef: { name: 'nope' } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.unknown' } } }] }, 'unsupported fieldPath: spec.unknown'],
  ];
  for (const [container, message] of cases) {
    await assert.rejects(envOf({ name: 'c', ...container }), (err: unknown) => {
      assert.ok(err instanceof CreateContainerConfigError);
      assert.equal(err.message, message);
      return true;
    });
  }
  const env = await envOf({
    name: 'c',
    envFrom: [{ configMapRef: { name: 'nope', optional: true } }, { secretRef: { name: 'nope', optional: true } }],
    env: [
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } },
      { name: 'C', valueFrom: { secretKeyRef: { name: 'sec', key: 'k', optional: true } } },
    ],
  });
  assert.equal(env.has('A') || env.has('B') || env.has('C'), false);
});

test('a ConfigMap is read once per container however many variables refer to it', async () => {
  const objs = new FakePodObjects(objects);
  const container = {
    name: 'c',
    envFrom: [{ configMapRef: { name: 'cfg' } }],
    env: [
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } },
    ],
  };
  await makeEnvironmentVariables({ pod: pod(container), container, objects: objs, recorder: recorder(), hostIPs: [], podIPs: [] });
  assert.deepEqual(objs.reads, ['ConfigMap/cfg']);
});
