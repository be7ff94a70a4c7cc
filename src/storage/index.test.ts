import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { openStorage, parseStorageEndpoint } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-storage-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('parseStorageEndpoint', () => {
  const cases: Array<{ endpoint: string | undefined; want: string }> = [
    { endpoint: undefined, want: join(dir, 'db', 'state.db') },
    { endpoint: '', want: join(dir, 'db', 'state.db') },
    { endpoint: 'sqlite:///var/lib/k8ts/x.db', want: '/var/lib/k8ts/x.db' },
    { endpoint: 'sqlite:/var/lib/k8ts/y.db', want: '/var/lib/k8ts/y.db' },
    { endpoint: 'sqlite://rel/z.db', want: resolve('rel/z.db') },
    { endpoint: 'sqlite:rel/z.db', want: resolve('rel/z.db') },
    { endpoint: 'SQLITE:///a.db', want: '/a.db' },
  ];
  for (const { endpoint, want } of cases) {
    assert.deepEqual(parseStorageEndpoint(endpoint, dir), { engine: 'sqlite', path: want }, String(endpoint));
  }
});

test('etcd endpoints are refused until the etcd engine exists', () => {
  for (const endpoint of ['etcd://127.0.0.1:2379', 'http://127.0.0.1:2379', 'https://etcd.example:2379']) {
    assert.throws(() => parseStorageEndpoint(endpoint, dir), /etcd.*later issue/, endpoint);
  }
});

test('unknown endpoints are refused', () => {
  for (const endpoint of ['mysql://root@tcp(localhost)/k', '/just/a/path', 'postgres://x']) {
    assert.throws(() => parseStorageEndpoint(endpoint, dir), /unsupported/, endpoint);
  }
});

test('openStorage opens SQLite under the data directory by default', async () => {
  const storage = await openStorage(undefined, dir);
  try {
    const rev = await storage.create('/registry/namespaces/default', '{}');
    assert.equal(rev, 1);
    assert.ok(existsSync(join(dir, 'db', 'state.db')));
  } finally {
    await storage.close();
  }
  await assert.rejects(openStorage('etcd://127.0.0.1:2379', dir), /later issue/);
});
