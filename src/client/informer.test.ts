import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../machinery/errors.js';
import type { KubeList, KubeObject, ManagedFieldsEntry } from '../machinery/object.js';
import type {
  Clientset,
  GroupVersionResource,
  ListOptions,
  ResourceClient,
  ResourceEventHandler,
  WatchEvent,
  WatchOptions,
} from './interface.js';
import { dropManagedFields, SharedIndexInformer } from './informer.js';
import { InformerFactory } from './informer-factory.js';
import { InformerFactoryView } from './informer-factory-view.js';

const expired = (): StatusError =>
  new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    reason: 'Expired',
    message: 'too old resource version',
    code: 410,
  });
const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

interface Watcher {
  onEvent: (e: WatchEvent) => void;
  close: (err?: unknown) => void;
}

/** A one-namespace apiserver in memory: revisions, a compactable history, watches that can break. */
class FakeApi implements ResourceClient {
  rv = 0;
  readonly items = new Map<string, KubeObject>();
  history: { rv: number; event: WatchEvent }[] = [];
  oldestRv = 0;
  expiredAs: 'event' | 'http' = 'event';
  down = false;
  readonly watchers = new Set<Watcher>();
  readonly listCalls: ListOptions[] = [];
  readonly watchCalls: WatchOptions[] = [];

  write(type: 'ADDED' | 'MODIFIED' | 'DELETED', name: string, data: Record<string, string> = {}): void {
    this.rv++;
    const managedFields: ManagedFieldsEntry[] = [
      { manager: 'm', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
    ];
    const object: KubeObject = {
      kind: 'ConfigMap',
      metadata: { namespace: 'ns', name, resourceVersion: String(this.rv), managedFields },
      data,
    };
    if (type === 'DELETED') this.items.delete(name);
    else this.items.set(name, object);
    const event = { type, object };
    this.history.push({ rv: this.rv, event });
    for (const w of this.watchers) w.onEvent(event);
  }

  compact(): void {
    this.oldestRv = this.rv;
    this.history = [];
  }

  bookmark(): void {
    for (const w of this.watchers)
      w.onEvent({ type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: String(this.rv) } } });
  }

  /** Ends every watch: cleanly, or as a broken connection. */
  closeWatches(err?: unknown): void {
    for (const w of [...this.watchers]) w.close(err);
  }

  async list(_ns: string, options?: ListOptions): Promise<KubeList> {
    this.listCalls.push({ ...options });
    if (this.down) throw refused();
    const all = [...this.items.values()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const from = Number(options?.continue ?? 0);
    const to = options?.limit ? from + options.limit : all.length;
    const items = all.slice(from, to).map((o) => ({ ...o, kind: undefined }) as KubeObject);
    return {
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      metadata: { resourceVersion: String(this.rv), ...(to < all.length ? { continue: String(to) } : {}) },
      items,
    };
  }

  watch(_ns: string, options: WatchOptions, onEvent: (event: WatchEvent) => void, signal: AbortSignal): { done: Promise<void> } {
    this.watchCalls.push({ ...options });
    const done = new Promise<void>((resolve, reject) => {
      if (this.down) return void setImmediate(() => reject(refused()));
      const from = Number(options.resourceVersion ?? 0);
      if (from < this.oldestRv) {
        if (this.expiredAs === 'http') return void setImmediate(() => reject(expired()));
        onEvent({ type: 'ERROR', object: expired().status as unknown as KubeObject });
        return resolve();
      }
      for (const h of this.history) if (h.rv > from) onEvent(h.event);
      const w: Watcher = {
        onEvent,
        close: (err) => {
          this.watchers.delete(w);
          if (err) reject(err);
          else resolve();
        },
      };
      this.watchers.add(w);
      signal.addEventListener('abort', () => w.close(), { once: true });
    });
    return { done };
  }

  get = (): Promise<KubeObject> => Promise.reject(new Error('unused'));
  create = this.get;
  update = this.get;
  updateStatus = this.get;
  patch = this.get;
  delete = (): Promise<undefined> => Promise.reject(new Error('unused'));
  createSubresource = (): Promise<unknown> => Promise.reject(new Error('unused'));
}

/** Records handler calls as `add:a@1`, `update:a@1->2`, `delete:a@3`. */
function recorder(): ResourceEventHandler & { log: string[] } {
  const at = (o: KubeObject): string => `${o.metadata.name}@${o.metadata.resourceVersion}`;
  const log: string[] = [];
  return {
    log,
    onAdd: (o) => log.push(`add:${at(o)}`),
    onUpdate: (a, b) => log.push(`update:${at(a)}->${b.metadata.resourceVersion}`),
    onDelete: (o) => log.push(`delete:${at(o)}`),
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function started(api: FakeApi, options: { resyncMs?: number; pageSize?: number; transform?: (o: KubeObject) => KubeObject } = {}) {
  const ac = new AbortController();
  const errors: unknown[] = [];
  const informer = new SharedIndexInformer({
    client: api,
    backoff: { initialMs: 2, maxMs: 20 },
    onError: (e) => errors.push(e),
    ...options,
  });
  const h = recorder();
  informer.addEventHandler(h);
  const running = informer.run(ac.signal);
  return {
    informer,
    h,
    ac,
    errors,
    running,
    stop: async () => {
      ac.abort();
      await running;
    },
  };
}

const names = (objs: KubeObject[]): string[] => objs.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();

describe('SharedIndexInformer', () => {
  it('lists in pages, watches from the list resourceVersion and delivers events', async () => {
    const api = new FakeApi();
    for (const n of ['a', 'b', 'c']) api.write('ADDED', n);
    const t = started(api, { pageSize: 2 });
    await t.informer.waitForSync(t.ac.signal);
    assert.ok(t.informer.hasSynced());
    assert.deepEqual(
      api.listCalls.map((c) => [c.limit, c.continue]),
      [
        [2, undefined],
        [2, '2'],
      ],
    );
    assert.deepEqual(t.h.log, ['add:a@1', 'add:b@2', 'add:c@3']);
    assert.equal(t.informer.lister.get('ns', 'a')?.kind, 'ConfigMap', 'list items get their kind back');
    await until('the watch', () => api.watchers.size === 1);
    assert.equal(api.watchCalls[0]?.resourceVersion, '3');
    assert.equal(api.watchCalls[0]?.allowWatchBookmarks, true);
    api.write('MODIFIED', 'b', { x: '1' });
    api.write('ADDED', 'd');
    api.write('DELETED', 'a');
    assert.deepEqual(t.h.log.slice(3), ['update:b@2->4', 'add:d@5', 'delete:a@6']);
    assert.deepEqual(names(t.informer.lister.list('ns')), ['b@4', 'c@3', 'd@5']);
    await t.stop();
  });

  it('transforms objects before caching them: listed and watched', async () => {
    const api = new FakeApi();
    api.write('ADDED', 'a');
    const t = started(api, { transform: dropManagedFields });
    await t.informer.waitForSync(t.ac.signal);
    await until('the watch', () => api.watchers.size === 1);
    api.write('ADDED', 'b');
    assert.deepEqual(
      t.informer.lister.list('ns').map((o) => [o.metadata.name, o.metadata.managedFields]),
      [
        ['a', undefined],
        ['b', undefined],
      ],
    );
    await t.stop();
  });

  for (const how of ['event', 'http'] as const) {
    it(`relists after a 410 (${how}) and delivers only the differences`, async () => {
      const api = new FakeApi();
      api.expiredAs = how;
      for (const n of ['a', 'b', 'c']) api.write('ADDED', n);
      const t = started(api);
      await t.informer.waitForSync(t.ac.signal);
      await until('the watch', () => api.watchers.size === 1);
      // the server goes away; meanwhile b changes, c goes, d comes, and history is compacted
      api.down = true;
      api.closeWatches(refused());
      api.write('MODIFIED', 'b', { v: '2' });
      api.write('DELETED', 'c');
      api.write('ADDED', 'd');
      api.compact();
      await until('a retry while down', () => t.errors.length >= 2);
      api.down = false;
      await until('the relist', () => api.listCalls.length === 2 && api.watchers.size === 1);
      assert.deepEqual(t.h.log.slice(3).sort(), ['add:d@6', 'delete:c@3', 'update:b@2->4']);
      assert.deepEqual(names(t.informer.lister.list()), ['a@1', 'b@4', 'd@6']);
      assert.equal(api.watchCalls.at(-1)?.resourceVersion, '6');
      api.write('MODIFIED', 'a');
      assert.equal(t.h.log.at(-1), 'update:a@1->7');
      await t.stop();
    });
  }

  it('re-watches from the last bookmark after a clean close, without relisting', async () => {
    const api = new FakeApi();
    api.write('ADDED', 'a');
    const t = started(api);
    await until('the watch', () => api.watchers.size === 1);
    api.rv += 5; // writes to other resources move the revision
    api.bookmark();
    await new Promise((r) => setTimeout(r, 5));
    api.closeWatches();
    await until('a second watch', () => api.watchCalls.length === 2 && api.watchers.size === 1);
    assert.equal(api.watchCalls[1]?.resourceVersion, '6');
    assert.equal(api.listCalls.length, 1);
    assert.deepEqual(t.h.log, ['add:a@1']);
    await t.stop();
  });

  it('backs off on connection errors until the server answers, and stops on abort', async () => {
    const api = new FakeApi();
    api.write('ADDED', 'a');
    api.down = true;
    const t = started(api);
    await until('several failed lists', () => api.listCalls.length >= 3);
    assert.ok(!t.informer.hasSynced());
    assert.ok(t.errors.every((e) => (e as { code?: string }).code === 'ECONNREFUSED'));
    api.down = false;
    await t.informer.waitForSync(t.ac.signal);
    assert.deepEqual(t.h.log, ['add:a@1']);
    await t.stop();
    const calls = api.listCalls.length + api.watchCalls.length;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(api.listCalls.length + api.watchCalls.length, calls, 'nothing runs after abort');
  });

  it('gives late handlers the cached state and resyncs with updates to the same object', async () => {
    const api = new FakeApi();
    api.write('ADDED', 'a');
    api.write('ADDED', 'b');
    const t = started(api, { resyncMs: 20 });
    await t.informer.waitForSync(t.ac.signal);
    const late = recorder();
    t.informer.addEventHandler(late);
    assert.deepEqual(late.log.sort(), ['add:a@1', 'add:b@2']);
    await until('a resync', () => late.log.length >= 4);
    assert.deepEqual(late.log.slice(2, 4).sort(), ['update:a@1->1', 'update:b@2->2']);
    await t.stop();
  });

  it('keeps custom indexes and survives a throwing handler', async () => {
    const api = new FakeApi();
    api.write('ADDED', 'a', { node: 'n1' });
    const t = started(api);
    t.informer.addIndexer('byNode', (o) => [(o['data'] as { node?: string }).node ?? '']);
    t.informer.addEventHandler({
      onUpdate: () => {
        throw new Error('handler bug');
      },
    });
    await t.informer.waitForSync(t.ac.signal);
    await until('the watch', () => api.watchers.size === 1);
    api.write('MODIFIED', 'a', { node: 'n2' });
    assert.deepEqual(t.informer.lister.byIndex('byNode', 'n1'), []);
    assert.deepEqual(names(t.informer.lister.byIndex('byNode', 'n2')), ['a@2']);
    assert.equal(t.h.log.at(-1), 'update:a@1->2');
    assert.equal((t.errors.at(-1) as Error).message, 'handler bug');
    await t.stop();
  });

  it('waitForSync resolves when the signal aborts before a sync', async () => {
    const api = new FakeApi();
    api.down = true;
    const t = started(api);
    const waiting = t.informer.waitForSync(t.ac.signal);
    await t.stop();
    await waiting;
    assert.ok(!t.informer.hasSynced());
  });
});

describe('InformerFactory', () => {
  it('shares informers per resource and selector and starts late ones', async () => {
    const apis = new Map<string, FakeApi>();
    const clientset: Clientset = {
      resource: (gvr: GroupVersionResource) => {
        let api = apis.get(gvr.resource);
        if (!api) {
          api = new FakeApi();
          api.write('ADDED', `${gvr.resource}-1`);
          apis.set(gvr.resource, api);
        }
        return api;
      },
      close: () => undefined,
    };
    const factory = new InformerFactory({ clientset, backoff: { initialMs: 2 } });
    const pods = { group: '', version: 'v1', resource: 'pods' };
    const a = factory.forResource(pods);
    assert.equal(factory.forResource(pods, { resyncMs: 1000 }), a);
    assert.equal(a.resyncMs, 1000);
    assert.notEqual(factory.forResource(pods, { fieldSelector: 'spec.nodeName=n1' }), a);
    const ac = new AbortController();
    factory.start(ac.signal);
    await factory.waitForCacheSync(ac.signal);
    assert.ok(a.hasSynced());
    const late = factory.forResource({ group: 'apps', version: 'v1', resource: 'deployments' });
    await late.waitForSync(ac.signal);
    assert.deepEqual(names(late.lister.list()), ['deployments-1@1']);
    assert.equal(apis.get('pods')?.listCalls[0]?.fieldSelector, undefined);
    ac.abort();
  });
});

describe('InformerFactoryView', () => {
  it('hands out the shared informers of its resources and drops its handlers when its signal aborts', async () => {
    const apis = new Map<string, FakeApi>();
    const clientsetFor = (prefix: string): Clientset => ({
      resource: (gvr: GroupVersionResource) => {
        const key = `${prefix}/${gvr.resource}`;
        let api = apis.get(key);
        if (!api) {
          api = new FakeApi();
          api.write('ADDED', `${gvr.resource}-1`);
          apis.set(key, api);
        }
        return api;
      },
      close: () => undefined,
    });
    const pods = { group: '', version: 'v1', resource: 'pods' };
    const services = { group: '', version: 'v1', resource: 'services' };
    const life = new AbortController();
    const sharedFactory = new InformerFactory({ clientset: clientsetFor('shared'), backoff: { initialMs: 2 } });
    sharedFactory.start(life.signal);
    const shared = { factory: sharedFactory, resources: [pods] };
    const term = new AbortController();
    const view = new InformerFactoryView({ own: new InformerFactory({ clientset: clientsetFor('own') }), shared, signal: term.signal });
    const other = new InformerFactoryView({ own: new InformerFactory({ clientset: clientsetFor('other') }), shared, signal: life.signal });
    const seen: string[] = [];
    const seenByOther: string[] = [];
    view.forResource(pods).addEventHandler({ onAdd: (o) => seen.push(o.metadata.name ?? '') });
    other.forResource(pods).addEventHandler({ onAdd: (o) => seenByOther.push(o.metadata.name ?? '') });
    const svc = view.forResource(services);
    view.forResource(pods, { fieldSelector: 'spec.nodeName=n1' });
    view.start(term.signal);
    await view.waitForCacheSync(term.signal);
    assert.ok(view.forResource(pods).hasSynced() && svc.hasSynced());
    assert.equal(view.forResource(pods).lister, other.forResource(pods).lister, 'one cache for both');
    assert.deepEqual(
      [...apis.keys()].sort(),
      ['own/pods', 'own/services', 'shared/pods'],
      'one watch of pods between them; a selector gets its own',
    );
    assert.deepEqual(seen, ['pods-1']);
    apis.get('shared/pods')?.write('ADDED', 'pods-2');
    assert.deepEqual(seen, ['pods-1', 'pods-2']);
    term.abort();
    apis.get('shared/pods')?.write('ADDED', 'pods-3');
    assert.deepEqual(seen, ['pods-1', 'pods-2'], 'the ended term hears nothing more');
    assert.deepEqual(seenByOther, ['pods-1', 'pods-2', 'pods-3']);
    view.forResource(pods).addEventHandler({ onAdd: (o) => seen.push(o.metadata.name ?? '') });
    assert.equal(seen.length, 2, 'an ended view registers nothing');
    life.abort();
  });
});
