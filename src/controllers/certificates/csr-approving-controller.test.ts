import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clientset, GroupVersionResource, ResourceClient } from '../../client/interface.js';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import type { KubeObject } from '../../machinery/object.js';
import { CSRApprovingController } from './csr-approving-controller.js';
import { CSRS } from './csr-checks.js';
import { testCSR } from './csr-test-support.js';

type Spec = { user: string; resourceAttributes: { subresource: string } };

/** The fake cluster, whose SubjectAccessReviews answer from `allowed` (user → subresources). */
function setup(allowed: Record<string, string[]>) {
  const cluster = new FakeClientset();
  const reviews: Spec[] = [];
  const client: Clientset = {
    resource(gvr: GroupVersionResource): ResourceClient {
      if (gvr.resource !== 'subjectaccessreviews') return cluster.resource(gvr);
      return {
        create: async (_ns: string, review: KubeObject) => {
          const spec = review['spec'] as Spec;
          reviews.push(spec);
          return { ...review, status: { allowed: (allowed[spec.user] ?? []).includes(spec.resourceAttributes.subresource) } };
        },
      } as unknown as ResourceClient;
    },
    close() {},
  };
  const queue = new FakeQueue();
  const ctrl = new CSRApprovingController({ client, informers: new FakeInformerFactory(cluster), newQueue: () => queue });
  const settle = () => drain(queue, (k) => ctrl.sync(k));
  const conditions = (name: string) =>
    ((cluster.tracker.get(CSRS, '', name)?.['status'] ?? {}) as { conditions?: Record<string, string>[] }).conditions;
  return { cluster, reviews, settle, conditions };
}

const NODE = { commonName: 'system:node:a', organizations: ['system:nodes'] };

describe('CSRApprovingController', () => {
  it('approves a bootstrap token user’s kubelet client request when it may create nodeclient', async () => {
    const { cluster, reviews, settle, conditions } = setup({ 'system:bootstrap:abcdef': ['nodeclient'] });
    cluster.tracker.put(CSRS, await testCSR({ name: 'node-csr-a', ...NODE }));
    await settle();
    assert.deepEqual(cluster.writes(), ['updateSubresource certificatesigningrequests.certificates.k8s.io/approval node-csr-a']);
    const c = conditions('node-csr-a')?.[0];
    assert.equal(c?.['type'], 'Approved');
    assert.equal(c?.['reason'], 'AutoApproved');
    assert.equal(c?.['message'], 'Auto approving kubelet client certificate after SubjectAccessReview.');
    assert.deepEqual(
      reviews.map((r) => r.resourceAttributes.subresource),
      ['nodeclient'],
    );
  });

  it('approves a node’s renewal of its own certificate through selfnodeclient', async () => {
    const { cluster, settle, conditions } = setup({ 'system:node:a': ['selfnodeclient'] });
    cluster.tracker.put(CSRS, await testCSR({ name: 'renew', ...NODE, username: 'system:node:a', groups: ['system:nodes'] }));
    await settle();
    assert.equal(conditions('renew')?.[0]?.['message'], 'Auto approving self kubelet client certificate after SubjectAccessReview.');
  });

  it('leaves requests alone when the review refuses, or the request is no kubelet client one', async () => {
    const { cluster, settle } = setup({ 'system:bootstrap:abcdef': ['nodeclient'] });
    cluster.tracker.put(CSRS, await testCSR({ name: 'refused', ...NODE, username: 'someone' }));
    cluster.tracker.put(CSRS, await testCSR({ name: 'admin', commonName: 'admin', organizations: ['system:masters'] }));
    cluster.tracker.put(CSRS, await testCSR({ name: 'serving', ...NODE, usages: ['server auth'] }));
    cluster.tracker.put(CSRS, await testCSR({ name: 'other', ...NODE, signerName: 'kubernetes.io/kube-apiserver-client' }));
    cluster.tracker.put(CSRS, await testCSR({ name: 'denied', ...NODE, conditions: [{ type: 'Denied', status: 'True' }] }));
    await settle();
    assert.deepEqual(cluster.writes(), []);
  });
});
