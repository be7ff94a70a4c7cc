import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { containerResourceValue, podContainerResourceValue, podFieldValue, podMetadataField } from './downward-api.js';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    namespace: 'ns',
    uid: 'uid-1',
    labels: { b: '2', a: 'x"y' },
    annotations: { note: 'hi' },
  },
  spec: {
    nodeName: 'n1',
    serviceAccountName: 'sa',
    containers: [{ name: 'c', resources: { requests: { cpu: '250m', memory: '3Mi' }, limits: { 'hugepages-2Mi': '4Mi' } } }],
    initContainers: [{ name: 'init', resources: { limits: { cpu: '1500m' } } }],
  },
};
const ctx = { hostIPs: ['192.0.2.10', '2001:db8::10'], podIPs: ['10.244.0.5', 'fd00::5'] };

test('metadata fields: names, subscripts, and whole label and annotation maps as sorted, quoted lines', () => {
  const got = ['metadata.name', 'metadata.namespace', 'metadata.uid', "metadata.labels['a']", "metadata.annotations['none']"];
  assert.deepEqual(
    got.map((f) => podMetadataField(pod, f)),
    ['p', 'ns', 'uid-1', 'x"y', ''],
  );
  assert.equal(podMetadataField(pod, 'metadata.labels'), 'a="x\\"y"\nb="2"');
  assert.equal(podMetadataField(pod, 'metadata.annotations'), 'note="hi"');
});

test('volumes get only metadata; env adds spec and status fields from the kubelet’s IPs', () => {
  for (const f of ['spec.nodeName', 'status.podIP', "metadata.labels['']", 'spec.unknown']) {
    assert.throws(() => podMetadataField(pod, f), { message: `unsupported fieldPath: ${f}` });
  }
  const env = (f: string) => podFieldValue(pod, f, ctx);
  assert.equal(env('spec.nodeName'), 'n1');
  assert.equal(env('spec.serviceAccountName'), 'sa');
  assert.equal(env('status.hostIP'), '192.0.2.10');
  assert.equal(env('status.hostIPs'), '192.0.2.10,2001:db8::10');
  assert.equal(env('status.podIP'), '10.244.0.5');
  assert.equal(env('status.podIPs'), '10.244.0.5,fd00::5');
  assert.equal(env('metadata.labels'), 'a="x\\"y"\nb="2"');
  assert.equal(podFieldValue(pod, 'status.podIP', { hostIPs: [], podIPs: [] }), '');
  assert.throws(() => env('spec.unknown'), { message: 'unsupported fieldPath: spec.unknown' });
});

test('container resources: divisors rounded up, unset limits from the node’s allocatable, else 0', () => {
  const c = (pod.spec as { containers: Record<string, unknown>[] }).containers[0] ?? {};
  const allocatable = { cpu: '4', memory: '8Gi', 'ephemeral-storage': '10Gi' };
  const value = (resource: string, divisor?: string, alloc: typeof allocatable | undefined = allocatable) =>
    containerResourceValue(c, { resource, ...(divisor ? { divisor } : {}) }, alloc);
  assert.equal(value('requests.cpu'), '1');
  assert.equal(value('requests.cpu', '1m'), '250');
  assert.equal(value('requests.cpu', '0'), '1');
  assert.equal(value('requests.memory', '1Mi'), '3');
  assert.equal(value('requests.memory', '2Mi'), '2');
  assert.equal(value('limits.cpu', '1m'), '4000');
  assert.equal(value('limits.memory', '1Gi'), '8');
  assert.equal(value('limits.ephemeral-storage', '1Gi'), '10');
  assert.equal(containerResourceValue(c, { resource: 'limits.memory' }, undefined), '0');
  assert.equal(value('requests.ephemeral-storage'), '0');
  assert.equal(value('limits.hugepages-2Mi', '1Mi'), '4');
  for (const r of ['limits.nvidia.com/gpu', 'status.cpu', 'limits']) {
    assert.throws(() => value(r), { message: `unsupported container resource : ${r}` });
  }
});

test('a resourceFieldRef by containerName finds containers and init containers', () => {
  const ref = (containerName: string) => ({ containerName, resource: 'limits.cpu', divisor: '1m' });
  assert.equal(podContainerResourceValue(pod, ref('c'), { cpu: '2' }), '2000');
  assert.equal(podContainerResourceValue(pod, ref('init'), { cpu: '2' }), '1500');
  assert.throws(() => podContainerResourceValue(pod, ref('gone'), undefined), { message: 'container gone not found' });
});
