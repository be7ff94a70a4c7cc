import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { defineResource } from '../../api/define.js';
import { isStatusError, type FieldError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { Storage } from '../../storage/interface.js';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import { WatchCache } from '../watch/cache.js';
import type { WriteOptions } from './context.js';
import { deleteObject } from './delete.js';
import { managedFieldsTracker } from './managed-fields-tracker.js';
import { ResourceStore } from './store.js';

const root = mkdtempSync(join(tmpdir(), 'k8ts-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function validateWidget(obj: KubeObject): FieldError[] {
  const size = (obj['spec'] as { size?: number } | undefined)?.size ?? 0;
  return size < 0
    ? [{ type: 'FieldValueInvalid', field: 'spec.size', message: `Invalid value: ${size}: must be greater than or equal to 0` }]
    : [];
}

/** A tiny kind: spec.size defaults to 1 and may not be negative; status is a subresource. */
const widgets = defineResource({
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
  status: true,
  strategy: {
    defaults(obj) {
      const spec = (obj['spec'] ??= {}) as Record<string, unknown>;
      spec['size'] ??= 1;
    },
    prepareForCreate(obj) {
      delete obj['status'];
    },
    validate: validateWidget,
    // like upstream strategies, update validation includes the object's own validation
    validateUpdate: (obj) => validateWidget(obj),
  },
});

const opts = (extra: Partial<WriteOptions> = {}): WriteOptions => ({
  user: { name: 'admin', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'test',
  fieldValidation: 'Strict',
  warnings: [],
  ...extra,
});

let open: { storage: Storage; cache: WatchCache }[] = [];
afterEach(async () => {
  for (const o of open) {
    o.cache.stop();
    await o.storage.close();
  }
  open = [];
});

async function newStore(generateName?: (prefix: string) => string): Promise<{ store: ResourceStore; storage: Storage }> {
  const storage = await openSqliteStorage({ path: join(root, `s${++n}`, 'state.db') });
  const cache = new WatchCache({ storage, prefix: '/registry/example.com/widgets/' });
  await cache.start();
  open.push({ storage, cache });
  const store = new ResourceStore({
    type: widgets,
    storage,
    cache,
    tracker: managedFieldsTracker,
    ...(generateName ? { generateName } : {}),
  });
  return { store, storage };
}

const widget = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({ metadata: { name }, spec: { size: 2 }, ...extra });

async function rejects(p: Promise<unknown>, code: number, reason: string, message?: string | RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(isStatusError(err), `want StatusError, got ${String(err)}`);
    assert.equal(err.status.code, code, err.status.message);
    assert.equal(err.status.reason, reason);
    if (typeof message === 'string') assert.equal(err.status.message, message);
    else if (message) assert.match(err.status.message ?? '', message);
    return;
  }
  assert.fail('expected a rejection');
}

const MODIFIED =
  'Operation cannot be fulfilled on widgets.example.com "a": the object has been modified; please apply your changes to the latest version and try again';

describe('ResourceStore.create', () => {
  it('fills system metadata, defaults, generation 1 and the storage revision', async () => {
    const { store, storage } = await newStore();
    const obj = await store.create('default', { metadata: { name: 'a' }, spec: {} }, opts());
    assert.equal(obj.apiVersion, 'example.com/v1');
    assert.equal(obj.kind, 'Widget');
    assert.equal(obj.metadata.namespace, 'default');
    assert.match(obj.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(obj.metadata.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(obj.metadata.generation, 1);
    assert.deepEqual(obj['spec'], { size: 1 });
    assert.equal(obj.metadata.resourceVersion, String(await storage.currentRevision()));
    assert.equal(obj.metadata.managedFields?.[0]?.manager, 'test');
  });

  const bad: { name: string; obj: KubeObject; ns: string; code: number; reason: string; message: string | RegExp }[] = [
    {
      name: 'a resourceVersion',
      obj: widget('a', { metadata: { name: 'a', resourceVersion: '5' } }),
      ns: 'default',
      code: 400,
      reason: 'BadRequest',
      message: 'resourceVersion should not be set on objects to be created',
    },
    {
      name: 'another namespace',
      obj: widget('a', { metadata: { name: 'a', namespace: 'x' } }),
      ns: 'default',
      code: 400,
      reason: 'BadRequest',
      message: 'the namespace of the provided object does not match the namespace sent on the request',
    },
    {
      name: 'an invalid spec',
      obj: widget('a', { spec: { size: -1 } }),
      ns: 'default',
      code: 422,
      reason: 'Invalid',
      message: 'Widget.example.com "a" is invalid: spec.size: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'no name',
      obj: { metadata: {}, spec: {} },
      ns: 'default',
      code: 422,
      reason: 'Invalid',
      message: /metadata\.name: Required value/,
    },
  ];
  for (const tc of bad) {
    it(`refuses ${tc.name} and stores nothing`, async () => {
      const { store, storage } = await newStore();
      const before = await storage.currentRevision();
      await rejects(store.create(tc.ns, tc.obj, opts()), tc.code, tc.reason, tc.message);
      assert.equal(await storage.currentRevision(), before);
    });
  }

  it('refuses a duplicate with 409 AlreadyExists', async () => {
    const { store } = await newStore();
    await store.create('default', widget('a'), opts());
    await rejects(store.create('default', widget('a'), opts()), 409, 'AlreadyExists', 'widgets.example.com "a" already exists');
  });

  it('dry run answers the object and stores nothing', async () => {
    const { store, storage } = await newStore();
    const before = await storage.currentRevision();
    const obj = await store.create('default', widget('a'), opts({ dryRun: true }));
    assert.equal(obj.metadata.name, 'a');
    assert.equal(await storage.currentRevision(), before);
    assert.equal(await store.read('default', 'a'), undefined);
  });
});

describe('ResourceStore.update (guaranteedUpdate)', () => {
  it('bumps generation only when the spec changes', async () => {
    const { store } = await newStore();
    await store.create('default', widget('a'), opts());
    const labels = await store.update(
      { namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, metadata: { ...o.metadata, labels: { x: 'y' } } }) },
      opts(),
    );
    assert.equal(labels.obj.metadata.generation, 1, 'metadata change');
    const status = await store.update(
      { namespace: 'default', name: 'a', subresource: 'status', tryUpdate: (o) => ({ ...o, status: { ready: true } }) },
      opts(),
    );
    assert.equal(status.obj.metadata.generation, 1, 'status change');
    assert.deepEqual(status.obj['status'], { ready: true });
    const spec = await store.update({ namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, spec: { size: 5 } }) }, opts());
    assert.equal(spec.obj.metadata.generation, 2, 'spec change');
    assert.deepEqual(spec.obj['status'], { ready: true }, 'the main resource cannot change status');
  });

  it('a no-op update keeps the resourceVersion and writes nothing', async () => {
    const { store, storage } = await newStore();
    const created = await store.create('default', widget('a'), opts());
    const before = await storage.currentRevision();
    const { obj } = await store.update({ namespace: 'default', name: 'a', tryUpdate: (o) => o }, opts());
    assert.equal(obj.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(await storage.currentRevision(), before);
  });

  it('a stale resourceVersion in the desired object is a 409 Conflict', async () => {
    const { store } = await newStore();
    const created = await store.create('default', widget('a'), opts());
    await store.update({ namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, spec: { size: 3 } }) }, opts());
    const stale = structuredClone(created);
    stale['spec'] = { size: 4 };
    await rejects(
      store.update({ namespace: 'default', name: 'a', tryUpdate: () => structuredClone(stale) }, opts()),
      409,
      'Conflict',
      MODIFIED,
    );
  });

  it('a UID precondition that does not match is a 409 Conflict', async () => {
    const { store } = await newStore();
    const created = await store.create('default', widget('a'), opts());
    await rejects(
      store.update({ namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, metadata: { ...o.metadata, uid: 'other' } }) }, opts()),
      409,
      'Conflict',
      `Operation cannot be fulfilled on widgets.example.com "a": Precondition failed: UID in precondition: other, UID in object meta: ${created.metadata.uid}`,
    );
  });

  it('retries an unconditional update when storage moved on underneath', async () => {
    const { store, storage } = await newStore();
    await store.create('default', widget('a'), opts());
    let calls = 0;
    const { obj } = await store.update(
      {
        namespace: 'default',
        name: 'a',
        tryUpdate: async (o) => {
          calls++;
          if (calls === 1) await interfere(store, storage);
          const next = { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, mine: 'yes' } } };
          delete next.metadata.resourceVersion;
          return next;
        },
      },
      opts(),
    );
    assert.equal(calls, 2);
    assert.deepEqual(obj.metadata.labels, { other: 'yes', mine: 'yes' }, "both writers' changes survive");
  });

  it('retries when the desired object derives from the current one (patch-style), as upstream GuaranteedUpdate does', async () => {
    const { store, storage } = await newStore();
    await store.create('default', widget('a'), opts());
    let calls = 0;
    const { obj } = await store.update(
      {
        namespace: 'default',
        name: 'a',
        tryUpdate: async (o) => {
          calls++;
          if (calls === 1) await interfere(store, storage);
          return { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, mine: 'yes' } } };
        },
      },
      opts(),
    );
    assert.equal(calls, 2);
    assert.deepEqual(obj.metadata.labels, { other: 'yes', mine: 'yes' });
  });

  it('dry run validates and stores nothing', async () => {
    const { store, storage } = await newStore();
    await store.create('default', widget('a'), opts());
    const before = await storage.currentRevision();
    const { obj } = await store.update(
      { namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, spec: { size: 7 } }) },
      opts({ dryRun: true }),
    );
    assert.deepEqual(obj['spec'], { size: 7 });
    assert.equal(await storage.currentRevision(), before);
    assert.deepEqual((await store.read('default', 'a'))?.obj['spec'], { size: 2 });
  });

  it('an invalid update is 422 and changes nothing', async () => {
    const { store, storage } = await newStore();
    await store.create('default', widget('a'), opts());
    const before = await storage.currentRevision();
    await rejects(
      store.update({ namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, spec: { size: -3 } }) }, opts()),
      422,
      'Invalid',
    );
    assert.equal(await storage.currentRevision(), before);
  });
});

/** Another writer changes the object between the store's read and its write. */
async function interfere(store: ResourceStore, storage: Storage): Promise<void> {
  const cur = await store.read('default', 'a');
  assert.ok(cur);
  const other = structuredClone(cur.obj);
  other.metadata.labels = { other: 'yes' };
  delete other.metadata.resourceVersion;
  await storage.update(store.key('default', 'a'), JSON.stringify(other), cur.modRevision);
}

describe('deletion', () => {
  it('finalizers keep the object, marked; removing the last one deletes it', async () => {
    const { store } = await newStore();
    await store.create('default', widget('a', { metadata: { name: 'a', finalizers: ['example.com/hold', 'example.com/two'] } }), opts());
    const marked = await deleteObject(store, 'default', 'a', {}, opts());
    assert.equal(marked.deleted, false);
    assert.ok(marked.obj.metadata.deletionTimestamp);
    assert.equal(marked.obj.metadata.deletionGracePeriodSeconds, 0);
    const stored = await store.read('default', 'a');
    assert.ok(stored?.obj.metadata.deletionTimestamp, 'still stored, marked for deletion');
    await store.update(
      { namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, metadata: { ...o.metadata, finalizers: ['example.com/two'] } }) },
      opts(),
    );
    assert.ok(await store.read('default', 'a'), 'one finalizer left');
    await store.update(
      { namespace: 'default', name: 'a', tryUpdate: (o) => ({ ...o, metadata: { ...o.metadata, finalizers: [] } }) },
      opts(),
    );
    assert.equal(await store.read('default', 'a'), undefined, 'gone with the last finalizer');
  });

  it('without finalizers the object is removed at once and answered in its last state', async () => {
    const { store, storage } = await newStore();
    await store.create('default', widget('a'), opts());
    const res = await deleteObject(store, 'default', 'a', {}, opts());
    assert.equal(res.deleted, true);
    assert.equal(res.obj.metadata.resourceVersion, String(await storage.currentRevision()));
    assert.equal(await store.read('default', 'a'), undefined);
    await rejects(deleteObject(store, 'default', 'a', {}, opts()), 404, 'NotFound', 'widgets.example.com "a" not found');
  });

  it('preconditions on uid and resourceVersion', async () => {
    const { store } = await newStore();
    const created = await store.create('default', widget('a'), opts());
    await rejects(
      deleteObject(store, 'default', 'a', { preconditions: { uid: 'nope' } }, opts()),
      409,
      'Conflict',
      `Operation cannot be fulfilled on widgets.example.com "a": Precondition failed: UID in precondition: nope, UID in object meta: ${created.metadata.uid}`,
    );
    await rejects(
      deleteObject(store, 'default', 'a', { preconditions: { resourceVersion: '999' } }, opts()),
      409,
      'Conflict',
      `Operation cannot be fulfilled on widgets.example.com "a": Precondition failed: ResourceVersion in precondition: 999, ResourceVersion in object meta: ${created.metadata.resourceVersion}`,
    );
    const ok = await deleteObject(
      store,
      'default',
      'a',
      { preconditions: { uid: created.metadata.uid as string, resourceVersion: created.metadata.resourceVersion as string } },
      opts(),
    );
    assert.equal(ok.deleted, true);
  });

  it('dry run deletes nothing', async () => {
    const { store } = await newStore();
    await store.create('default', widget('a'), opts());
    await store.create('default', widget('b', { metadata: { name: 'b', finalizers: ['example.com/hold'] } }), opts());
    assert.equal((await deleteObject(store, 'default', 'a', {}, opts({ dryRun: true }))).deleted, true);
    assert.ok(await store.read('default', 'a'));
    await deleteObject(store, 'default', 'b', {}, opts({ dryRun: true }));
    assert.equal((await store.read('default', 'b'))?.obj.metadata.deletionTimestamp, undefined);
  });
});

describe('ResourceStore create with generateName', () => {
  it('makes another name when the generated one is taken, up to 8 tries, then answers AlreadyExists', async () => {
    const names = ['w-taken', 'w-taken', 'w-free'];
    let calls = 0;
    const { store } = await newStore((prefix) => {
      calls++;
      return names.shift() ?? `${prefix}taken`;
    });
    await store.create('default', widget('w-taken'), opts());
    const o = opts();
    const made = await store.create('default', { metadata: { generateName: 'w-' }, spec: { size: 2 } }, o);
    assert.equal(made.metadata.name, 'w-free');
    assert.equal(made.metadata.generateName, 'w-');
    assert.equal(calls, 3);
    // every generated name taken: the eighth AlreadyExists is the answer
    await rejects(store.create('default', { metadata: { generateName: 'w-' } }, opts()), 409, 'AlreadyExists');
    assert.equal(calls, 11);
  });

  it('does not retry a given name', async () => {
    let generated = 0;
    const { store } = await newStore((prefix) => `${prefix}${++generated}`);
    await store.create('default', widget('a'), opts());
    await rejects(store.create('default', widget('a'), opts()), 409, 'AlreadyExists');
    assert.equal(generated, 0);
  });
});
