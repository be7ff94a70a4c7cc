import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { FakeClientset } from '../../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../../client/testing/fake-informers.js';
import { drain, FakeQueue } from '../../client/testing/fake-queue.js';
import { createCertificateAuthority } from '../../pki/ca.js';
import { x509 } from '../../pki/x509.js';
import { CSRS } from './csr-checks.js';
import { CSRSigningController } from './csr-signing-controller.js';
import { testCSR } from './csr-test-support.js';

const APPROVED = [{ type: 'Approved', status: 'True', reason: 'AutoApproved' }];
const NOW = new Date('2026-12-06T12:00:00Z');

async function setup() {
  const ca = await createCertificateAuthority({ now: new Date('2026-01-01T00:00:00Z') });
  const cluster = new FakeClientset();
  const queue = new FakeQueue();
  const ctrl = new CSRSigningController({
    client: cluster,
    informers: new FakeInformerFactory(cluster),
    newQueue: () => queue,
    ca,
    now: () => NOW,
  });
  const settle = () => drain(queue, (k) => ctrl.sync(k));
  const issued = (name: string) => {
    const b64 = String(((cluster.tracker.get(CSRS, '', name)?.['status'] ?? {}) as Record<string, unknown>)['certificate'] ?? '');
    return b64 ? new x509.X509Certificate(Buffer.from(b64, 'base64').toString()) : undefined;
  };
  const conditions = (name: string) =>
    ((cluster.tracker.get(CSRS, '', name)?.['status'] ?? {}) as { conditions?: Record<string, string>[] }).conditions;
  return { ca, cluster, settle, issued, conditions };
}

describe('CSRSigningController', () => {
  it('signs an approved kubelet client request for a year, with its subject and client usages', async () => {
    const { ca, cluster, settle, issued } = await setup();
    cluster.tracker.put(
      CSRS,
      await testCSR({ name: 'node-csr-a', commonName: 'system:node:a', organizations: ['system:nodes'], conditions: APPROVED }),
    );
    await settle();
    const cert = issued('node-csr-a');
    assert.ok(cert);
    assert.equal(cert.subject, 'O=system:nodes, CN=system:node:a');
    assert.equal(cert.issuer, ca.cert.subject);
    assert.equal(cert.notAfter.getTime() - NOW.getTime(), 8760 * 3600 * 1000);
    assert.ok(await cert.verify({ publicKey: ca.keys.publicKey, signatureOnly: true }));
    const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
    assert.deepEqual([...(eku?.usages ?? [])], [x509.ExtendedKeyUsage.clientAuth]);
    assert.equal(cert.getExtension(x509.BasicConstraintsExtension)?.ca, false);
  });

  it('honours a shorter spec.expirationSeconds', async () => {
    const { cluster, settle, issued } = await setup();
    const csr = await testCSR({
      name: 'short',
      commonName: 'system:node:a',
      organizations: ['system:nodes'],
      expirationSeconds: 3600,
      conditions: APPROVED,
    });
    cluster.tracker.put(CSRS, csr);
    await settle();
    assert.equal((issued('short')?.notAfter.getTime() ?? 0) - NOW.getTime(), 3600 * 1000);
  });

  it('leaves pending, denied, issued and foreign-signer requests alone', async () => {
    const { cluster, settle } = await setup();
    const node = { commonName: 'system:node:a', organizations: ['system:nodes'] };
    cluster.tracker.put(CSRS, await testCSR({ name: 'pending', ...node }));
    cluster.tracker.put(CSRS, await testCSR({ name: 'denied', ...node, conditions: [{ type: 'Denied', status: 'True' }] }));
    cluster.tracker.put(CSRS, await testCSR({ name: 'other', ...node, signerName: 'example.com/signer', conditions: APPROVED }));
    await settle();
    assert.deepEqual(cluster.writes(), []);
  });

  it('fails a request that breaks its signer rules (reason SignerValidationFailure)', async () => {
    const { cluster, settle, issued, conditions } = await setup();
    cluster.tracker.put(
      CSRS,
      await testCSR({ name: 'admin', commonName: 'admin', organizations: ['system:masters'], conditions: APPROVED }),
    );
    cluster.tracker.put(
      CSRS,
      await testCSR({
        name: 'serving',
        commonName: 'system:node:a',
        organizations: ['system:nodes'],
        usages: ['server auth'],
        conditions: APPROVED,
      }),
    );
    await settle();
    assert.equal(issued('admin'), undefined);
    const failed = conditions('admin')?.find((c) => c['type'] === 'Failed');
    assert.equal(failed?.['reason'], 'SignerValidationFailure');
    assert.equal(failed?.['message'], 'subject organization is not system:nodes');
    assert.match(conditions('serving')?.find((c) => c['type'] === 'Failed')?.['message'] ?? '', /required usage "client auth"/);
  });

  it('signs kube-apiserver-client requests for any subject with client usages', async () => {
    const { cluster, settle, issued } = await setup();
    cluster.tracker.put(
      CSRS,
      await testCSR({
        name: 'user',
        commonName: 'jane',
        organizations: ['dev'],
        signerName: 'kubernetes.io/kube-apiserver-client',
        conditions: APPROVED,
      }),
    );
    await settle();
    assert.equal(issued('user')?.subject, 'O=dev, CN=jane');
  });
});
