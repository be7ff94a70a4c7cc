import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_MAP, DEPLOYMENT } from './testing/types.js';
import { defaultResetFields, updateManagedFields } from './managed-fields.js';
import { applyConfiguration } from './apply.js';
import type { KubeObject, ManagedFieldsEntry } from '../object.js';

const AV = 'test.apply/v1';
const T0 = new Date('2024-05-01T10:00:00.900Z');
const T1 = new Date('2024-05-01T11:00:00Z');
const T2 = new Date('2024-05-01T12:00:00Z');

function cm(data: Record<string, string>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: AV, kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns', ...meta }, data };
}

interface UpdateArgs {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  now?: Date;
  apiVersion?: string;
  subresource?: string;
  resetFields?: string[][];
  typeName?: string;
}

function update(a: UpdateArgs): KubeObject {
  return updateManagedFields({
    old: a.old,
    updated: a.updated,
    manager: a.manager,
    operation: 'Update',
    apiVersion: a.apiVersion ?? AV,
    now: a.now ?? T0,
    typeName: a.typeName ?? (a.updated.kind === 'Deployment' ? DEPLOYMENT : CONFIG_MAP),
    ...(a.subresource ? { subresource: a.subresource } : {}),
    ...(a.resetFields ? { resetFields: a.resetFields } : {}),
  });
}

/** Creates through the update path, as POST does, with the server-set fields a stored object has. */
function create(obj: KubeObject, manager = 'kubectl-create'): KubeObject {
  const server = { uid: 'uid-1', resourceVersion: '1', generation: 1, creationTimestamp: '2024-05-01T10:00:00Z' };
  return update({ old: undefined, updated: { ...obj, metadata: { ...obj.metadata, ...server } }, manager });
}

function fields(obj: KubeObject, manager: string, subresource?: string): ManagedFieldsEntry['fieldsV1'] {
  const e = obj.metadata.managedFields?.find((x) => x.manager === manager && x.subresource === subresource);
  assert.ok(e, `no entry for ${manager}: ${JSON.stringify(obj.metadata.managedFields)}`);
  return e.fieldsV1;
}

test('create: every set field belongs to the creator, identity fields excluded', () => {
  const out = create(cm({ a: '1' }, { labels: { app: 'x' }, annotations: { note: 'n' } }));
  assert.deepEqual(out.metadata.managedFields, [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: AV,
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:data': { '.': {}, 'f:a': {} },
        'f:metadata': { 'f:annotations': { '.': {}, 'f:note': {} }, 'f:labels': { '.': {}, 'f:app': {} } },
      },
    },
  ]);
});

// Go's zero value has spec, its required fields and containers: null, so those get no "."; optional
// nested structs (template.metadata/spec here) are approximated as pointers.
test('create of a Deployment: no "." for spec and the required fields present in the zero value', () => {
  const d: KubeObject = {
    apiVersion: AV,
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { replicas: 1, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  };
  const f = fields(create(d), 'kubectl-create') as Record<string, Record<string, unknown>>;
  assert.deepEqual(f['f:spec'], {
    'f:replicas': {},
    'f:template': {
      'f:metadata': { '.': {}, 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { '.': {}, 'f:containers': { '.': {}, 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    },
  });
  assert.equal(f['f:metadata'], undefined);
});

test('create of an unknown kind: its spec gets "."', () => {
  const w: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } };
  const out = updateManagedFields({ old: undefined, updated: w, manager: 'm', operation: 'Update', apiVersion: 'example.com/v1', now: T0 });
  assert.deepEqual(out.metadata.managedFields?.[0]?.fieldsV1, { 'f:spec': { '.': {}, 'f:size': {} } });
});

test('update: changed fields move to the updater, others keep theirs and their time', () => {
  const stored = create(cm({ a: '1', b: '1' }));
  const out = update({ old: stored, updated: { ...stored, data: { a: '2', b: '1', c: '3' } }, manager: 'editor', now: T1 });
  assert.deepEqual(fields(out, 'kubectl-create'), { 'f:data': { '.': {}, 'f:b': {} } });
  assert.deepEqual(fields(out, 'editor'), { 'f:data': { 'f:a': {}, 'f:c': {} } });
  assert.equal(out.metadata.managedFields?.find((e) => e.manager === 'kubectl-create')?.time, '2024-05-01T10:00:00Z');
  assert.equal(out.metadata.managedFields?.find((e) => e.manager === 'editor')?.time, '2024-05-01T11:00:00Z');
});

test('update that changes nothing adds no entry and keeps times', () => {
  const stored = create(cm({ a: '1' }));
  const out = update({ old: stored, updated: structuredClone(stored), manager: 'noop', now: T1 });
  assert.deepEqual(out.metadata.managedFields, stored.metadata.managedFields);
});

test('a manager updating again unions its fields and refreshes its time', () => {
  const stored = create(cm({ a: '1' }));
  const one = update({ old: stored, updated: { ...stored, data: { a: '1', b: '1' } }, manager: 'ed', now: T1 });
  const two = update({ old: one, updated: { ...one, data: { a: '1', b: '1', c: '1' } }, manager: 'ed', now: T2 });
  assert.deepEqual(fields(two, 'ed'), { 'f:data': { 'f:b': {}, 'f:c': {} } });
  assert.equal(two.metadata.managedFields?.find((e) => e.manager === 'ed')?.time, '2024-05-01T12:00:00Z');
});

test('a manager changing only fields it owns keeps its stored FieldsV1 as it was', () => {
  const stored = create(cm({ a: '1', b: '1' }));
  const out = update({ old: stored, updated: { ...stored, data: { a: '2', b: '1' } }, manager: 'kubectl-create', now: T1 });
  const before = stored.metadata.managedFields?.[0];
  const after = out.metadata.managedFields?.[0];
  assert.equal(after?.fieldsV1, before?.fieldsV1, 'the same FieldsV1, not an equal copy');
  assert.equal(after?.time, '2024-05-01T11:00:00Z');
  const grown = update({ old: out, updated: { ...out, data: { a: '2', b: '1', c: '1' } }, manager: 'kubectl-create', now: T2 });
  assert.deepEqual(fields(grown, 'kubectl-create'), { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {}, 'f:c': {} } });
});

test('removed fields leave every set; entries left empty are dropped', () => {
  const stored = create(cm({ a: '1' }));
  const withB = update({ old: stored, updated: { ...stored, data: { a: '1', b: '2' } }, manager: 'ed', now: T1 });
  const out = update({ old: withB, updated: { ...withB, data: { a: '1' } }, manager: 'other', now: T2 });
  assert.deepEqual(
    out.metadata.managedFields?.map((e) => e.manager),
    ['kubectl-create'],
  );
});

test('entries are per manager, apiVersion and subresource', () => {
  const stored = create(cm({ a: '1' }));
  const v2 = update({
    old: stored,
    updated: { ...stored, data: { a: '1', b: '1' } },
    manager: 'kubectl-create',
    apiVersion: 'test.apply/v2',
    now: T1,
  });
  const st = update({
    old: v2,
    updated: { ...v2, data: { a: '1', b: '1', c: '1' } },
    manager: 'kubectl-create',
    subresource: 'status',
    now: T2,
  });
  assert.deepEqual(
    st.metadata.managedFields?.map((e) => `${e.manager}|${e.apiVersion}|${e.subresource ?? ''}|${e.time}`),
    [
      'kubectl-create|test.apply/v1||2024-05-01T10:00:00Z',
      'kubectl-create|test.apply/v2||2024-05-01T11:00:00Z',
      'kubectl-create|test.apply/v1|status|2024-05-01T12:00:00Z',
    ],
  );
});

test('an updater takes a field from an applier', () => {
  const applied = applyConfiguration({
    live: undefined,
    config: cm({ a: '1', b: '1' }),
    manager: 'ap',
    force: false,
    apiVersion: AV,
    now: T0,
    typeName: CONFIG_MAP,
  });
  const stored = { ...applied, metadata: { ...applied.metadata, uid: 'u' } };
  const out = update({ old: stored, updated: { ...stored, data: { a: '2', b: '1' } }, manager: 'ed', now: T1 });
  assert.deepEqual(fields(out, 'ap'), { 'f:data': { 'f:b': {} } });
  assert.deepEqual(fields(out, 'ed'), { 'f:data': { 'f:a': {} } });
});

test('managedFields sent on the main resource replace the stored ones; subresources ignore them', () => {
  const stored = create(cm({ a: '1' }));
  const sent: ManagedFieldsEntry[] = [
    {
      manager: 'renamed',
      operation: 'Update',
      apiVersion: AV,
      time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:a': {} } },
    },
  ];
  const main = update({
    old: stored,
    updated: { ...stored, metadata: { ...stored.metadata, managedFields: sent } },
    manager: 'x',
    now: T1,
  });
  assert.deepEqual(main.metadata.managedFields, sent);
  const sub = update({
    old: stored,
    updated: { ...stored, metadata: { ...stored.metadata, managedFields: sent } },
    manager: 'x',
    subresource: 'status',
    now: T1,
  });
  assert.deepEqual(sub.metadata.managedFields, stored.metadata.managedFields);
});

test('invalid or absent managedFields in the request fall back to the stored ones', () => {
  const stored = create(cm({ a: '1' }));
  const bad = [{ manager: 'x', operation: 'Patch' }] as unknown as ManagedFieldsEntry[];
  for (const managedFields of [bad, undefined]) {
    const meta = { ...stored.metadata, managedFields } as KubeObject['metadata'];
    if (managedFields === undefined) delete meta.managedFields;
    const out = update({ old: stored, updated: { ...stored, metadata: meta }, manager: 'x', now: T1 });
    assert.deepEqual(out.metadata.managedFields, stored.metadata.managedFields);
  }
});

test('[] or [{}] clears managedFields, and the object stays untracked until applied', () => {
  const stored = create(cm({ a: '1' }));
  for (const reset of [[], [{}]] as ManagedFieldsEntry[][]) {
    const out = update({
      old: stored,
      updated: { ...stored, data: { a: '2' }, metadata: { ...stored.metadata, managedFields: reset } },
      manager: 'x',
      now: T1,
    });
    assert.equal(out.metadata.managedFields, undefined);
  }
});

test('an empty manager name is recorded as "unknown"', () => {
  const out = create(cm({ a: '1' }), '');
  assert.equal(out.metadata.managedFields?.[0]?.manager, 'unknown');
});

test('more than 10 update managers: the oldest merge into "ancient-changes"', () => {
  let obj = create(cm({ k0: '0' }), 'm00');
  for (let i = 1; i <= 11; i++) {
    const data = { ...(obj['data'] as Record<string, string>), [`k${i}`]: String(i) };
    obj = update({
      old: obj,
      updated: { ...obj, data },
      manager: `m${String(i).padStart(2, '0')}`,
      now: new Date(T0.getTime() + i * 60_000),
    });
  }
  const managers = obj.metadata.managedFields?.map((e) => e.manager) ?? [];
  assert.equal(managers.length, 10);
  assert.ok(managers.includes('ancient-changes'));
  assert.ok(!managers.includes('m00') && !managers.includes('m01') && !managers.includes('m02'));
  const ancient = obj.metadata.managedFields?.find((e) => e.manager === 'ancient-changes');
  assert.deepEqual(ancient?.fieldsV1, { 'f:data': { '.': {}, 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
});

test('reset fields are not owned: status on the main resource, spec on status', () => {
  assert.deepEqual(defaultResetFields(undefined, true), [['status']]);
  assert.deepEqual(defaultResetFields('status', true), [['spec']]);
  assert.deepEqual(defaultResetFields(undefined, false), []);
  const d: KubeObject = { apiVersion: AV, kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1 }, status: { replicas: 1 } };
  const out = update({ old: undefined, updated: d, manager: 'm', resetFields: [['status']] });
  assert.deepEqual(out.metadata.managedFields?.[0]?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  const st = update({ old: undefined, updated: d, manager: 'm', subresource: 'status', resetFields: [['spec']] });
  assert.deepEqual(st.metadata.managedFields?.[0]?.fieldsV1, { 'f:status': { 'f:replicas': {} } });
});

test('the stored object is not mutated; the updated one is returned, changed in place', () => {
  const stored = create(cm({ a: '1' }));
  const next = { ...structuredClone(stored), data: { a: '2' } };
  const before = structuredClone(stored);
  const out = update({ old: stored, updated: next, manager: 'x', now: T1 });
  assert.deepEqual(stored, before);
  assert.equal(out, next);
});
