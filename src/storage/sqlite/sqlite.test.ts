import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { runStorageConformance } from '../testing/conformance.js';
import { Recorder } from '../testing/helpers.js';
import { openSqliteStorage } from './sqlite-storage.js';

const root = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
/** A path in a directory that does not exist yet. */
const freshPath = (): string => join(root, `store-${++files}`, 'db', 'state.db');

runStorageConformance('sqlite', () => openSqliteStorage({ path: freshPath() }));

/** Rows physically left in the log (excluding the compact row). */
function rowCount(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM log WHERE id > 0').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('sqlite storage', () => {
  it('creates the directory and keeps the database files private (0600)', async () => {
    const path = freshPath();
    const s = await openSqliteStorage({ path });
    try {
      await s.create('/k', 'v');
      for (const file of [path, `${path}-wal`]) {
        assert.equal(statSync(file).mode & 0o777, 0o600, `${file} mode`);
      }
      assert.equal(statSync(join(path, '..')).mode & 0o077, 0, 'directory closed to group and others');
    } finally {
      await s.close();
    }
  });

  it('finds everything again after reopening the file', async () => {
    const path = freshPath();
    const first = await openSqliteStorage({ path });
    const a1 = await first.create('/r/a', 'a1');
    const a2 = await first.update('/r/a', 'a2', a1);
    const b1 = await first.create('/r/b', 'b1');
    await first.compact(b1);
    const { revision: deleted } = await first.delete('/r/b');
    await first.close();

    const second = await openSqliteStorage({ path });
    try {
      assert.equal(await second.currentRevision(), deleted);
      assert.equal(await second.compactedRevision(), b1);
      assert.deepEqual({ ...(await second.get('/r/a')) }, { key: '/r/a', value: 'a2', createRevision: a1, modRevision: a2 });
      assert.equal((await second.get('/r/b', b1))?.value, 'b1');
      assert.equal(await second.get('/r/b'), undefined);
      const rec = new Recorder();
      await second.watch({ prefix: '/r/', afterRevision: b1, signal: new AbortController().signal }, rec.handler);
      assert.deepEqual(
        rec.events.map((e) => [e.type, e.kv.key, e.prevKv?.value]),
        [['DELETE', '/r/b', 'b1']],
      );
      assert.equal(await second.create('/r/c', 'c1'), deleted + 1);
    } finally {
      await second.close();
    }
  });

  it('loses no acknowledged write when the writing process is killed with SIGKILL', async () => {
    const path = freshPath();
    const fixture = fileURLToPath(new URL(`./crash-writer.fixture${extname(import.meta.url)}`, import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: Array<{ revision: number; key: string }> = [];
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    for await (const line of createInterface({ input: child.stdout })) {
      const [revision, key] = line.split(' ');
      acknowledged.push({ revision: Number(revision), key: key as string });
      if (acknowledged.length === 2000) child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');
    assert.ok(acknowledged.length >= 2000, `got ${acknowledged.length} acknowledgements`);

    const s = await openSqliteStorage({ path });
    try {
      for (const { revision, key } of acknowledged) {
        const kv = await s.get(key);
        assert.equal(kv?.modRevision, revision, `${key} acknowledged at ${revision}`);
      }
      assert.ok((await s.currentRevision()) >= (acknowledged.at(-1)?.revision ?? 0));
    } finally {
      await s.close();
    }
  });

  it('notifies watchers before the write resolves', async () => {
    const s = await openSqliteStorage({ path: freshPath() });
    try {
      const rec = new Recorder();
      await s.watch({ prefix: '/', afterRevision: 0, signal: new AbortController().signal }, rec.handler);
      const seenAtResolve = await s.create('/k', 'v').then(() => rec.revisions());
      assert.deepEqual(seenAtResolve, [1], 'delivered before the promise resolved');
    } finally {
      await s.close();
    }
  });

  it('commits writes of one turn together, each on its own', async () => {
    const s = await openSqliteStorage({ path: freshPath() });
    try {
      await s.create('/taken', 'x');
      const results = await Promise.allSettled([s.create('/a', '1'), s.create('/taken', 'y'), s.create('/b', '2')]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.equal((await s.get('/a'))?.value, '1');
      assert.equal((await s.get('/b'))?.value, '2');
      assert.equal((await s.get('/taken'))?.value, 'x');
      assert.equal(await s.currentRevision(), 3);
    } finally {
      await s.close();
    }
  });

  it('keeps the write and the other watchers when a handler throws', async () => {
    const s = await openSqliteStorage({ path: freshPath() });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const signal = new AbortController().signal;
      await s.watch({ prefix: '/', afterRevision: 0, signal }, () => {
        throw new Error('handler bug');
      });
      const rec = new Recorder();
      await s.watch({ prefix: '/', afterRevision: 0, signal }, rec.handler);
      assert.equal(await s.create('/k', 'v'), 1);
      assert.deepEqual(rec.revisions(), [1]);
      await new Promise((done) => setImmediate(done));
      assert.ok(
        warnings.some((m) => m.includes('handler bug')),
        `warnings: ${warnings.join('; ')}`,
      );
    } finally {
      process.off('warning', onWarning);
      await s.close();
    }
  });

  it('deletes superseded rows and tombstones when compacting, in batches', async () => {
    const path = freshPath();
    const s = await openSqliteStorage({ path });
    try {
      let rev = await s.create('/busy', '0');
      for (let i = 1; i <= 10_050; i++) rev = await s.update('/busy', String(i), rev);
      await s.create('/gone', 'x');
      const { revision: deleted } = await s.delete('/gone');
      const kept = await s.create('/kept', 'y');
      assert.equal(rowCount(path), 10_051 + 3);
      await s.compact(deleted);
      assert.equal(await s.compactedRevision(), deleted);
      assert.equal(rowCount(path), 2, 'the latest /busy row and /kept');
      assert.equal((await s.get('/busy'))?.value, '10050');
      assert.equal((await s.get('/kept'))?.modRevision, kept);
    } finally {
      await s.close();
    }
  });
});
