import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageConformance } from '../../storage/testing/conformance.js';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import type { WatchEvent } from '../../storage/interface.js';
import { AESCBCTransformer, AESGCMTransformer } from './aes.js';
import { identityTransformer, PrefixTransformers } from './prefix-transformers.js';
import { TransformingStorage } from './transforming-storage.js';
import type { Transformer } from './interface.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-transforming-storage-'));
let n = 0;
const freshPath = (): string => join(dir, `${n++}.db`);
after(() => rmSync(dir, { recursive: true, force: true }));

const KEY1 = Buffer.alloc(32, 1);
const KEY2 = Buffer.alloc(16, 2);
const gcm1: Transformer = new PrefixTransformers([
  { prefix: 'k8s:enc:aesgcm:v1:key1:', transformer: new AESGCMTransformer({ key: KEY1 }) },
]);

// the wrapper keeps every promise of the storage contract
runStorageConformance(
  'sqlite through aesgcm',
  async () => new TransformingStorage({ storage: await openSqliteStorage({ path: freshPath() }), transformer: gcm1 }),
);

test('values are encrypted at rest, read back, and marked stale when another key wrote them', async () => {
  const raw = await openSqliteStorage({ path: freshPath() });
  const key = '/registry/secrets/default/s';
  const v1 = new TransformingStorage({ storage: raw, transformer: gcm1 });
  await v1.create(key, '{"kind":"Secret"}');
  assert.match((await raw.get(key))?.value ?? '', /^k8s:enc:aesgcm:v1:key1:/);
  assert.equal((await v1.get(key))?.value, '{"kind":"Secret"}');
  assert.equal(v1.isStale(key), false);

  const rotated = new TransformingStorage({
    storage: raw,
    transformer: new PrefixTransformers([
      { prefix: 'k8s:enc:aescbc:v1:key2:', transformer: new AESCBCTransformer({ key: KEY2 }) },
      { prefix: 'k8s:enc:aesgcm:v1:key1:', transformer: new AESGCMTransformer({ key: KEY1 }) },
    ]),
  });
  const kv = await rotated.get(key);
  assert.equal(kv?.value, '{"kind":"Secret"}');
  assert.equal(rotated.isStale(key), true);
  await rotated.update(key, '{"kind":"Secret"}', kv?.modRevision ?? 0);
  assert.equal(rotated.isStale(key), false, 'a watcher or read saw the rewrite');
  assert.match((await raw.get(key))?.value ?? '', /^k8s:enc:aescbc:v1:key2:/);
  await raw.close();
});

test('a value no provider reads fails strictly, and the watch cache view leaves it out', async () => {
  const raw = await openSqliteStorage({ path: freshPath() });
  const key = '/registry/secrets/default/lost';
  await new TransformingStorage({ storage: raw, transformer: gcm1 }).create(key, '{"kind":"Secret","data":{"p":"c2VjcmV0"}}');
  const other = new TransformingStorage({
    storage: raw,
    transformer: new PrefixTransformers([{ prefix: '', transformer: identityTransformer }]),
  });
  await assert.rejects(other.get(key), (err: Error) => {
    assert.equal(err.message, `Internal error occurred: unable to transform key "${key}": no matching prefix found`);
    return true;
  });
  const cacheView = other.forWatchCache();
  const listed = await cacheView.list('/registry/secrets/');
  assert.equal(listed.items.length, 0);
  assert.match(other.failure(key)?.message ?? '', /no matching prefix found/);
  const events: WatchEvent[] = [];
  const abort = new AbortController();
  await cacheView.watch({ prefix: '/registry/secrets/', afterRevision: 0, signal: abort.signal }, (evs) => events.push(...evs));
  assert.equal(events.length, 0, 'the unreadable PUT is skipped');
  abort.abort();
  await raw.close();
});

test('aesgcm authenticates the storage key: a value copied to another key does not read', () => {
  const t = new AESGCMTransformer({ key: KEY1 });
  const stored = t.toStorage('{"a":1}', '/registry/secrets/a/x');
  assert.equal(t.fromStorage(stored, '/registry/secrets/a/x').data, '{"a":1}');
  assert.throws(() => t.fromStorage(stored, '/registry/secrets/b/x'), /message authentication failed/);
});

test('aescbc uses a random IV and refuses another key', () => {
  const t = new AESCBCTransformer({ key: KEY1 });
  const a = t.toStorage('{"a":1}');
  assert.notEqual(a, t.toStorage('{"a":1}'));
  assert.equal(t.fromStorage(a).data, '{"a":1}');
  // a zero IV makes the wrong key's bad padding certain rather than likely (1 in 256 random IVs pad validly)
  const cipher = createCipheriv('aes-256-cbc', KEY1, Buffer.alloc(16));
  const fixed = Buffer.concat([Buffer.alloc(16), cipher.update('{"a":1}'), cipher.final()]).toString('base64');
  assert.equal(t.fromStorage(fixed).data, '{"a":1}');
  assert.throws(() => new AESCBCTransformer({ key: Buffer.alloc(32, 9) }).fromStorage(fixed), /invalid padding on input/);
});
