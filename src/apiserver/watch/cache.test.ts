import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../storage/interface.js';
import { WatchCache, type CacheEvent } from './cache.js';

const root = mkdtempSync(join(tmpdir(), 'k8ts-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const PREFIX = '/registry/configmaps/';

async function fixture(): Promise<{ storage: Storage; clock: { t: number } }> {
  const storage = await openSqliteStorage({ path: join(root, `s${++n}`, 'state.db') });
  return { storage, clock: { t: 1_000_000 } };
}

function cm(name: string, data: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
}

const key = (name: string): string => `${PREFIX}default/${name}`;

/** Short summary of an event: "TYPE name@rv". */
const brief = (e: CacheEvent): string => `${e.type} ${e.object.metadata.name}@${e.revision}`;

describe('WatchCache', () => {
  it('starts from a list of current objects at the storage revision', async () => {
    const { storage } = await fixture();
    await storage.create(key('a'), cm('a'));
    const rb = await storage.create(key('b'), cm('b'));
    await storage.create('/registry/secrets/default/x', '{"metadata":{"name":"x"}}');
    const cache = new WatchCache({ storage, prefix: PREFIX });
    await cache.start();
    assert.deepEqual(
      cache.list(PREFIX).map((o) => o.metadata.name),
      ['a', 'b'],
    );
    assert.equal(cache.get(key('b'))?.metadata.resourceVersion, String(rb));
    assert.equal(cache.revision, await storage.currentRevision());
    assert.equal(cache.oldestRevision, cache.revision);
    assert.equal(cache.size, 2);
    cache.stop();
    await storage.close();
  });

  it('delivers events in order with prevObject, and DELETED carries the deletion revision', async () => {
    const { storage } = await fixture();
    const cache = new WatchCache({ storage, prefix: PREFIX });
    await cache.start();
    const seen: CacheEvent[] = [];
    cache.watch(cache.revision, (e) => seen.push(e));
    const r1 = await storage.create(key('a'), cm('a', { v: '1' }));
    const r2 = await storage.update(key('a'), cm('a', { v: '2' }), r1);
    const { revision: r3 } = await storage.delete(key('a'));
    await storage.create('/registry/secrets/default/ignored', '{"metadata":{"name":"ignored"}}');
    assert.deepEqual(seen.map(brief), [`ADDED a@${r1}`, `MODIFIED a@${r2}`, `DELETED a@${r3}`]);
    assert.equal(seen[0]?.prevObject, undefined);
    assert.deepEqual(seen[1]?.prevObject?.['data'], { v: '1' });
    assert.equal(seen[1]?.prevObject?.metadata.resourceVersion, String(r1));
    assert.deepEqual(seen[2]?.object['data'], { v: '2' });
    assert.equal(seen[2]?.object.metadata.resourceVersion, String(r3));
    assert.equal(seen[2]?.prevObject?.metadata.resourceVersion, String(r2));
    assert.equal(cache.get(key('a')), undefined);
    assert.equal(cache.revision, r3);
    cache.stop();
    await storage.close();
  });

  it('replays exactly the later events for a watch from inside the window', async () => {
    const { storage } = await fixture();
    const cache = new WatchCache({ storage, prefix: PREFIX });
    await cache.start();
    const revs: number[] = [];
    for (const name of ['a', 'b', 'c', 'd']) revs.push(await storage.create(key(name), cm(name)));
    const seen: string[] = [];
    const stop = cache.watch(revs[1] as number, (e) => seen.push(brief(e)));
    assert.ok(stop, 'watch inside the window is accepted');
    assert.deepEqual(seen, [`ADDED c@${revs[2]}`, `ADDED d@${revs[3]}`]);
    await storage.create(key('e'), cm('e'));
    assert.equal(seen.length, 3, 'live events follow the replay');
    stop();
    await storage.create(key('f'), cm('f'));
    assert.equal(seen.length, 3, 'nothing after unregistering');
    assert.equal(cache.watcherCount, 0);
    cache.stop();
    await storage.close();
  });

  it('refuses (undefined → 410) a watch from before the start of the cache', async () => {
    const { storage } = await fixture();
    const r1 = await storage.create(key('a'), cm('a'));
    await storage.create(key('b'), cm('b'));
    const cache = new WatchCache({ storage, prefix: PREFIX });
    await cache.start();
    assert.equal(
      cache.watch(r1, () => {}),
      undefined,
    );
    assert.ok(cache.watch(cache.revision, () => {}));
    cache.stop();
    await storage.close();
  });

  // `kept` counts every event left in the window, the one that triggered trimming included
  const trimCases: {
    name: string;
    historyMs: number;
    minEvents: number;
    maxEvents?: number;
    advanceMs: number;
    writes: number;
    kept: number;
  }[] = [
    { name: 'keeps everything younger than the window', historyMs: 1000, minEvents: 2, advanceMs: 500, writes: 6, kept: 7 },
    { name: 'drops old events beyond the minimum count', historyMs: 1000, minEvents: 2, advanceMs: 5000, writes: 6, kept: 2 },
    { name: 'keeps the minimum count however old', historyMs: 1000, minEvents: 10, advanceMs: 5000, writes: 6, kept: 7 },
    {
      name: 'keeps at most the maximum count however young',
      historyMs: 1000,
      minEvents: 2,
      maxEvents: 4,
      advanceMs: 0,
      writes: 6,
      kept: 4,
    },
  ];
  for (const tc of trimCases) {
    it(`trims history by time and count: ${tc.name}`, async () => {
      const { storage, clock } = await fixture();
      const cache = new WatchCache({
        storage,
        prefix: PREFIX,
        historyMs: tc.historyMs,
        minEvents: tc.minEvents,
        ...(tc.maxEvents ? { maxEvents: tc.maxEvents } : {}),
        now: () => clock.t,
      });
      await cache.start();
      const start = cache.revision;
      const revs: number[] = [];
      for (let i = 0; i < tc.writes; i++) revs.push(await storage.create(key(`o${i}`), cm(`o${i}`)));
      clock.t += tc.advanceMs;
      // trimming happens when events arrive
      revs.push(await storage.create(key('trigger'), cm('trigger')));
      const firstKept = revs.length - tc.kept;
      const from = firstKept === 0 ? start : (revs[firstKept - 1] as number);
      assert.equal(cache.oldestRevision, from, 'oldest revision a watch may start from');
      const replay: number[] = [];
      assert.ok(cache.watch(from, (e) => replay.push(e.revision)));
      assert.deepEqual(replay, revs.slice(firstKept));
      if (firstKept > 0)
        assert.equal(
          cache.watch(from - 1, () => {}),
          undefined,
          'one revision earlier is expired',
        );
      cache.stop();
      await storage.close();
    });
  }

  it('waitForRevision resolves on an event, on storage progress from other resources, and times out', async () => {
    const { storage } = await fixture();
    const cache = new WatchCache({ storage, prefix: PREFIX });
    await cache.start();
    const base = cache.revision;
    assert.equal(await cache.waitForRevision(base), true, 'already there');
    const pending = cache.waitForRevision(base + 1, 2000);
    await storage.create(key('a'), cm('a'));
    assert.equal(await pending, true, 'an event of this resource');
    // a write elsewhere moves storage on; the cache learns it has seen everything up to there
    const other = await storage.create('/registry/secrets/default/s', '{"metadata":{"name":"s"}}');
    assert.equal(await cache.waitForRevision(other, 2000), true, 'progress of storage');
    assert.equal(cache.revision, other);
    const late = cache.waitForRevision(other + 1, 2000);
    setTimeout(() => void storage.create('/registry/secrets/default/t', '{"metadata":{"name":"t"}}'), 20);
    assert.equal(await late, true, 'progress while waiting');
    const t0 = Date.now();
    assert.equal(await cache.waitForRevision(cache.revision + 100, 150), false, 'timeout');
    assert.ok(Date.now() - t0 >= 140);
    assert.equal(await cache.freshRevision(), await storage.currentRevision());
    cache.stop();
    await storage.close();
  });

  it('decodes with the given function and stops delivering after stop()', async () => {
    const { storage } = await fixture();
    const cache = new WatchCache({
      storage,
      prefix: PREFIX,
      decode: (o) => ({ ...o, apiVersion: 'v2' }),
    });
    await storage.create(key('a'), cm('a'));
    await cache.start();
    assert.equal(cache.get(key('a'))?.apiVersion, 'v2');
    const seen: string[] = [];
    cache.watch(cache.revision, (e) => seen.push(brief(e)));
    cache.stop();
    await storage.create(key('b'), cm('b'));
    assert.deepEqual(seen, []);
    await storage.close();
  });
});
