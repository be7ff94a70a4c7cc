import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { identityFromCertificate } from './client-identity.js';
import { createCertificateAuthority } from './ca.js';
import { issueClientCertificate } from './certs.js';

function peer(subject: Record<string, string | string[]>): PeerCertificate {
  return { subject } as unknown as PeerCertificate;
}

test('identityFromCertificate reads Node peer certificates', () => {
  const cases = [
    { name: 'single group', cert: peer({ CN: 'jane', O: 'dev' }), want: { user: 'jane', groups: ['dev'] } },
    { name: 'several groups', cert: peer({ CN: 'jane', O: ['dev', 'ops'] }), want: { user: 'jane', groups: ['dev', 'ops'] } },
    { name: 'no groups', cert: peer({ CN: 'system:node:n1' }), want: { user: 'system:node:n1', groups: [] } },
    { name: 'several CNs: last wins', cert: peer({ CN: ['a', 'b'] }), want: { user: 'b', groups: [] } },
    { name: 'no CN', cert: peer({ O: 'dev' }), want: null },
    { name: 'empty CN', cert: peer({ CN: '' }), want: null },
    { name: 'no certificate ({})', cert: {} as PeerCertificate, want: null },
  ];
  for (const c of cases) assert.deepEqual(identityFromCertificate(c.cert), c.want, c.name);
});

test('identityFromCertificate reads DER', async () => {
  const ca = await createCertificateAuthority();
  const cases = [
    { user: 'kubernetes-admin', groups: ['system:masters'] },
    { user: 'system:node:worker-1', groups: ['system:nodes', 'x,y'] },
    { user: 'solo', groups: [] },
  ];
  for (const c of cases) {
    const issued = await issueClientCertificate(ca, c);
    const der = new X509Certificate(issued.certPem).raw;
    assert.deepEqual(identityFromCertificate(der), c);
    assert.deepEqual(identityFromCertificate(new Uint8Array(der).buffer.slice(der.byteOffset, der.byteOffset + der.byteLength)), c);
  }
});
