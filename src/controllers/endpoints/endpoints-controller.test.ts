import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { ENDPOINTS, EndpointsController, PODS, SERVICES } from './endpoints-controller.js';
import type { EndpointSubset } from './repack.js';

function setup() {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const ctrl = new EndpointsController({ client: cluster, informers: new FakeInformerFactory(cluster), newQueue: () => queue });
  const settle = () => drain(queue, (k) => ctrl.sync(k));
  return { cluster, queue, ctrl, settle };
}

interface PodOpts {
  ip?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  ports?: Array<{ name: string; containerPort: number }>;
  hostname?: string;
  subdomain?: string;
}

function pod(name: string, o: PodOpts = {}): KubeObject {
  return {
    metadata: { name, namespace: 'default', labels: o.labels ?? { app: 'web' } },
    spec: { nodeName: 'n1', hostname: o.hostname, subdomain: o.subdomain, containers: [{ name: 'c', ports: o.ports ?? [] }] },
    status: { phase: 'Running', podIP: o.ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

function svc(spec: Record<string, unknown>, name = 'web'): KubeObject {
  return {
    metadata: { name, namespace: 'default', labels: { tier: 'front' } },
    spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ...spec },
  };
}

/** A compact view of subsets: "ready=ip,ip notReady=ip ports=name:port". */
function view(ep: KubeObject | undefined): string[] {
  return ((ep?.['subsets'] as EndpointSubset[] | undefined) ?? []).map((s) =>
    [
      `ready=${(s.addresses ?? []).map((a) => a.ip).join(',')}`,
      `notReady=${(s.notReadyAddresses ?? []).map((a) => a.ip).join(',')}`,
      `ports=${(s.ports ?? []).map((p) => `${p.name ?? ''}:${p.port}`).join(',')}`,
    ].join(' '),
  );
}

describe('EndpointsController', () => {
  const cases: Array<{ name: string; svc: Record<string, unknown>; pods: KubeObject[]; want: string[] }> = [
    {
      name: 'ready and not-ready pods',
      svc: { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
      pods: [pod('a', { ip: '10.0.0.2' }), pod('b', { ip: '10.0.0.1' }), pod('c', { ip: '10.0.0.3', ready: false }), pod('noip')],
      want: ['ready=10.0.0.1,10.0.0.2 notReady=10.0.0.3 ports=http:8080'],
    },
    {
      name: 'named target ports resolve per pod',
      svc: { ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] },
      pods: [
        pod('a', { ip: '10.0.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
        pod('b', { ip: '10.0.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
        pod('c', { ip: '10.0.0.3', ports: [{ name: 'other', containerPort: 1 }] }),
      ],
      want: ['ready=10.0.0.1 notReady= ports=http:8080', 'ready=10.0.0.2 notReady= ports=http:9090'],
    },
    {
      name: 'addresses sharing ports share a subset',
      svc: {
        ports: [
          { name: 'a', port: 1, protocol: 'TCP' },
          { name: 'b', port: 2, protocol: 'TCP' },
        ],
      },
      pods: [pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2', ready: false })],
      want: ['ready=10.0.0.1 notReady=10.0.0.2 ports=a:1,b:2'],
    },
    {
      name: 'publishNotReadyAddresses lists every pod as ready',
      svc: { publishNotReadyAddresses: true, ports: [{ port: 80, protocol: 'TCP' }] },
      pods: [pod('a', { ip: '10.0.0.1', ready: false })],
      want: ['ready=10.0.0.1 notReady= ports=:80'],
    },
    {
      name: 'a headless service without ports',
      svc: { clusterIP: 'None' },
      pods: [pod('a', { ip: '10.0.0.1' })],
      want: ['ready=10.0.0.1 notReady= ports='],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { cluster, settle } = setup();
      for (const p of c.pods) cluster.tracker.put(PODS, p);
      cluster.tracker.put(PODS, pod('other', { ip: '10.9.9.9', labels: { app: 'db' } }));
      cluster.tracker.put(SERVICES, svc(c.svc));
      await settle();
      assert.deepEqual(view(cluster.tracker.get(ENDPOINTS, 'default', 'web')), c.want);
    });
  }

  it('labels, target refs, hostnames; updates on pod changes; deletes with the service', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(SERVICES, svc({ clusterIP: 'None', ports: [{ port: 80, protocol: 'TCP' }] }));
    const a = cluster.tracker.put(PODS, pod('a', { ip: '10.0.0.1', hostname: 'a', subdomain: 'web' }));
    await settle();
    const ep = cluster.tracker.get(ENDPOINTS, 'default', 'web')!;
    assert.deepEqual(ep.metadata.labels, { tier: 'front', 'service.kubernetes.io/headless': '' });
    const addr = (ep['subsets'] as EndpointSubset[])[0]?.addresses?.[0];
    assert.deepEqual(addr, {
      ip: '10.0.0.1',
      nodeName: 'n1',
      hostname: 'a',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: a.metadata.uid },
    });
    await settle();
    assert.deepEqual(cluster.writes(), ['create endpoints default/web'], 'nothing to write when nothing changed');
    cluster.tracker.put(PODS, pod('a', { ip: '10.0.0.1', ready: false, hostname: 'a', subdomain: 'web' }));
    await settle();
    assert.deepEqual(view(cluster.tracker.get(ENDPOINTS, 'default', 'web')), ['ready= notReady=10.0.0.1 ports=:80']);
    cluster.tracker.remove(SERVICES, 'default', 'web');
    await settle();
    assert.equal(cluster.tracker.get(ENDPOINTS, 'default', 'web'), undefined);
  });

  it('leaves services without selectors and default/kubernetes alone', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(PODS, pod('a', { ip: '10.0.0.1' }));
    cluster.tracker.put(SERVICES, { metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    cluster.tracker.put(SERVICES, {
      metadata: { name: 'kubernetes', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 443 }] },
    });
    await settle();
    assert.deepEqual(cluster.writes(), []);
  });
});
