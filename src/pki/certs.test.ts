import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509 } from './x509.js';
import { createCertificateAuthority, loadCertificateAuthority } from './ca.js';
import {
  canonicalIP,
  coversSubjectAltNames,
  isCertificateReusable,
  isIssuedBy,
  issueClientCertificate,
  issueServerCertificate,
  leafValidityDays,
  subjectAltNamesOf,
} from './certs.js';

const DAY = 24 * 60 * 60 * 1000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const now = new Date('2030-06-01T12:00:00Z');

test('server certificate: chain verifies, SANs and serverAuth, one year, backdated', async () => {
  const ca = await createCertificateAuthority({ now: new Date('2030-01-01T00:00:00Z') });
  const issued = await issueServerCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'Kubernetes.Default', 'localhost'],
    ipAddresses: ['127.0.0.1', '0:0:0:0:0:0:0:1', '10.96.0.1'],
    now,
  });
  const cert = new X509Certificate(issued.certPem);
  const caCert = new X509Certificate(ca.certPem);
  assert.ok(cert.verify(caCert.publicKey), 'signed by the CA key');
  assert.ok(cert.checkIssued(caCert));
  assert.ok(isIssuedBy(issued.certPem, ca));
  assert.equal(cert.subject, 'CN=kube-apiserver');
  assert.equal(cert.ca, false);
  assert.deepEqual(cert.keyUsage, [SERVER_AUTH]);
  assert.equal(
    cert.subjectAltName,
    'DNS:localhost, DNS:kubernetes.default, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.96.0.1',
  );
  assert.deepEqual(subjectAltNamesOf(issued.cert), {
    dnsNames: ['localhost', 'kubernetes.default'],
    ipAddresses: ['127.0.0.1', '::1', '10.96.0.1'],
  });
  assert.equal(new Date(cert.validFrom).getTime(), now.getTime() - 5 * 60 * 1000);
  assert.equal(new Date(cert.validTo).getTime(), now.getTime() + leafValidityDays * DAY);
  // The leaf's authority key id is the CA's subject key id.
  const skid = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const akid = issued.cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
  assert.ok(skid);
  assert.equal(akid, skid);
  assert.ok(cert.checkHost('kubernetes.default'));
  assert.ok(cert.checkIP('10.96.0.1'));
  assert.equal(cert.checkHost('example.com'), undefined);
});

test('client certificate: CN is the user, one O per group, clientAuth', async () => {
  const ca = await createCertificateAuthority();
  const cases = [
    { user: 'kubernetes-admin', groups: ['system:masters'], subject: 'O=system:masters\nCN=kubernetes-admin' },
    { user: 'system:node:n1', groups: ['system:nodes', 'a,b'], subject: 'O=system:nodes\nO=a\\,b\nCN=system:node:n1' },
    { user: 'jane', groups: [], subject: 'CN=jane' },
  ];
  for (const c of cases) {
    const issued = await issueClientCertificate(ca, { user: c.user, groups: c.groups });
    const cert = new X509Certificate(issued.certPem);
    assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
    assert.equal(cert.subject, c.subject);
    assert.deepEqual(cert.keyUsage, [CLIENT_AUTH]);
    assert.equal(cert.subjectAltName, undefined);
    assert.deepEqual(issued.cert.subjectName.getField('O'), c.groups);
  }
});

test('leaf validity never outlives the CA; RSA leaves get keyEncipherment', async () => {
  const ca = await createCertificateAuthority({ algorithm: 'RSA-2048', validityDays: 30 });
  const issued = await issueClientCertificate(ca, { user: 'u', algorithm: 'RSA-2048' });
  assert.equal(issued.cert.notAfter.getTime(), ca.cert.notAfter.getTime());
  assert.ok(issued.cert.notBefore.getTime() >= ca.cert.notBefore.getTime());
  const ku = issued.cert.getExtension(x509.KeyUsagesExtension);
  assert.equal(ku?.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
  assert.equal((issued.cert.signatureAlgorithm as unknown as { name: string }).name, 'RSASSA-PKCS1-v1_5');
});

test('openssl verifies the chain with the TLS purposes', { skip: !hasOpenssl() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-pki-'));
  try {
    const ca = await createCertificateAuthority();
    const server = await issueServerCertificate(ca, { commonName: 's', dnsNames: ['localhost'] });
    const client = await issueClientCertificate(ca, { user: 'u', groups: ['g'] });
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    writeFileSync(join(dir, 'server.crt'), server.certPem);
    writeFileSync(join(dir, 'client.crt'), client.certPem);
    const verify = (file: string, purpose: string) =>
      execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), '-purpose', purpose, join(dir, file)], { encoding: 'utf8' });
    assert.match(verify('server.crt', 'sslserver'), /OK/);
    assert.match(verify('client.crt', 'sslclient'), /OK/);
    assert.throws(() => verify('client.crt', 'sslserver'), 'a client certificate is no server certificate');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a CA made by openssl (PKCS#1 RSA key, like kubeadm) signs leaves that verify', { skip: !hasOpenssl() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-pki-'));
  try {
    execFileSync('openssl', ['genrsa', '-traditional', '-out', join(dir, 'ca.key'), '2048'], { stdio: 'ignore' });
    execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', join(dir, 'ca.key'), '-subj', '/CN=kubernetes', '-days', '10', '-out', join(dir, 'ca.crt')],
      { stdio: 'ignore' },
    );
    const { readFileSync } = await import('node:fs');
    const keyPem = readFileSync(join(dir, 'ca.key'), 'utf8');
    assert.match(keyPem, /BEGIN RSA PRIVATE KEY/);
    const ca = await loadCertificateAuthority(readFileSync(join(dir, 'ca.crt'), 'utf8'), keyPem);
    const leaf = await issueServerCertificate(ca, { commonName: 'x', ipAddresses: ['10.0.0.1'] });
    writeFileSync(join(dir, 'leaf.crt'), leaf.certPem);
    const out = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), join(dir, 'leaf.crt')], { encoding: 'utf8' });
    assert.match(out, /OK/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('isCertificateReusable', async () => {
  const ca = await createCertificateAuthority();
  const otherCA = await createCertificateAuthority();
  const server = await issueServerCertificate(ca, { commonName: 's', dnsNames: ['a', 'b'], ipAddresses: ['10.0.0.1'] });
  const foreign = await issueServerCertificate(otherCA, { commonName: 's', dnsNames: ['a', 'b'] });
  const client = await issueClientCertificate(ca, { user: 'u', groups: ['g1', 'g2'] });
  const soon = new Date(Date.now() + (leafValidityDays - 30) * DAY);
  const cases = [
    { name: 'fits', pair: server, check: { subjectAltNames: { dnsNames: ['A'], ipAddresses: ['10.0.0.1'] } }, want: true },
    { name: 'missing DNS name', pair: server, check: { subjectAltNames: { dnsNames: ['c'] } }, want: false },
    { name: 'missing IP', pair: server, check: { subjectAltNames: { ipAddresses: ['10.0.0.2'] } }, want: false },
    { name: 'other CA', pair: foreign, check: {}, want: false },
    { name: 'near expiry', pair: server, check: { now: soon }, want: false },
    { name: 'client subject matches', pair: client, check: { client: { user: 'u', groups: ['g1', 'g2'] } }, want: true },
    { name: 'client groups differ', pair: client, check: { client: { user: 'u', groups: ['g1'] } }, want: false },
    { name: 'client user differs', pair: client, check: { client: { user: 'v', groups: ['g1', 'g2'] } }, want: false },
  ];
  for (const c of cases) {
    assert.equal(isCertificateReusable(ca, c.pair.certPem, c.pair.keyPem, c.check), c.want, c.name);
  }
  assert.equal(isCertificateReusable(ca, server.certPem, client.keyPem), false, 'key of another certificate');
  assert.equal(isCertificateReusable(ca, 'garbage', server.keyPem), false, 'garbage');
});

test('coversSubjectAltNames and canonicalIP', () => {
  const have = { dnsNames: ['localhost', 'kubernetes'], ipAddresses: ['127.0.0.1', '::1'] };
  const cases = [
    { want: {}, covered: true },
    { want: { dnsNames: ['LOCALHOST'] }, covered: true },
    { want: { ipAddresses: ['0:0:0:0:0:0:0:1'] }, covered: true },
    { want: { ipAddresses: ['127.0.0.2'] }, covered: false },
    { want: { dnsNames: ['kubernetes.default'] }, covered: false },
  ];
  for (const c of cases) assert.equal(coversSubjectAltNames(have, c.want), c.covered, JSON.stringify(c.want));
  const ips = [
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '::1'],
    ['FD00:0:0:0:0:0:0:10', 'fd00::10'],
    ['::ffff:10.0.0.1', '::ffff:a00:1'],
  ];
  for (const [input, want] of ips) assert.equal(canonicalIP(input!), want);
  assert.throws(() => canonicalIP('kubernetes'), TypeError);
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
