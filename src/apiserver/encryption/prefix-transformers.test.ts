import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { AESCBCTransformer } from './aes.js';
import { identityTransformer, PrefixTransformers } from './prefix-transformers.js';

const cbc = (name: string, fill: number) => ({
  prefix: `k8s:enc:aescbc:v1:${name}:`,
  transformer: new AESCBCTransformer({ key: Buffer.alloc(32, fill) }),
});
const identity = { prefix: '', transformer: identityTransformer };

/** An aescbc value with a zero IV: deterministic, so a wrong key's bad padding is certain, not likely. */
function fixedCbc(name: string, fill: number, plain: string): string {
  const cipher = createCipheriv('aes-256-cbc', Buffer.alloc(32, fill), Buffer.alloc(16));
  const body = Buffer.concat([Buffer.alloc(16), cipher.update(plain), cipher.final()]);
  return `k8s:enc:aescbc:v1:${name}:${body.toString('base64')}`;
}

test('identity first writes plain JSON and still reads encrypted values (stale)', () => {
  const encrypted = new PrefixTransformers([cbc('k1', 1)]).toStorage('{"a":1}', '/k');
  const t = new PrefixTransformers([identity, cbc('k1', 1)]);
  assert.equal(t.toStorage('{"a":1}', '/k'), '{"a":1}');
  assert.deepEqual(t.fromStorage('{"a":1}', '/k'), { data: '{"a":1}', stale: false });
  assert.deepEqual(t.fromStorage(encrypted, '/k'), { data: '{"a":1}', stale: true });
});

test('plain values read through a trailing identity; without one they match no prefix', () => {
  assert.deepEqual(new PrefixTransformers([cbc('k1', 1), identity]).fromStorage('{"a":1}', '/k'), { data: '{"a":1}', stale: true });
  assert.throws(() => new PrefixTransformers([cbc('k1', 1)]).fromStorage('{"a":1}', '/k'), /^Error: no matching prefix found$/);
});

test('two providers sharing a prefix are both tried; errors of every match are reported', () => {
  const written = fixedCbc('k1', 2, '{"a":1}');
  // same key name, different secret first: it fails to decrypt, the second entry reads it
  assert.equal(new PrefixTransformers([cbc('k1', 1), cbc('k1', 2)]).fromStorage(written, '/k').data, '{"a":1}');
  assert.throws(() => new PrefixTransformers([cbc('k1', 1), identity]).fromStorage(written, '/k'), /invalid padding on input/);
});
