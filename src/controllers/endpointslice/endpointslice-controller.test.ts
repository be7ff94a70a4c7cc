import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { PODS, SERVICES } from '../endpoints/endpoints-controller.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import type { SliceEndpoint, SlicePort } from './desired.js';
import { ENDPOINT_SLICES, EndpointSliceController, NODES } from './endpointslice-controller.js';

function setup(max?: number) {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const ctrl = new EndpointSliceController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
    maxEndpointsPerSlice: max,
  });
  const settle = () => drain(queue, (k) => ctrl.sync(k));
  return { cluster, queue, ctrl, settle };
}

function pod(name: string, ip: string, o: { ready?: boolean; deleting?: boolean; port?: number } = {}): KubeObject {
  return {
    metadata: { name, namespace: 'default', labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: o.port ?? 8080 }] }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

const SVC: KubeObject = {
  metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } },
  spec: {
    selector: { app: 'web' },
    clusterIP: '10.96.0.10',
    ipFamilies: ['IPv4'],
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  },
};

const slices = (c: FakeClientset) => c.tracker.list(ENDPOINT_SLICES);
const eps = (s: KubeObject) => (s['endpoints'] as SliceEndpoint[]) ?? [];
const summary = (c: FakeClientset): string[] =>
  slices(c)
    .map(
      (s) =>
        `${(s['ports'] as SlicePort[]).map((p) => p.port).join(',')}: ${eps(s)
          .map((e) => e.addresses[0])
          .join(',')}`,
    )
    .sort();

describe('EndpointSliceController', () => {
  it('publishes endpoints with conditions, node, target ref, labels and owner', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(NODES, { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } });
    const svc = cluster.tracker.put(SERVICES, SVC);
    const a = cluster.tracker.put(PODS, pod('a', '10.0.0.1'));
    cluster.tracker.put(PODS, pod('b', '10.0.0.2', { ready: false }));
    cluster.tracker.put(PODS, pod('c', '10.0.0.3', { deleting: true }));
    await settle();
    const [slice, more] = slices(cluster);
    assert.equal(more, undefined);
    assert.equal(slice?.['addressType'], 'IPv4');
    assert.deepEqual(slice?.metadata.labels, {
      tier: 'front',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    assert.equal(slice?.metadata.generateName, 'web-');
    assert.deepEqual(slice?.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(slice?.['ports'], [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const byIP = Object.fromEntries(eps(slice!).map((e) => [e.addresses[0], e.conditions]));
    assert.deepEqual(byIP, {
      '10.0.0.1': { ready: true, serving: true, terminating: false },
      '10.0.0.2': { ready: false, serving: false, terminating: false },
      '10.0.0.3': { ready: false, serving: true, terminating: true },
    });
    const first = eps(slice!).find((e) => e.addresses[0] === '10.0.0.1');
    assert.deepEqual(
      [first?.nodeName, first?.zone, first?.targetRef],
      ['n1', 'z1', { kind: 'Pod', namespace: 'default', name: 'a', uid: a.metadata.uid }],
    );
  });

  it('splits at maxEndpointsPerSlice, groups by resolved ports, and keeps endpoints where they are', async () => {
    const { cluster, settle } = setup(2);
    cluster.tracker.put(SERVICES, SVC);
    for (let i = 1; i <= 3; i++) cluster.tracker.put(PODS, pod(`p${i}`, `10.0.0.${i}`));
    cluster.tracker.put(PODS, pod('odd', '10.0.1.1', { port: 9090 }));
    await settle();
    assert.deepEqual(summary(cluster), ['8080: 10.0.0.1,10.0.0.2', '8080: 10.0.0.3', '9090: 10.0.1.1']);
    const writes = cluster.writes().length;
    cluster.tracker.remove(PODS, 'default', 'p1');
    await settle();
    assert.deepEqual(summary(cluster), ['8080: 10.0.0.2', '8080: 10.0.0.3', '9090: 10.0.1.1']);
    assert.deepEqual(cluster.writes().slice(writes), [
      `update endpointslices.discovery.k8s.io default/${slices(cluster).find((s) => eps(s)[0]?.addresses[0] === '10.0.0.2')?.metadata.name}`,
    ]);
    cluster.tracker.put(PODS, pod('p4', '10.0.0.4'));
    await settle();
    assert.deepEqual(
      summary(cluster),
      ['8080: 10.0.0.2,10.0.0.4', '8080: 10.0.0.3', '9090: 10.0.1.1'],
      'a new endpoint fills a slice with room',
    );
  });

  it('keeps one empty placeholder slice when no pod is selected', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(SERVICES, SVC);
    cluster.tracker.put(PODS, pod('a', '10.0.0.1'));
    await settle();
    cluster.tracker.remove(PODS, 'default', 'a');
    await settle();
    assert.deepEqual(summary(cluster), [': ']);
    await settle();
    assert.equal(slices(cluster).length, 1);
  });

  it('marks headless services and skips services without selectors', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(SERVICES, { ...SVC, spec: { ...(SVC['spec'] as object), clusterIP: 'None' } });
    cluster.tracker.put(SERVICES, { metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    await settle();
    assert.equal(slices(cluster).length, 1);
    assert.equal(slices(cluster)[0]?.metadata.labels?.['service.kubernetes.io/headless'], '');
  });
});
