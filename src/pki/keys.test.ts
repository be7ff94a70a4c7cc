import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import {
  decodePem,
  decodePrivateKeyPem,
  decodePublicKeyPem,
  encodePrivateKeyPem,
  encodePublicKeyPem,
  generateKeyPair,
  samePublicKey,
  type KeyAlgorithm,
} from './keys.js';
import { isPkiError } from './errors.js';

const algorithms: { algorithm: KeyAlgorithm; type: string; detail: string | number }[] = [
  { algorithm: 'ECDSA-P256', type: 'ec', detail: 'prime256v1' },
  { algorithm: 'ECDSA-P384', type: 'ec', detail: 'secp384r1' },
  { algorithm: 'RSA-2048', type: 'rsa', detail: 2048 },
];

for (const { algorithm, type, detail } of algorithms) {
  test(`${algorithm}: PKCS#8 and PKIX PEM round-trip and sign with node:crypto`, async () => {
    const keys = await generateKeyPair(algorithm);
    const keyPem = await encodePrivateKeyPem(keys.privateKey);
    const pubPem = await encodePublicKeyPem(keys.publicKey);
    assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(pubPem, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.ok(keyPem.split('\n').every((line) => line.length <= 64));

    const decoded = await decodePrivateKeyPem(keyPem);
    assert.ok(await samePublicKey(decoded.publicKey, keys.publicKey));
    assert.ok(await samePublicKey(await decodePublicKeyPem(pubPem), keys.publicKey));

    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    const priv = createPrivateKey(keyPem);
    assert.equal(priv.asymmetricKeyType, type);
    const details = priv.asymmetricKeyDetails;
    assert.equal(type === 'ec' ? details?.namedCurve : details?.modulusLength, detail);
    const sig = sign('sha256', Buffer.from('hello'), priv);
    assert.ok(verify('sha256', Buffer.from('hello'), createPublicKey(pubPem), sig));
  });
}

test('decodePrivateKeyPem reads kubeadm/openssl formats (PKCS#1 RSA, SEC1 EC)', async () => {
  const cases = [
    {
      pem: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }),
      header: 'RSA PRIVATE KEY',
    },
    {
      pem: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }),
      header: 'EC PRIVATE KEY',
    },
  ];
  for (const { pem, header } of cases) {
    assert.ok(String(pem).includes(`BEGIN ${header}`));
    const keys = await decodePrivateKeyPem(String(pem));
    assert.equal(keys.privateKey.type, 'private');
    assert.equal(keys.publicKey.type, 'public');
  }
});

test('bad or unsupported keys fail with stable codes', async () => {
  const cases: { pem: string; code: string }[] = [
    { pem: 'not a key', code: 'InvalidPEM' },
    { pem: String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })), code: 'UnsupportedKey' },
    {
      pem: String(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey.export({ type: 'pkcs8', format: 'pem' })),
      code: 'UnsupportedKey',
    },
  ];
  for (const { pem, code } of cases) {
    await assert.rejects(decodePrivateKeyPem(pem), (err) => isPkiError(err) && err.code === code, `want ${code}`);
  }
  assert.throws(
    () => decodePem('-----BEGIN CERTIFICATE-----\n', 'CERTIFICATE'),
    (err) => isPkiError(err, 'InvalidPEM'),
  );
});
