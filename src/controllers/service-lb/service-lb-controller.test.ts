import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { FakeRecorder } from '../../client/testing/fake-recorder.js';
import type { KubeObject } from '../../machinery/object.js';
import { LABEL_EXCLUDE_LB, loadBalancerIngress, NODES, SERVICES, ServiceLBController } from './service-lb-controller.js';

function setup() {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const recorder = new FakeRecorder();
  const ctrl = new ServiceLBController({ client: cluster, informers: new FakeInformerFactory(cluster), newQueue: () => queue, recorder });
  const settle = () => drain(queue, (k) => ctrl.sync(k));
  const ingress = (name = 'web') =>
    (cluster.tracker.get(SERVICES, 'default', name)?.['status'] as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer
      ?.ingress;
  const reasons = () => recorder.events.map((e) => e.reason);
  return { cluster, queue, recorder, settle, ingress, reasons };
}

function node(name: string, ip: string, ready = true, labels?: Record<string, string>): KubeObject {
  return {
    kind: 'Node',
    metadata: { name, ...(labels ? { labels } : {}) },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

function svc(spec: Record<string, unknown>, name = 'web'): KubeObject {
  return {
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { clusterIP: '10.96.0.10', ports: [{ port: 80 }], ...spec },
    status: { loadBalancer: {} },
  };
}

describe('loadBalancerIngress', () => {
  it('the InternalIPs of Ready nodes, sorted, without excluded nodes', () => {
    const nodes = [
      node('b', '10.0.0.2'),
      node('a', '10.0.0.1'),
      node('c', '10.0.0.3', false),
      node('d', '10.0.0.4', true, { [LABEL_EXCLUDE_LB]: '' }),
    ];
    assert.deepEqual(loadBalancerIngress(nodes), [
      { ip: '10.0.0.1', ipMode: 'VIP' },
      { ip: '10.0.0.2', ipMode: 'VIP' },
    ]);
  });
});

describe('ServiceLBController', () => {
  it('gives a LoadBalancer Service the Ready nodes as ingress, with upstream events', async () => {
    const t = setup();
    t.cluster.tracker.put(NODES, node('n1', '10.0.0.1'));
    t.cluster.tracker.put(SERVICES, svc({ type: 'LoadBalancer' }));
    t.cluster.tracker.put(SERVICES, svc({ type: 'ClusterIP' }, 'plain'));
    t.cluster.tracker.put(SERVICES, svc({ type: 'LoadBalancer', loadBalancerClass: 'example.com/other' }, 'other'));
    await t.settle();
    assert.deepEqual(t.ingress(), [{ ip: '10.0.0.1', ipMode: 'VIP' }]);
    assert.equal(t.ingress('plain'), undefined);
    assert.equal(t.ingress('other'), undefined);
    assert.deepEqual(t.reasons(), ['EnsuringLoadBalancer', 'EnsuredLoadBalancer']);
    assert.equal(t.recorder.events[1]?.message, 'Ensured load balancer');
  });

  it('follows the nodes: a node becoming Ready joins, one going away leaves; heartbeats change nothing', async () => {
    const t = setup();
    t.cluster.tracker.put(NODES, node('n1', '10.0.0.1'));
    t.cluster.tracker.put(NODES, node('n2', '10.0.0.2', false));
    t.cluster.tracker.put(SERVICES, svc({ type: 'LoadBalancer' }));
    await t.settle();
    assert.deepEqual(t.ingress(), [{ ip: '10.0.0.1', ipMode: 'VIP' }]);
    t.cluster.tracker.put(NODES, node('n2', '10.0.0.2'));
    await t.settle();
    assert.deepEqual(t.ingress(), [
      { ip: '10.0.0.1', ipMode: 'VIP' },
      { ip: '10.0.0.2', ipMode: 'VIP' },
    ]);
    assert.equal(t.reasons().at(-1), 'UpdatedLoadBalancer');
    t.cluster.tracker.remove(NODES, '', 'n1');
    await t.settle();
    assert.deepEqual(t.ingress(), [{ ip: '10.0.0.2', ipMode: 'VIP' }]);
    const heartbeat = node('n2', '10.0.0.2');
    (heartbeat['status'] as Record<string, unknown>)['conditions'] = [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'later' }];
    t.cluster.tracker.put(NODES, heartbeat);
    assert.equal(t.queue.keys.length, 0);
  });

  it('clears the status when the Service stops being a LoadBalancer', async () => {
    const t = setup();
    t.cluster.tracker.put(NODES, node('n1', '10.0.0.1'));
    t.cluster.tracker.put(SERVICES, svc({ type: 'LoadBalancer' }));
    await t.settle();
    const current = t.cluster.tracker.get(SERVICES, 'default', 'web') as KubeObject;
    t.cluster.tracker.put(SERVICES, { ...current, spec: { ...(current['spec'] as object), type: 'ClusterIP' } });
    await t.settle();
    assert.equal(t.ingress(), undefined);
    assert.deepEqual(t.reasons().slice(-2), ['DeletingLoadBalancer', 'DeletedLoadBalancer']);
  });

  it('records the deletion also when the apiserver cleared the status with the type change', async () => {
    const t = setup();
    t.cluster.tracker.put(NODES, node('n1', '10.0.0.1'));
    t.cluster.tracker.put(SERVICES, svc({ type: 'LoadBalancer' }));
    await t.settle();
    const current = t.cluster.tracker.get(SERVICES, 'default', 'web') as KubeObject;
    t.cluster.tracker.put(SERVICES, {
      ...current,
      spec: { ...(current['spec'] as object), type: 'ClusterIP' },
      status: { loadBalancer: {} },
    });
    await t.settle();
    assert.deepEqual(t.reasons(), ['EnsuringLoadBalancer', 'EnsuredLoadBalancer', 'DeletingLoadBalancer', 'DeletedLoadBalancer']);
    assert.deepEqual(
      t.cluster.actions.filter((a) => a.verb === 'updateStatus').length,
      1,
      'only the first status write: nothing left to clear',
    );
  });

  it('no Ready node: the status stays pending', async () => {
    const t = setup();
    t.cluster.tracker.put(NODES, node('n1', '10.0.0.1', false));
    t.cluster.tracker.put(SERVICES, svc({ type: 'LoadBalancer' }));
    await t.settle();
    assert.equal(t.ingress(), undefined);
    assert.deepEqual(t.reasons(), []);
  });
});
