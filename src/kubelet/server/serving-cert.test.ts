import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { createCertificateAuthority } from '../../pki/ca.js';
import { kubeletServingCertificate } from './serving-cert.js';

function pems(text: string): X509Certificate[] {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((p) => new X509Certificate(p));
}

describe('kubeletServingCertificate', () => {
  it('is signed by the cluster CA when there is one', async () => {
    const ca = await createCertificateAuthority();
    const { cert } = await kubeletServingCertificate('node-a', ['192.0.2.7'], ca);
    const [leaf, ...rest] = pems(cert);
    assert.deepEqual(rest, []);
    assert.ok(leaf?.checkIssued(new X509Certificate(ca.certPem)));
    assert.match(leaf?.subject ?? '', /CN=system:node:node-a/);
    assert.match(leaf?.subjectAltName ?? '', /DNS:node-a/);
    assert.match(leaf?.subjectAltName ?? '', /IP Address:192\.0\.2\.7/);
  });

  it('is self-signed the way upstream’s kubelet makes one otherwise: "<host>@<time>" by "<host>-ca@<time>"', async () => {
    const { cert, key } = await kubeletServingCertificate('node-b', []);
    const [leaf, signer] = pems(cert);
    assert.ok(leaf && signer && leaf.checkIssued(signer));
    assert.match(leaf.subject, /CN=node-b@\d+/);
    assert.match(signer.subject, /CN=node-b-ca@\d+/);
    assert.match(key, /BEGIN PRIVATE KEY/);
  });
});
