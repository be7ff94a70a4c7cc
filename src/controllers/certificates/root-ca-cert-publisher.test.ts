import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { NAMESPACES } from '../serviceaccount/serviceaccounts-controller.js';
import { CONFIG_MAPS, ROOT_CA_CONFIG_MAP, RootCACertPublisher } from './root-ca-cert-publisher.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function setup() {
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const ctrl = new RootCACertPublisher({ client: cluster, informers: new FakeInformerFactory(cluster), newQueue: () => queue, rootCA: CA });
  const settle = () => drain(queue, (k) => ctrl.sync(k));
  return { cluster, settle };
}

describe('RootCACertPublisher', () => {
  it('publishes kube-root-ca.crt in every namespace, and writes it back when deleted or changed', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(NAMESPACES, { metadata: { name: 'a' }, status: { phase: 'Active' } });
    await settle();
    assert.deepEqual(cluster.writes(), [`create configmaps a/${ROOT_CA_CONFIG_MAP}`]);
    const cm = cluster.tracker.get(CONFIG_MAPS, 'a', ROOT_CA_CONFIG_MAP);
    assert.deepEqual(cm?.['data'], { 'ca.crt': CA });
    assert.match(
      cm?.metadata.annotations?.['kubernetes.io/description'] ?? '',
      /^Contains a CA bundle that can be used to verify the kube-apiserver/,
    );

    const changed = structuredClone(cm);
    if (!changed) throw new Error('no ConfigMap');
    changed['data'] = { 'ca.crt': 'other', extra: 'x' };
    await cluster.resource(CONFIG_MAPS).update('a', changed);
    await settle();
    assert.deepEqual(cluster.tracker.get(CONFIG_MAPS, 'a', ROOT_CA_CONFIG_MAP)?.['data'], { 'ca.crt': CA });

    await cluster.resource(CONFIG_MAPS).delete('a', ROOT_CA_CONFIG_MAP);
    await settle();
    assert.ok(cluster.tracker.get(CONFIG_MAPS, 'a', ROOT_CA_CONFIG_MAP));
  });

  it('leaves a terminating namespace alone', async () => {
    const { cluster, settle } = setup();
    cluster.tracker.put(NAMESPACES, {
      metadata: { name: 't', deletionTimestamp: '2024-01-01T00:00:00Z' },
      status: { phase: 'Terminating' },
    });
    await settle();
    assert.deepEqual(cluster.writes(), []);
  });
});
