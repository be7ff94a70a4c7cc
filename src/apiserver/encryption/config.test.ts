import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEncryptionConfiguration } from './config.js';

const K32 = Buffer.alloc(32, 1).toString('base64');
const K16 = Buffer.alloc(16, 2).toString('base64');

function doc(resources: string): string {
  return `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n${resources}`;
}

test('resources take their exact entry, then their group wildcard, then *.*; the first entry naming one wins', () => {
  const transformerFor = parseEncryptionConfiguration(
    doc(`  - resources: [secrets, deployments.apps]
    providers: [{ aescbc: { keys: [{ name: k1, secret: ${K32} }] } }]
  - resources: [secrets, '*.apps']
    providers: [{ secretbox: { keys: [{ name: k2, secret: ${K32} }] } }]
  - resources: ['*.']
    providers: [{ aesgcm: { keys: [{ name: k3, secret: ${K16} }] } }]
  - resources: ['*.*']
    providers: [{ identity: {} }]
`),
  );
  const prefixOf = (group: string, resource: string): string => transformerFor(group, resource)?.toStorage('{}', '/k').slice(0, 25) ?? '';
  assert.match(prefixOf('', 'secrets'), /^k8s:enc:aescbc:v1:k1:/);
  assert.match(prefixOf('apps', 'deployments'), /^k8s:enc:aescbc:v1:k1:/);
  assert.match(prefixOf('apps', 'statefulsets'), /^k8s:enc:secretbox:v1:k2:/);
  assert.match(prefixOf('', 'configmaps'), /^k8s:enc:aesgcm:v1:k3:/);
  assert.equal(transformerFor('batch', 'jobs')?.toStorage('{}', '/k'), '{}');
});

test('a resource no entry names is not transformed', () => {
  const transformerFor = parseEncryptionConfiguration(
    doc(`  - resources: [secrets]\n    providers: [{ aescbc: { keys: [{ name: k1, secret: ${K32} }] } }]\n`),
  );
  assert.equal(transformerFor('', 'configmaps'), undefined);
});

test('every key of a provider reads; the first key of the first provider writes', () => {
  const transformerFor = parseEncryptionConfiguration(
    doc(`  - resources: [secrets]
    providers:
      - aescbc: { keys: [{ name: new, secret: ${K32} }, { name: old, secret: ${K16} }] }
`),
  );
  const t = transformerFor('', 'secrets');
  assert.ok(t);
  assert.match(t.toStorage('{"a":1}', '/k'), /^k8s:enc:aescbc:v1:new:/);
  const oldOnly = parseEncryptionConfiguration(
    doc(`  - resources: [secrets]\n    providers: [{ aescbc: { keys: [{ name: old, secret: ${K16} }] } }]\n`),
  )('', 'secrets');
  const written = oldOnly?.toStorage('{"a":1}', '/k') ?? '';
  assert.deepEqual(t.fromStorage(written, '/k'), { data: '{"a":1}', stale: true });
});

test('invalid configurations fail with field paths and never quote a secret', () => {
  const short = Buffer.alloc(8, 7).toString('base64');
  assert.throws(
    () =>
      parseEncryptionConfiguration(
        doc(`  - resources: [secrets]\n    providers: [{ aescbc: { keys: [{ name: k, secret: ${short} }] } }]\n`),
      ),
    (err: Error) => {
      assert.match(
        err.message,
        /resources\[0\]\.providers\[0\]\.aescbc\.keys\[0\]\.secret: Invalid value: "REDACTED": secret is not of the expected length, got 8, expected one of \[16 24 32\]/,
      );
      assert.equal(err.message.includes(short), false);
      return true;
    },
  );
  assert.throws(
    () => parseEncryptionConfiguration(doc(`  - resources: [secrets]\n    providers: [{ aescbc: { keys: [] }, identity: {} }]\n`)),
    /more than one provider specified in a single element/,
  );
  assert.throws(
    () =>
      parseEncryptionConfiguration(
        doc(`  - resources: [secrets]\n    providers: [{ secretbox: { keys: [{ name: k, secret: ${K16} }] } }]\n`),
      ),
    /expected one of \[32\]/,
  );
  assert.throws(() => parseEncryptionConfiguration('kind: Other\n'), /EncryptionConfiguration/);
});
