import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../client/testing/fake-informers.js';
import type { KubeObject } from '../machinery/object.js';
import { ENDPOINT_SLICES, SERVICES, ServiceChangeTracker, servicePortsOf } from './service-change-tracker.js';

function setup() {
  const cluster = new FakeClientset();
  let wakes = 0;
  const tracker = new ServiceChangeTracker({ informers: new FakeInformerFactory(cluster), nodeName: 'n1', onChange: () => wakes++ });
  return { cluster, tracker, wakes: () => wakes };
}

function service(name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    metadata: { name, namespace: 'default' },
    spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec },
    ...(status ? { status } : {}),
  };
}

type Ep = { ip: string; node?: string; ready?: boolean; serving?: boolean; terminating?: boolean };
function slice(name: string, svc: string, eps: Ep[], ports = [{ name: 'http', port: 8080, protocol: 'TCP' }]): KubeObject {
  return {
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports,
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      ...(e.node ? { nodeName: e.node } : {}),
      conditions: {
        ...(e.ready === undefined ? {} : { ready: e.ready }),
        ...(e.serving === undefined ? {} : { serving: e.serving }),
        ...(e.terminating === undefined ? {} : { terminating: e.terminating }),
      },
    })),
  };
}

describe('servicePortsOf', () => {
  const cases: { name: string; svc: KubeObject; want: unknown }[] = [
    { name: 'headless: none', svc: service('h', { clusterIP: 'None', clusterIPs: ['None'] }), want: [] },
    { name: 'ExternalName: none', svc: service('x', { type: 'ExternalName', clusterIP: '', clusterIPs: undefined }), want: [] },
    {
      name: 'ClusterIP with defaults',
      svc: service('web', { ports: [{ port: 80 }] }),
      want: [
        {
          key: 'default/web',
          namespace: 'default',
          name: 'web',
          portName: '',
          protocol: 'TCP',
          clusterIPs: ['10.96.0.20'],
          port: 80,
          externalIPs: [],
          loadBalancerIPs: [],
          externalPolicyLocal: false,
          internalPolicyLocal: false,
        },
      ],
    },
    {
      name: 'LoadBalancer, Local, ClientIP affinity',
      svc: service(
        'lb',
        {
          type: 'LoadBalancer',
          ports: [{ name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }],
          externalIPs: ['192.0.2.7'],
          sessionAffinity: 'ClientIP',
          externalTrafficPolicy: 'Local',
          internalTrafficPolicy: 'Local',
          healthCheckNodePort: 31000,
        },
        { loadBalancer: { ingress: [{ ip: '192.0.2.8' }, { hostname: 'lb.example' }] } },
      ),
      want: [
        {
          key: 'default/lb:dns',
          namespace: 'default',
          name: 'lb',
          portName: 'dns',
          protocol: 'UDP',
          clusterIPs: ['10.96.0.20'],
          port: 53,
          nodePort: 30053,
          externalIPs: ['192.0.2.7'],
          loadBalancerIPs: ['192.0.2.8'],
          stickySeconds: 10800,
          externalPolicyLocal: true,
          internalPolicyLocal: true,
          healthCheckNodePort: 31000,
        },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(servicePortsOf(c.svc), c.want));
  }
  it('loadBalancerSourceRanges of a LoadBalancer Service (IPv4, trimmed); ignored for other types', () => {
    const spec = { clusterIP: '10.96.0.9', ports: [{ port: 80 }], loadBalancerSourceRanges: [' 192.0.2.0/24', '2001:db8::/64'] };
    assert.deepEqual(servicePortsOf(service('lb', { ...spec, type: 'LoadBalancer' }))[0]?.loadBalancerSourceRanges, ['192.0.2.0/24']);
    assert.equal(servicePortsOf(service('np', { ...spec, type: 'NodePort' }))[0]?.loadBalancerSourceRanges, undefined);
  });
  it('externalTrafficPolicy Local on a ClusterIP Service without external IPs: not external; a set affinity timeout', () => {
    const svc = service('c', {
      externalTrafficPolicy: 'Local',
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    });
    const [port] = servicePortsOf(svc);
    assert.deepEqual([port?.externalPolicyLocal, port?.stickySeconds], [false, 60]);
  });
});

describe('ServiceChangeTracker', () => {
  it('joins endpoints from every slice of a Service by port name, with conditions and locality', () => {
    const { cluster, tracker } = setup();
    cluster.tracker.put(SERVICES, service('web', {}));
    cluster.tracker.put(
      ENDPOINT_SLICES,
      slice('web-a', 'web', [
        { ip: '10.244.0.5', node: 'n1' },
        { ip: '10.244.1.5', node: 'n2', ready: false },
      ]),
    );
    cluster.tracker.put(
      ENDPOINT_SLICES,
      slice('web-b', 'web', [
        { ip: '10.244.2.5', ready: false, serving: true, terminating: true },
        { ip: '10.244.0.5', node: 'n1' },
      ]),
    );
    // a slice for another port name, another Service, or without the label contributes nothing
    cluster.tracker.put(ENDPOINT_SLICES, slice('web-c', 'web', [{ ip: '10.244.3.5' }], [{ name: 'metrics', port: 9090, protocol: 'TCP' }]));
    cluster.tracker.put(ENDPOINT_SLICES, slice('other-a', 'other', [{ ip: '10.244.4.5' }]));
    assert.deepEqual([...tracker.state.services.keys()], ['default/web:http']);
    assert.deepEqual(tracker.state.endpoints.get('default/web:http'), [
      { ip: '10.244.0.5', port: 8080, ready: true, serving: true, terminating: false, nodeName: 'n1', isLocal: true },
      { ip: '10.244.1.5', port: 8080, ready: false, serving: false, terminating: false, nodeName: 'n2', isLocal: false },
      { ip: '10.244.2.5', port: 8080, ready: false, serving: true, terminating: true, isLocal: false },
    ]);
    assert.deepEqual(tracker.takeChanges(), new Set(['default/web:http']));
  });

  it('reports only the service ports that changed, removed ones included', () => {
    const { cluster, tracker, wakes } = setup();
    cluster.tracker.put(SERVICES, service('a', {}));
    cluster.tracker.put(SERVICES, service('b', { clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.21'] }));
    cluster.tracker.put(ENDPOINT_SLICES, slice('a-1', 'a', [{ ip: '10.244.0.5' }]));
    tracker.takeChanges();
    const before = wakes();

    cluster.tracker.put(ENDPOINT_SLICES, slice('a-1', 'a', [{ ip: '10.244.0.5' }, { ip: '10.244.0.6' }]));
    assert.deepEqual(tracker.takeChanges(), new Set(['default/a:http']));

    // an update that changes nothing the proxy sees is no change
    const b = cluster.tracker.get(SERVICES, 'default', 'b') as KubeObject;
    cluster.tracker.put(SERVICES, { ...b, metadata: { ...b.metadata, labels: { x: 'y' } } });
    assert.equal(tracker.pending, false);

    // renaming a port: the old key goes, the new one comes
    cluster.tracker.put(SERVICES, service('b', { clusterIP: '10.96.0.21', ports: [{ name: 'web', port: 80 }] }));
    assert.deepEqual(tracker.takeChanges(), new Set(['default/b:http', 'default/b:web']));

    cluster.tracker.remove(ENDPOINT_SLICES, 'default', 'a-1');
    assert.equal(tracker.state.endpoints.has('default/a:http'), false);
    cluster.tracker.remove(SERVICES, 'default', 'a');
    assert.deepEqual(tracker.takeChanges(), new Set(['default/a:http']));
    assert.deepEqual([...tracker.state.services.keys()], ['default/b:web']);
    assert.equal(wakes() - before, 4);
  });

  it('keeps endpoints that arrive before their Service, and gives headless Services no entry', () => {
    const { cluster, tracker } = setup();
    cluster.tracker.put(ENDPOINT_SLICES, slice('web-a', 'web', [{ ip: '10.244.0.5' }]));
    assert.equal(tracker.pending, false);
    cluster.tracker.put(SERVICES, service('web', {}));
    assert.equal(tracker.state.endpoints.get('default/web:http')?.length, 1);
    cluster.tracker.put(SERVICES, service('web', { clusterIP: 'None', clusterIPs: ['None'] }));
    assert.deepEqual(tracker.takeChanges(), new Set(['default/web:http']));
    assert.equal(tracker.state.services.size, 0);
    assert.equal(tracker.state.endpoints.size, 0);
  });
});
