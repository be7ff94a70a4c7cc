/** Conformance: revisions, create, get, update (CAS), delete, close. */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rejectsWith, withStorage } from './helpers.js';
import type { OpenStorage } from './helpers.js';

export function registerReadWriteCases(open: OpenStorage): void {
  it('advances the revision by exactly one per successful write, and not on failed ones', () =>
    withStorage(open, async (s) => {
      const base = await s.currentRevision();
      assert.ok(Number.isInteger(base) && base >= 0, `currentRevision ${base}`);
      assert.ok((await s.compactedRevision()) <= base);
      assert.equal(await s.create('/registry/a', '1'), base + 1);
      assert.equal(await s.currentRevision(), base + 1);
      await rejectsWith(s.create('/registry/a', '2'), 'KeyExists');
      await rejectsWith(s.update('/registry/a', '2', base), 'Conflict');
      await rejectsWith(s.update('/registry/none', '2', base + 1), 'KeyNotFound');
      await rejectsWith(s.delete('/registry/none'), 'KeyNotFound');
      await rejectsWith(s.delete('/registry/a', base), 'Conflict');
      assert.equal(await s.currentRevision(), base + 1);
      assert.equal(await s.update('/registry/a', '2', base + 1), base + 2);
      assert.equal((await s.delete('/registry/a')).revision, base + 3);
      assert.equal(await s.create('/registry/b', '1'), base + 4);
      assert.equal(await s.currentRevision(), base + 4);
    }));

  it('creates a key with createRevision = modRevision = the write revision', () =>
    withStorage(open, async (s) => {
      const rev = await s.create('/registry/pods/default/a', '{"kind":"Pod"}');
      assert.deepEqual(await s.get('/registry/pods/default/a'), {
        key: '/registry/pods/default/a',
        value: '{"kind":"Pod"}',
        createRevision: rev,
        modRevision: rev,
      });
      assert.equal(await s.get('/registry/pods/default/absent'), undefined);
      assert.equal(await s.get('/registry/pods/default/'), undefined, 'a prefix of a key is not the key');
    }));

  it('refuses to create an existing key with KeyExists and keeps its value', () =>
    withStorage(open, async (s) => {
      const rev = await s.create('/k', 'first');
      await rejectsWith(s.create('/k', 'second'), 'KeyExists');
      assert.deepEqual(await s.get('/k'), { key: '/k', value: 'first', createRevision: rev, modRevision: rev });
    }));

  it('starts a new life when a deleted key is created again', () =>
    withStorage(open, async (s) => {
      await s.create('/k', 'one');
      await s.delete('/k');
      const rev = await s.create('/k', 'two');
      assert.deepEqual(await s.get('/k'), { key: '/k', value: 'two', createRevision: rev, modRevision: rev });
    }));

  it('updates by compare-and-swap on modRevision; Conflict carries the current value', () =>
    withStorage(open, async (s) => {
      const created = await s.create('/k', 'v1');
      const updated = await s.update('/k', 'v2', created);
      const current = { key: '/k', value: 'v2', createRevision: created, modRevision: updated };
      assert.deepEqual(await s.get('/k'), current);
      const err = await rejectsWith(s.update('/k', 'v3', created), 'Conflict');
      assert.deepEqual(err.current && { ...err.current }, current);
      assert.deepEqual(await s.get('/k'), current, 'a failed update changes nothing');
      await s.delete('/k');
      await rejectsWith(s.update('/k', 'v4', updated), 'KeyNotFound');
    }));

  it('deletes a key and returns the deleted value and the deletion revision', () =>
    withStorage(open, async (s) => {
      const created = await s.create('/k', 'v1');
      const updated = await s.update('/k', 'v2', created);
      const { kv, revision } = await s.delete('/k');
      assert.deepEqual({ ...kv }, { key: '/k', value: 'v2', createRevision: created, modRevision: updated });
      assert.equal(revision, updated + 1);
      assert.equal(await s.currentRevision(), revision);
      assert.equal(await s.get('/k'), undefined);
      await rejectsWith(s.delete('/k'), 'KeyNotFound');
    }));

  it('deletes with a precondition only when the modRevision matches', () =>
    withStorage(open, async (s) => {
      const created = await s.create('/k', 'v1');
      const updated = await s.update('/k', 'v2', created);
      const err = await rejectsWith(s.delete('/k', created), 'Conflict');
      assert.deepEqual(err.current && { ...err.current }, {
        key: '/k',
        value: 'v2',
        createRevision: created,
        modRevision: updated,
      });
      assert.equal((await s.get('/k'))?.value, 'v2', 'a failed delete changes nothing');
      assert.equal((await s.delete('/k', updated)).kv.value, 'v2');
      await rejectsWith(s.delete('/k', updated), 'KeyNotFound');
    }));

  it('reads a key as of an older revision', () =>
    withStorage(open, async (s) => {
      const before = await s.currentRevision();
      const r1 = await s.create('/k', 'v1');
      const r2 = await s.update('/k', 'v2', r1);
      const { revision: r3 } = await s.delete('/k');
      const r4 = await s.create('/k', 'v4');
      const cases: Array<{ revision: number; want: { value: string; createRevision: number; modRevision: number } | undefined }> = [
        { revision: before, want: undefined },
        { revision: r1, want: { value: 'v1', createRevision: r1, modRevision: r1 } },
        { revision: r2, want: { value: 'v2', createRevision: r1, modRevision: r2 } },
        { revision: r3, want: undefined },
        { revision: r4, want: { value: 'v4', createRevision: r4, modRevision: r4 } },
      ];
      for (const { revision, want } of cases) {
        const got = await s.get('/k', revision);
        assert.deepEqual(got && { ...got }, want && { key: '/k', ...want }, `get at revision ${revision}`);
      }
    }));

  it('round-trips keys and values exactly', () =>
    withStorage(open, async (s) => {
      const cases = [
        { key: '/registry/configmaps/default/empty', value: '' },
        { key: '/registry/configmaps/default/unicode-ключ-鍵-😀', value: '{"data":{"a":"é 漢字 😀 \\u0000"}}' },
        { key: '/registry/configmaps/default/lines', value: 'line1\nline2\r\n\ttabbed "quoted" \'single\'' },
        { key: '/registry/configmaps/default/large', value: 'x'.repeat(1024 * 1024) },
      ];
      for (const { key, value } of cases) {
        const rev = await s.create(key, value);
        assert.deepEqual(await s.get(key), { key, value, createRevision: rev, modRevision: rev }, key);
      }
    }));

  it('lets exactly one of concurrent creates or updates of a key win', () =>
    withStorage(open, async (s) => {
      const creates = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => s.create('/race', `v${i}`)));
      const won = creates.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1, 'one create wins');
      const rev = (won[0] as PromiseFulfilledResult<number>).value;
      const updates = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => s.update('/race', `u${i}`, rev)));
      assert.equal(updates.filter((r) => r.status === 'fulfilled').length, 1, 'one update wins');
      for (const r of updates) {
        if (r.status === 'rejected') await rejectsWith(Promise.reject(r.reason), 'Conflict');
      }
    }));

  it('keeps the writes of a burst that succeed when others in it fail', () =>
    withStorage(open, async (s) => {
      const start = await s.currentRevision();
      const results = await Promise.allSettled([
        s.create('/burst/a', 'a1'),
        s.create('/burst/a', 'a2'),
        s.update('/burst/none', 'x', 1),
        s.create('/burst/b', 'b1'),
        s.delete('/burst/none'),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'rejected', 'fulfilled', 'rejected'],
      );
      assert.equal(await s.currentRevision(), start + 2);
      assert.equal((await s.get('/burst/a'))?.value, 'a1');
      assert.equal((await s.get('/burst/b'))?.value, 'b1');
      assert.equal(await s.count('/burst/'), 2);
    }));

  it('closes idempotently; calls after close fail with Unavailable', async () => {
    const s = await open();
    await s.create('/k', 'v');
    await s.close();
    await s.close();
    await rejectsWith(s.get('/k'), 'Unavailable');
    await rejectsWith(s.create('/k2', 'v'), 'Unavailable');
    await rejectsWith(s.list('/'), 'Unavailable');
  });
}
