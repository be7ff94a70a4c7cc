import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { poly1305, SecretboxTransformer, secretboxOpen, secretboxSeal } from './secretbox.js';

// NaCl's published secretbox vector (tests/secretbox.c: firstkey, nonce, m → c)
const KEY = Buffer.from('1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389', 'hex');
const NONCE = Buffer.from('69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37', 'hex');
const MESSAGE = Buffer.from(
  'be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f93776384864' +
    '5e0705',
  'hex',
);
const BOX = Buffer.from(
  'f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b3' +
    '7973f622a43d14a6599b1f654cb45a74e355a5',
  'hex',
);

test('secretbox seals and opens NaCl’s vector', () => {
  assert.equal(secretboxSeal(MESSAGE, NONCE, KEY).toString('hex'), BOX.toString('hex'));
  assert.deepEqual(secretboxOpen(BOX, NONCE, KEY), MESSAGE);
  const tampered = Buffer.from(BOX);
  tampered[40] = (tampered[40] as number) ^ 1;
  assert.equal(secretboxOpen(tampered, NONCE, KEY), undefined);
});

test('poly1305 matches RFC 8439 §2.5.2', () => {
  const key = Buffer.from('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', 'hex');
  const tag = poly1305(key, Buffer.from('Cryptographic Forum Research Group'));
  assert.equal(tag.toString('hex'), 'a8061dc1305136c6c22b8baf0c0127a9');
});

test('the secretbox transformer round-trips and refuses another key', () => {
  const t = new SecretboxTransformer({ key: KEY });
  const stored = t.toStorage('{"kind":"Secret"}');
  assert.equal(t.fromStorage(stored).data, '{"kind":"Secret"}');
  const other = new SecretboxTransformer({ key: Buffer.alloc(32, 7) });
  assert.throws(() => other.fromStorage(stored), /output array was not large enough for encryption/);
});

/** Poly1305 as its definition reads, with BigInt division: the reference for the folding one. */
function poly1305ByDefinition(key: Buffer, message: Buffer): string {
  const le = (b: Buffer): bigint => BigInt(`0x${Buffer.from(b).reverse().toString('hex') || '0'}`);
  const p = (1n << 130n) - 5n;
  const r = le(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  let acc = 0n;
  for (let off = 0; off < message.length; off += 16) {
    const chunk = message.subarray(off, off + 16);
    acc = ((acc + le(chunk) + (1n << BigInt(8 * chunk.length))) * r) % p;
  }
  const tag = (acc + le(key.subarray(16, 32))) & ((1n << 128n) - 1n);
  return Buffer.from(tag.toString(16).padStart(32, '0'), 'hex').reverse().toString('hex');
}

test('poly1305 agrees with its definition on any key and message', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 100 }), (key, message) => {
      assert.equal(
        poly1305(Buffer.from(key), Buffer.from(message)).toString('hex'),
        poly1305ByDefinition(Buffer.from(key), Buffer.from(message)),
      );
    }),
    { numRuns: 300 },
  );
  const ones = Buffer.alloc(32, 0xff);
  assert.equal(poly1305(ones, Buffer.alloc(64, 0xff)).toString('hex'), poly1305ByDefinition(ones, Buffer.alloc(64, 0xff)));
});
