import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { defineResource } from '../../api/define.js';
import { isStatusError, type StatusError } from '../../machinery/errors.js';
import type { KubeList } from '../../machinery/object.js';
import type { Storage } from '../../storage/interface.js';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import { WatchCache } from '../watch/cache.js';
import { decodeContinue, encodeContinue, listObjects, type ListRequest } from './list.js';
import { managedFieldsTracker } from './managed-fields-tracker.js';
import { newSelection } from './selection.js';
import { ResourceStore } from './store.js';
import type { WriteOptions } from './context.js';

const root = mkdtempSync(join(tmpdir(), 'k8ts-list-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const widgets = defineResource({ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true });

const opts = (): WriteOptions => ({
  user: { name: 'admin', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'test',
  fieldValidation: 'Strict',
  warnings: [],
});

let open: { storage: Storage; cache: WatchCache }[] = [];
afterEach(async () => {
  for (const o of open) {
    o.cache.stop();
    await o.storage.close();
  }
  open = [];
});

async function newStore(): Promise<{ store: ResourceStore; storage: Storage }> {
  const storage = await openSqliteStorage({ path: join(root, `s${++n}`, 'state.db') });
  const cache = new WatchCache({ storage, prefix: '/registry/example.com/widgets/' });
  await cache.start();
  open.push({ storage, cache });
  return { store: new ResourceStore({ type: widgets, storage, cache, tracker: managedFieldsTracker }), storage };
}

async function create(store: ResourceStore, name: string, labels: Record<string, string> = {}, namespace = 'default'): Promise<number> {
  const obj = await store.create(namespace, { metadata: { name, labels }, spec: { size: 1 } }, opts());
  return Number(obj.metadata.resourceVersion);
}

function req(extra: Partial<ListRequest> & { labelSelector?: string; fieldSelector?: string } = {}): ListRequest {
  const { labelSelector, fieldSelector, ...rest } = extra;
  return { namespace: 'default', selection: newSelection(widgets, labelSelector, fieldSelector), ...rest };
}

const names = (l: KubeList): string[] => l.items.map((o) => o.metadata.name ?? '');

async function rejects(p: Promise<unknown>, code: number, reason: string, message: string | RegExp): Promise<StatusError> {
  try {
    await p;
  } catch (err) {
    assert.ok(isStatusError(err), `want StatusError, got ${String(err)}`);
    assert.equal(err.status.code, code, err.status.message);
    assert.equal(err.status.reason, reason);
    if (typeof message === 'string') assert.equal(err.status.message, message);
    else assert.match(err.status.message ?? '', message);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('listObjects: resourceVersion semantics', () => {
  it('unset: the most recent state, at storage revision even after writes to other resources', async () => {
    const { store, storage } = await newStore();
    await create(store, 'a');
    await create(store, 'b', {}, 'other');
    const elsewhere = await storage.create('/registry/configmaps/default/x', '{"metadata":{"name":"x"}}');
    const list = await listObjects(store, req());
    assert.deepEqual(names(list), ['a']);
    assert.equal(list.metadata.resourceVersion, String(elsewhere));
    assert.equal(list.kind, 'WidgetList');
    assert.equal(list.apiVersion, 'example.com/v1');
    assert.equal(list.metadata.continue, undefined);
    const all = await listObjects(store, req({ namespace: '' }));
    assert.deepEqual(names(all), ['a', 'b']);
  });

  it('"0": any state, from the cache', async () => {
    const { store } = await newStore();
    const rv = await create(store, 'a');
    const list = await listObjects(store, req({ resourceVersion: '0' }));
    assert.deepEqual(names(list), ['a']);
    assert.ok(Number(list.metadata.resourceVersion) >= rv);
  });

  it('N without a match and NotOlderThan: not older than N', async () => {
    const { store } = await newStore();
    const r1 = await create(store, 'a');
    await create(store, 'b');
    for (const resourceVersionMatch of [undefined, 'NotOlderThan']) {
      const list = await listObjects(
        store,
        req({ resourceVersion: String(r1), ...(resourceVersionMatch ? { resourceVersionMatch } : {}) }),
      );
      assert.deepEqual(names(list), ['a', 'b'], `match ${resourceVersionMatch}`);
    }
  });

  it('Exact N (and legacy limit with N): the state at N, stamped N', async () => {
    const { store } = await newStore();
    const r1 = await create(store, 'a');
    await create(store, 'b');
    await store.update({ namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, spec: { size: 9 } }) }, opts());
    const exact = await listObjects(store, req({ resourceVersion: String(r1), resourceVersionMatch: 'Exact' }));
    assert.deepEqual(names(exact), ['a']);
    assert.equal(exact.metadata.resourceVersion, String(r1));
    assert.deepEqual(exact.items[0]?.['spec'], { size: 1 });
    const legacy = await listObjects(store, req({ resourceVersion: String(r1), limit: 5 }));
    assert.deepEqual(names(legacy), ['a']);
    assert.equal(legacy.metadata.resourceVersion, String(r1));
  });

  it('a resourceVersion the server has not reached: 504 Too large resource version', async () => {
    const { store, storage } = await newStore();
    await create(store, 'a');
    const current = await storage.currentRevision();
    const err = await rejects(
      listObjects(store, req({ resourceVersion: String(current + 10), resourceVersionMatch: 'Exact' })),
      504,
      'Timeout',
      `Timeout: Too large resource version: ${current + 10}, current: ${current}`,
    );
    assert.equal(err.status.details?.causes?.[0]?.reason, 'ResourceVersionTooLarge');
    assert.equal(err.status.details?.retryAfterSeconds, 1);
  });

  it('Exact at a compacted revision: 410 Expired', async () => {
    const { store, storage } = await newStore();
    const r1 = await create(store, 'a');
    await create(store, 'b');
    await storage.compact(await storage.currentRevision());
    await rejects(
      listObjects(store, req({ resourceVersion: String(r1), resourceVersionMatch: 'Exact' })),
      410,
      'Expired',
      'The resourceVersion for the provided list is too old.',
    );
  });

  const invalid: { name: string; r: Partial<ListRequest>; code: number; message: string }[] = [
    {
      name: 'match without resourceVersion',
      r: { resourceVersionMatch: 'NotOlderThan' },
      code: 422,
      message:
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    },
    {
      name: 'unknown match',
      r: { resourceVersion: '1', resourceVersionMatch: 'Newest' },
      code: 422,
      message:
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
    },
    {
      name: 'Exact with "0"',
      r: { resourceVersion: '0', resourceVersionMatch: 'Exact' },
      code: 422,
      message:
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    },
    {
      name: 'match with continue',
      r: {
        resourceVersion: '0',
        resourceVersionMatch: 'NotOlderThan',
        continue: encodeContinue('/registry/example.com/widgets/default/a', '/registry/example.com/widgets/default/', 5),
      },
      code: 422,
      message:
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
    },
    {
      name: 'resourceVersion with continue',
      r: {
        resourceVersion: '3',
        continue: encodeContinue('/registry/example.com/widgets/default/a', '/registry/example.com/widgets/default/', 5),
      },
      code: 400,
      message: 'specifying resource version is not allowed when using continue',
    },
    {
      name: 'garbage continue',
      r: { continue: 'bm90IGpzb24' },
      code: 400,
      message: 'invalid continue token: continue key is not valid: Unexpected token \'o\', "not json" is not valid JSON',
    },
    {
      name: 'continue with rv 0',
      r: { continue: Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url') },
      code: 400,
      message: 'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    },
    {
      name: 'continue climbing out of the prefix',
      r: { continue: Buffer.from('{"v":"meta.k8s.io/v1","rv":3,"start":"../../secrets/x"}').toString('base64url') },
      code: 400,
      message: 'invalid continue token: continue key is not valid: ../../secrets/x',
    },
    { name: 'non-numeric resourceVersion', r: { resourceVersion: 'abc' }, code: 400, message: 'invalid resource version: abc' },
  ];
  for (const tc of invalid) {
    it(`rejects ${tc.name} (${tc.code})`, async () => {
      const { store } = await newStore();
      await rejects(listObjects(store, req(tc.r)), tc.code, tc.code === 422 ? 'Invalid' : 'BadRequest', tc.message);
    });
  }
});

describe('listObjects: limit and continue', () => {
  it("pages through storage at the first page's revision, skipping items the selectors filter out", async () => {
    const { store } = await newStore();
    // o0..o9; o2, o3, o4 and o7 are tier=db and get filtered out
    for (let i = 0; i < 10; i++) await create(store, `o${i}`, { tier: [2, 3, 4, 7].includes(i) ? 'db' : 'web' });
    const first = await listObjects(store, req({ limit: 2, labelSelector: 'tier=web' }));
    const listRV = first.metadata.resourceVersion;
    // changes after the first page are not seen by later pages
    await create(store, 'o99', { tier: 'web' });
    await store.update(
      { namespace: 'default', name: 'o8', tryUpdate: (o) => ({ ...o, metadata: { ...o.metadata, labels: { tier: 'db' } } }) },
      opts(),
    );
    const pages: string[][] = [names(first)];
    let cont = first.metadata.continue;
    assert.equal(first.metadata.remainingItemCount, undefined, 'no count with a selector');
    while (cont) {
      const page = await listObjects(store, req({ limit: 2, labelSelector: 'tier=web', continue: cont }));
      assert.equal(page.metadata.resourceVersion, listRV, 'every page at the same revision');
      assert.ok(page.items.length <= 2);
      pages.push(names(page));
      cont = page.metadata.continue;
    }
    assert.deepEqual(pages, [
      ['o0', 'o1'],
      ['o5', 'o6'],
      ['o8', 'o9'],
    ]);
  });

  it('remainingItemCount counts what follows when nothing is filtered', async () => {
    const { store } = await newStore();
    for (let i = 0; i < 7; i++) await create(store, `o${i}`);
    const counts: (number | undefined)[] = [];
    const seen: string[] = [];
    let cont: string | undefined;
    do {
      const page: KubeList = await listObjects(store, req({ limit: 2, ...(cont ? { continue: cont } : {}) }));
      counts.push(page.metadata.remainingItemCount);
      seen.push(...names(page));
      cont = page.metadata.continue;
    } while (cont);
    assert.deepEqual(seen, ['o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6']);
    assert.deepEqual(counts, [5, 3, 1, undefined]);
  });

  it('limit with "0" pages from the cache, then continues in storage', async () => {
    const { store } = await newStore();
    for (let i = 0; i < 3; i++) await create(store, `o${i}`);
    const first = await listObjects(store, req({ limit: 2, resourceVersion: '0' }));
    assert.deepEqual(names(first), ['o0', 'o1']);
    assert.equal(first.metadata.remainingItemCount, 1);
    const rest = await listObjects(store, req({ limit: 2, resourceVersion: '0', continue: first.metadata.continue as string }));
    assert.deepEqual(names(rest), ['o2']);
    assert.equal(rest.metadata.continue, undefined);
  });

  it('a continue token at a compacted revision: 410 Expired with a token to go on at the latest revision', async () => {
    const { store, storage } = await newStore();
    for (let i = 0; i < 4; i++) await create(store, `o${i}`);
    const first = await listObjects(store, req({ limit: 2 }));
    await create(store, 'o5');
    await storage.compact(await storage.currentRevision());
    const err = await rejects(
      listObjects(store, req({ limit: 2, continue: first.metadata.continue as string })),
      410,
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    );
    const next = err.status.metadata['continue'];
    assert.equal(typeof next, 'string');
    assert.equal(decodeContinue(next as string, '/p/').rv, -1);
    const rest = await listObjects(store, req({ continue: next as string }));
    assert.deepEqual(names(rest), ['o2', 'o3', 'o5'], 'the remainder at the latest revision');
    assert.equal(rest.metadata.resourceVersion, String(await storage.currentRevision()));
  });

  it("tokens are upstream's: unpadded base64url JSON with the key after the prefix", () => {
    const token = encodeContinue('/registry/example.com/widgets/default/o1', '/registry/example.com/widgets/', 42);
    assert.deepEqual(JSON.parse(Buffer.from(token, 'base64url').toString()), { v: 'meta.k8s.io/v1', rv: 42, start: 'default/o1\u0000' });
    assert.ok(!token.includes('='));
    assert.deepEqual(decodeContinue(token, '/registry/example.com/widgets/'), {
      startAfter: '/registry/example.com/widgets/default/o1',
      rv: 42,
    });
  });
});
