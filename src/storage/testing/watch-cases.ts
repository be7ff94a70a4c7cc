/** Conformance: watch history replay, live events, prevKv, prefixes, abort, ordering. */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { WatchEvent } from '../interface.js';
import { assertIncreasing, Recorder, settle, withStorage } from './helpers.js';
import type { OpenStorage } from './helpers.js';

export function registerWatchCases(open: OpenStorage): void {
  it('replays history after a revision before resolving, then delivers live events', () =>
    withStorage(open, async (s) => {
      const base = await s.currentRevision();
      const r1 = await s.create('/registry/pods/ns/a', 'a1');
      await s.create('/registry/services/ns/x', 'other prefix');
      const r3 = await s.update('/registry/pods/ns/a', 'a2', r1);
      const r4 = (await s.delete('/registry/pods/ns/a')).revision;
      const r5 = await s.create('/registry/pods/ns/a', 'a3');
      const history: WatchEvent[] = [
        { type: 'PUT', revision: r1, kv: { key: '/registry/pods/ns/a', value: 'a1', createRevision: r1, modRevision: r1 } },
        {
          type: 'PUT',
          revision: r3,
          kv: { key: '/registry/pods/ns/a', value: 'a2', createRevision: r1, modRevision: r3 },
          prevKv: { key: '/registry/pods/ns/a', value: 'a1', createRevision: r1, modRevision: r1 },
        },
        {
          type: 'DELETE',
          revision: r4,
          kv: { key: '/registry/pods/ns/a', value: 'a2', createRevision: r1, modRevision: r4 },
          prevKv: { key: '/registry/pods/ns/a', value: 'a2', createRevision: r1, modRevision: r3 },
        },
        { type: 'PUT', revision: r5, kv: { key: '/registry/pods/ns/a', value: 'a3', createRevision: r5, modRevision: r5 } },
      ];
      const ac = new AbortController();
      const all = new Recorder();
      await s.watch({ prefix: '/registry/pods/', afterRevision: base, signal: ac.signal }, all.handler);
      assert.deepEqual(all.events, history, 'history is delivered before watch resolves');
      const later = new Recorder();
      await s.watch({ prefix: '/registry/pods/', afterRevision: r3, signal: ac.signal }, later.handler);
      assert.deepEqual(later.events, history.slice(2));

      const r6 = await s.update('/registry/pods/ns/a', 'a4', r5);
      await s.create('/registry/services/ns/y', 'other prefix');
      const r8 = await s.create('/registry/pods/ns/b', 'b1');
      const live: WatchEvent[] = [
        {
          type: 'PUT',
          revision: r6,
          kv: { key: '/registry/pods/ns/a', value: 'a4', createRevision: r5, modRevision: r6 },
          prevKv: { key: '/registry/pods/ns/a', value: 'a3', createRevision: r5, modRevision: r5 },
        },
        { type: 'PUT', revision: r8, kv: { key: '/registry/pods/ns/b', value: 'b1', createRevision: r8, modRevision: r8 } },
      ];
      await all.waitFor(history.length + live.length);
      await later.waitFor(2 + live.length);
      await settle();
      assert.deepEqual(all.events, [...history, ...live]);
      assert.deepEqual(later.events, [...history.slice(2), ...live]);
      ac.abort();
    }));

  it('delivers nothing old when watching from the current revision', () =>
    withStorage(open, async (s) => {
      await s.create('/k/a', '1');
      const ac = new AbortController();
      const rec = new Recorder();
      await s.watch({ prefix: '/k/', afterRevision: await s.currentRevision(), signal: ac.signal }, rec.handler);
      assert.equal(rec.events.length, 0);
      const rev = await s.create('/k/b', '2');
      await rec.waitFor(1);
      assert.deepEqual(rec.revisions(), [rev]);
      ac.abort();
    }));

  it('matches prefixes literally: a single key, or a folder with its trailing slash', () =>
    withStorage(open, async (s) => {
      const base = await s.currentRevision();
      const ac = new AbortController();
      const watchers = {
        '/registry/pods/': new Recorder(),
        '/registry/pods/default/a': new Recorder(),
        '/registry/podsecurity/': new Recorder(),
      };
      for (const [prefix, rec] of Object.entries(watchers)) {
        await s.watch({ prefix, afterRevision: base, signal: ac.signal }, rec.handler);
      }
      const writes = ['/registry/podsecurity/x', '/registry/pods/default/a', '/registry/pods/default/b', '/registry/pods0'];
      for (const key of writes) await s.create(key, key);
      await watchers['/registry/pods/'].waitFor(2);
      await watchers['/registry/pods/default/a'].waitFor(1);
      await watchers['/registry/podsecurity/'].waitFor(1);
      await settle();
      const seen = Object.fromEntries(Object.entries(watchers).map(([p, rec]) => [p, rec.events.map((e) => e.kv.key)]));
      assert.deepEqual(seen, {
        '/registry/pods/': ['/registry/pods/default/a', '/registry/pods/default/b'],
        '/registry/pods/default/a': ['/registry/pods/default/a'],
        '/registry/podsecurity/': ['/registry/podsecurity/x'],
      });
      ac.abort();
    }));

  it('stops delivering once aborted, also from inside the handler', () =>
    withStorage(open, async (s) => {
      const base = await s.currentRevision();
      const pre = new AbortController();
      pre.abort();
      const never = new Recorder();
      await s.create('/k/a', '1');
      await s.watch({ prefix: '/k/', afterRevision: base, signal: pre.signal }, never.handler);

      const ac = new AbortController();
      const once = new Recorder();
      await s.watch({ prefix: '/k/', afterRevision: base, signal: ac.signal }, (events) => {
        once.handler(events.slice(0, 1));
        ac.abort();
      });
      const later = new AbortController();
      const rec = new Recorder();
      await s.watch({ prefix: '/k/', afterRevision: await s.currentRevision(), signal: later.signal }, rec.handler);
      await s.create('/k/b', '2');
      await rec.waitFor(1);
      later.abort();
      await s.create('/k/c', '3');
      await s.update('/k/a', '4', base + 1);
      await settle();
      assert.equal(never.events.length, 0, 'aborted before watch: nothing');
      assert.deepEqual(once.revisions(), [base + 1], 'aborted in the handler: nothing after');
      assert.deepEqual(rec.revisions(), [base + 2], 'aborted: nothing after');
    }));

  it('delivers concurrent writes in revision order to every watcher', () =>
    withStorage(open, async (s) => {
      const base = await s.currentRevision();
      const ac = new AbortController();
      const a = new Recorder();
      const b = new Recorder();
      await s.watch({ prefix: '/c/', afterRevision: base, signal: ac.signal }, a.handler);
      await s.watch({ prefix: '/c/', afterRevision: base, signal: ac.signal }, b.handler);
      const revisions = await Promise.all(Array.from({ length: 50 }, (_, i) => s.create(`/c/${i}`, String(i))));
      await a.waitFor(50);
      await b.waitFor(50);
      const want = [...revisions].sort((x, y) => x - y);
      assert.deepEqual(a.revisions(), want);
      assert.deepEqual(b.revisions(), want);
      ac.abort();
    }));

  it('keeps commit order when a handler writes', () =>
    withStorage(open, async (s) => {
      const base = await s.currentRevision();
      const ac = new AbortController();
      const writes: Promise<number>[] = [];
      const reacting = new Recorder();
      await s.watch({ prefix: '/w/', afterRevision: base, signal: ac.signal }, (events) => {
        reacting.handler(events);
        for (const e of events) {
          if (e.kv.key.endsWith('/ping')) writes.push(s.create(`${e.kv.key}/pong`, 'pong'));
        }
      });
      const observer = new Recorder();
      await s.watch({ prefix: '/w/', afterRevision: base, signal: ac.signal }, observer.handler);
      await s.create('/w/1/ping', 'ping');
      await s.create('/w/2/ping', 'ping');
      await observer.waitFor(4);
      await Promise.all(writes);
      await settle();
      assertIncreasing(observer.revisions(), 'observer revisions');
      assertIncreasing(reacting.revisions(), 'reacting revisions');
      assert.equal(observer.events.length, 4);
      assert.deepEqual(reacting.events, observer.events);
      ac.abort();
    }));
}
