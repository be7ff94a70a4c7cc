import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Indexer } from '../client/indexer.js';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import type { KubeObject } from '../machinery/object.js';
import { IngressStatusWriter } from './status-writer.js';

const INGRESSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };

const node = (name: string, ip: string, ready: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  status: {
    addresses: [
      { type: 'Hostname', address: name },
      { type: 'InternalIP', address: ip },
    ],
    conditions: [{ type: 'Ready', status: ready }],
  },
});

describe('IngressStatusWriter', () => {
  const nodes = new Indexer();
  for (const n of [node('b', '10.0.0.2', 'True'), node('a', '10.0.0.10', 'True'), node('down', '10.0.0.3', 'Unknown')]) nodes.upsert(n);

  it('lists the Ready serving nodes’ InternalIPs, sorted', () => {
    const writer = new IngressStatusWriter({ ingresses: new FakeClientset().resource(INGRESSES), nodes });
    assert.deepEqual(writer.addresses(), ['10.0.0.10', '10.0.0.2']);
  });

  it('writes only the Ingresses whose status differs', async () => {
    const clientset = new FakeClientset();
    const ingresses = clientset.resource(INGRESSES);
    const stale = await ingresses.create('default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'stale', namespace: 'default' },
      spec: {},
    });
    const current = await ingresses.create('default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'current', namespace: 'default' },
      spec: {},
      status: { loadBalancer: { ingress: [{ ip: '10.0.0.10' }, { ip: '10.0.0.2' }] } },
    });
    clientset.actions.length = 0;
    await new IngressStatusWriter({ ingresses, nodes }).sync([stale, current]);
    assert.deepEqual(clientset.writes(), ['updateStatus ingresses.networking.k8s.io default/stale']);
    assert.deepEqual((await ingresses.get('default', 'stale'))['status'], {
      loadBalancer: { ingress: [{ ip: '10.0.0.10' }, { ip: '10.0.0.2' }] },
    });
  });
});
