import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { publishDNSEndpoint } from './endpoint-publisher.js';

const NODES = { group: '', version: 'v1', resource: 'nodes' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

describe('publishDNSEndpoint', () => {
  it('keeps the node’s kube-dns EndpointSlice, owned by the Node, and deletes it on stop', async () => {
    const clientset = new FakeClientset();
    const node = clientset.tracker.put(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const stop = new AbortController();
    const logs: string[] = [];
    const running = publishDNSEndpoint({ clientset, nodeName: 'n1', nodeIP: '10.0.0.7', port: 53, log: (m) => logs.push(m) }, stop.signal);
    for (let i = 0; i < 500 && !clientset.tracker.get(SLICES, 'kube-system', 'kube-dns-n1'); i++) await sleep(10);
    const slice = clientset.tracker.get(SLICES, 'kube-system', 'kube-dns-n1');
    assert.deepEqual(slice?.metadata.labels, {
      'kubernetes.io/service-name': 'kube-dns',
      'endpointslice.kubernetes.io/managed-by': 'agent.k8ts.io',
    });
    assert.deepEqual(slice?.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: node.metadata.uid }]);
    assert.deepEqual(slice?.['endpoints'], [
      { addresses: ['10.0.0.7'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1' },
    ]);
    assert.deepEqual(slice?.['ports'], [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    ]);
    stop.abort();
    await running;
    assert.equal(clientset.tracker.get(SLICES, 'kube-system', 'kube-dns-n1'), undefined);
    assert.deepEqual(clientset.writes(), [
      'create endpointslices.discovery.k8s.io kube-system/kube-dns-n1',
      'delete endpointslices.discovery.k8s.io kube-system/kube-dns-n1',
    ]);
    assert.deepEqual(logs, []);
  });
});
