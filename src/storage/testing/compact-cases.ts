/** Conformance: compaction keeps current values and turns old reads and watches into Compacted. */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Storage } from '../interface.js';
import { Recorder, rejectsWith, withStorage } from './helpers.js';
import type { OpenStorage } from './helpers.js';

/** Writes a little history and returns its revisions. */
async function history(s: Storage) {
  const a1 = await s.create('/r/a', 'a1');
  const a2 = await s.update('/r/a', 'a2', a1);
  const b1 = await s.create('/r/b', 'b1');
  const bDeleted = (await s.delete('/r/b')).revision;
  const c1 = await s.create('/r/c', 'c1');
  const a3 = await s.update('/r/a', 'a3', a2);
  return { a1, a2, b1, bDeleted, c1, a3 };
}

export function registerCompactCases(open: OpenStorage): void {
  it('forgets history at or below the revision but keeps what is readable at it', () =>
    withStorage(open, async (s) => {
      const r = await history(s);
      await s.compact(r.c1);
      assert.equal(await s.compactedRevision(), r.c1);
      assert.deepEqual({ ...(await s.get('/r/a')) }, { key: '/r/a', value: 'a3', createRevision: r.a1, modRevision: r.a3 });
      assert.deepEqual({ ...(await s.get('/r/a', r.c1)) }, { key: '/r/a', value: 'a2', createRevision: r.a1, modRevision: r.a2 });
      assert.equal(await s.get('/r/b', r.c1), undefined);
      assert.equal((await s.get('/r/c', r.c1))?.value, 'c1');
      const then = await s.list('/r/', { revision: r.c1 });
      assert.deepEqual(
        then.items.map((kv) => kv.value),
        ['a2', 'c1'],
      );
      const now = await s.list('/r/');
      assert.deepEqual(
        now.items.map((kv) => kv.value),
        ['a3', 'c1'],
      );
      assert.equal(await s.count('/r/'), 2);
      for (const revision of [r.a1, r.bDeleted, r.c1 - 1]) {
        await rejectsWith(s.get('/r/a', revision), 'Compacted');
        await rejectsWith(s.list('/r/', { revision }), 'Compacted');
      }
    }));

  it('refuses watches from before the compacted revision; later ones keep their prevKv', () =>
    withStorage(open, async (s) => {
      const r = await history(s);
      await s.compact(r.c1);
      const ac = new AbortController();
      await rejectsWith(
        s.watch({ prefix: '/r/', afterRevision: r.c1 - 1, signal: ac.signal }, () => {}),
        'Compacted',
      );
      await rejectsWith(
        s.watch({ prefix: '/r/', afterRevision: r.a1, signal: ac.signal }, () => {}),
        'Compacted',
      );
      const rec = new Recorder();
      await s.watch({ prefix: '/r/', afterRevision: r.c1, signal: ac.signal }, rec.handler);
      assert.deepEqual(rec.events, [
        {
          type: 'PUT',
          revision: r.a3,
          kv: { key: '/r/a', value: 'a3', createRevision: r.a1, modRevision: r.a3 },
          prevKv: { key: '/r/a', value: 'a2', createRevision: r.a1, modRevision: r.a2 },
        },
      ]);
      ac.abort();
    }));

  it('never moves the compacted revision backwards', () =>
    withStorage(open, async (s) => {
      const r = await history(s);
      await s.compact(r.c1);
      await s.compact(r.c1);
      await s.compact(r.a2);
      assert.equal(await s.compactedRevision(), r.c1);
      await s.compact(r.a3);
      assert.equal(await s.compactedRevision(), r.a3);
    }));

  it('keeps revisions growing and CAS working after compacting everything', () =>
    withStorage(open, async (s) => {
      const r = await history(s);
      const { revision: last } = await s.delete('/r/c');
      await s.compact(last);
      assert.equal(await s.currentRevision(), last);
      assert.equal(await s.create('/r/c', 'again'), last + 1);
      assert.equal(await s.update('/r/a', 'a4', r.a3), last + 2);
      await rejectsWith(s.update('/r/a', 'a5', r.a3), 'Conflict');
      assert.deepEqual(
        (await s.list('/r/')).items.map((kv) => kv.key),
        ['/r/a', '/r/c'],
      );
    }));
}
