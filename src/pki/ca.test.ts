import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  caValidityDays,
  createCertificateAuthority,
  decodeCertificatePem,
  encodeCertificatePem,
  loadCertificateAuthority,
  randomSerialNumber,
} from './ca.js';
import { isPkiError } from './errors.js';

const DAY = 24 * 60 * 60 * 1000;

for (const algorithm of ['ECDSA-P256', 'RSA-2048'] as const) {
  test(`${algorithm} CA: self-signed, CN=kubernetes, CA:TRUE, ten years, backdated`, async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const ca = await createCertificateAuthority({ algorithm, now });
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.subject, 'CN=kubernetes');
    assert.equal(cert.issuer, 'CN=kubernetes');
    assert.equal(cert.ca, true);
    assert.ok(cert.verify(cert.publicKey), 'self-signature verifies');
    assert.ok(cert.checkPrivateKey(createPrivateKey(ca.keyPem)));
    const from = new Date(cert.validFrom).getTime();
    const to = new Date(cert.validTo).getTime();
    assert.equal(from, now.getTime() - 5 * 60 * 1000);
    assert.equal(to, now.getTime() + caValidityDays * DAY);
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  });
}

test('certificate PEM round-trips byte for byte', async () => {
  const ca = await createCertificateAuthority({ commonName: 'other-ca' });
  const again = encodeCertificatePem(decodeCertificatePem(ca.certPem));
  assert.equal(again, ca.certPem);
  assert.equal(decodeCertificatePem(ca.certPem).subject, 'CN=other-ca');
});

test('loadCertificateAuthority accepts its own output and rejects bad pairs', async () => {
  const ca = await createCertificateAuthority();
  const loaded = await loadCertificateAuthority(ca.certPem, ca.keyPem);
  assert.equal(loaded.cert.serialNumber, ca.cert.serialNumber);

  const other = await createCertificateAuthority();
  const stranger = String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }));
  const expired = await createCertificateAuthority({ now: new Date('2000-01-01T00:00:00Z'), validityDays: 1 });
  const cases = [
    { name: 'key of another CA', cert: ca.certPem, key: other.keyPem, code: 'KeyMismatch' },
    { name: 'unrelated SEC1 key', cert: ca.certPem, key: stranger, code: 'KeyMismatch' },
    { name: 'expired CA', cert: expired.certPem, key: expired.keyPem, code: 'CAInvalid' },
    { name: 'garbage cert', cert: 'nope', key: ca.keyPem, code: 'InvalidPEM' },
  ];
  for (const c of cases) {
    await assert.rejects(loadCertificateAuthority(c.cert, c.key), (err) => isPkiError(err) && err.code === c.code, c.name);
  }
});

test('serial numbers are positive, 16 bytes and distinct', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const serial = randomSerialNumber();
    assert.equal(serial.length, 32);
    assert.ok(parseInt(serial.slice(0, 2), 16) < 0x80);
    seen.add(serial);
  }
  assert.equal(seen.size, 200);
});
