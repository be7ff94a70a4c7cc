/** Conformance: list by prefix (order, paging, old revisions) and count. */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ListResult, Storage } from '../interface.js';
import { rejectsWith, withStorage } from './helpers.js';
import type { OpenStorage } from './helpers.js';

const KEYS = [
  '/registry/pods/default/b',
  '/registry/podsecurity/x',
  '/registry/pods/kube-system/a',
  '/registry/pods/default/a10',
  '/registry/pods',
  '/registry/pods/default/a2',
  '/registry/pods0',
  '/registry/services/default/a',
];

/** The keys under /registry/pods/ in byte order. */
const PODS = ['/registry/pods/default/a10', '/registry/pods/default/a2', '/registry/pods/default/b', '/registry/pods/kube-system/a'];

async function seed(s: Storage): Promise<void> {
  for (const key of KEYS) await s.create(key, `value of ${key}`);
}

const keys = (r: ListResult): string[] => r.items.map((kv) => kv.key);

export function registerListCases(open: OpenStorage): void {
  it('lists the keys under a literal prefix in key order', () =>
    withStorage(open, async (s) => {
      await seed(s);
      const r = await s.list('/registry/pods/');
      assert.deepEqual(keys(r), PODS);
      assert.equal(r.more, false);
      assert.equal(r.revision, await s.currentRevision());
      for (const kv of r.items) {
        assert.equal(kv.value, `value of ${kv.key}`);
        assert.equal(kv.createRevision, kv.modRevision);
      }
      const cases: Array<{ prefix: string; want: string[] }> = [
        { prefix: '/registry/pods/default/', want: PODS.slice(0, 3) },
        { prefix: '/registry/pods/default/a', want: PODS.slice(0, 2) },
        { prefix: '/registry/pods/default/b', want: ['/registry/pods/default/b'] },
        { prefix: '/registry/pods', want: ['/registry/pods', ...PODS, '/registry/pods0', '/registry/podsecurity/x'] },
        { prefix: '/registry/nothing/', want: [] },
        { prefix: '', want: [...KEYS].sort() },
      ];
      for (const { prefix, want } of cases) assert.deepEqual(keys(await s.list(prefix)), want, `list ${prefix}`);
    }));

  it('pages with limit, startAfter and more', () =>
    withStorage(open, async (s) => {
      await seed(s);
      const cases: Array<{ limit?: number; startAfter?: string; want: string[]; more: boolean }> = [
        { limit: 2, want: PODS.slice(0, 2), more: true },
        { limit: 2, startAfter: PODS[1], want: PODS.slice(2, 4), more: false },
        { limit: 4, want: PODS, more: false },
        { limit: 3, want: PODS.slice(0, 3), more: true },
        { limit: 10, want: PODS, more: false },
        { limit: 0, want: PODS, more: false },
        { startAfter: PODS[0], want: PODS.slice(1), more: false },
        { startAfter: '/registry/pods/default/a3', want: PODS.slice(2), more: false },
        { startAfter: '/registry/', want: PODS, more: false },
        { startAfter: PODS[3], want: [], more: false },
        { limit: 1, startAfter: PODS[2], want: [PODS[3] as string], more: false },
      ];
      for (const { limit, startAfter, want, more } of cases) {
        const r = await s.list('/registry/pods/', { limit, startAfter });
        assert.deepEqual({ keys: keys(r), more: r.more }, { keys: want, more }, `limit ${limit} startAfter ${startAfter}`);
      }
    }));

  it('walks every page of a long list exactly once', () =>
    withStorage(open, async (s) => {
      const all: string[] = [];
      for (let i = 0; i < 57; i++) {
        const key = `/registry/events/ns/e${String(i).padStart(3, '0')}`;
        all.push(key);
        await s.create(key, String(i));
      }
      const seen: string[] = [];
      let startAfter: string | undefined;
      for (let page = 0; ; page++) {
        assert.ok(page < 20, 'too many pages');
        const r = await s.list('/registry/events/', { limit: 10, startAfter });
        seen.push(...keys(r));
        if (!r.more) break;
        startAfter = r.items[r.items.length - 1]?.key;
      }
      assert.deepEqual(seen, all);
    }));

  it('leaves deleted keys out and shows the latest values', () =>
    withStorage(open, async (s) => {
      await seed(s);
      await s.delete(PODS[1] as string);
      const b = (await s.get(PODS[2] as string))?.modRevision ?? 0;
      const rev = await s.update(PODS[2] as string, 'new', b);
      const r = await s.list('/registry/pods/');
      assert.deepEqual(keys(r), [PODS[0], PODS[2], PODS[3]]);
      assert.deepEqual({ ...r.items[1] }, { key: PODS[2], value: 'new', createRevision: b, modRevision: rev });
      assert.deepEqual(keys(await s.list('/registry/pods/', { limit: 1, startAfter: PODS[0] })), [PODS[2]]);
    }));

  it('lists as of an older revision, also page by page while writes go on', () =>
    withStorage(open, async (s) => {
      await seed(s);
      const then = await s.currentRevision();
      await s.delete(PODS[0] as string);
      await s.update(PODS[1] as string, 'changed', (await s.get(PODS[1] as string))?.modRevision ?? 0);
      await s.create('/registry/pods/default/a1', 'new');
      const old = await s.list('/registry/pods/', { revision: then });
      assert.equal(old.revision, then);
      assert.deepEqual(keys(old), PODS);
      assert.equal(old.items[1]?.value, `value of ${PODS[1]}`);
      const first = await s.list('/registry/pods/', { revision: then, limit: 2 });
      await s.create('/registry/pods/default/a3', 'during paging');
      const second = await s.list('/registry/pods/', { revision: first.revision, limit: 2, startAfter: PODS[1] });
      assert.deepEqual([...keys(first), ...keys(second)], PODS);
      assert.equal(second.more, false);
      const now = await s.list('/registry/pods/');
      assert.deepEqual(keys(now), ['/registry/pods/default/a1', PODS[1], '/registry/pods/default/a3', PODS[2], PODS[3]]);
    }));

  it('counts the live keys under a prefix', () =>
    withStorage(open, async (s) => {
      assert.equal(await s.count('/registry/'), 0);
      await seed(s);
      const cases: Array<{ prefix: string; want: number }> = [
        { prefix: '/registry/pods/', want: 4 },
        { prefix: '/registry/pods/default/', want: 3 },
        { prefix: '/registry/pods', want: 7 },
        { prefix: '/registry/services/', want: 1 },
        { prefix: '/registry/none/', want: 0 },
        { prefix: '', want: KEYS.length },
      ];
      for (const { prefix, want } of cases) assert.equal(await s.count(prefix), want, `count ${prefix}`);
      await s.delete(PODS[0] as string);
      await s.update(PODS[1] as string, 'x', (await s.get(PODS[1] as string))?.modRevision ?? 0);
      assert.equal(await s.count('/registry/pods/'), 3);
    }));

  it('counts after a key and as of an older revision, as list would', () =>
    withStorage(open, async (s) => {
      await seed(s);
      const before = await s.currentRevision();
      const all = await s.list('/registry/pods/');
      const first = all.items[0]?.key as string;
      assert.equal(await s.count('/registry/pods/', { startAfter: first }), all.items.length - 1);
      await s.delete(PODS[3] as string);
      assert.equal(await s.count('/registry/pods/', { startAfter: first }), all.items.length - 2);
      assert.equal(await s.count('/registry/pods/', { startAfter: first, revision: before }), all.items.length - 1);
      assert.equal(await s.count('/registry/pods/', { revision: before }), all.items.length);
    }));

  it('rejects reads below the compacted revision with Compacted', () =>
    withStorage(open, async (s) => {
      const r1 = await s.create('/k', 'v1');
      const r2 = await s.update('/k', 'v2', r1);
      await s.compact(r2);
      await rejectsWith(s.list('/', { revision: r1 }), 'Compacted');
      await rejectsWith(s.get('/k', r1), 'Compacted');
      assert.deepEqual(keys(await s.list('/', { revision: r2 })), ['/k']);
    }));
}
