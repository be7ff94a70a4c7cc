import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_MAP, DEPLOYMENT } from './testing/types.js';
import { applyConfiguration, LAST_APPLIED_CONFIG_ANNOTATION } from './apply.js';
import { updateManagedFields } from './managed-fields.js';
import { isStatusError, type StatusError } from '../errors.js';
import type { KubeObject, ManagedFieldsEntry } from '../object.js';

const AV = 'test.apply/v1';
const T0 = new Date('2024-05-01T10:00:00.500Z');
const T1 = new Date('2024-05-01T11:00:00Z');
const T2 = new Date('2024-05-01T12:00:00Z');

function configMap(data: Record<string, unknown> | undefined, meta: Record<string, unknown> = {}): KubeObject {
  const o: KubeObject = { apiVersion: AV, kind: 'ConfigMap', metadata: { name: 'cm', ...meta } };
  if (data !== undefined) o['data'] = data;
  return o;
}

function deployment(containers: unknown[], spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: AV,
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { ...spec, template: { spec: { containers } } },
  };
}

interface ApplyArgs {
  live: KubeObject | undefined;
  config: KubeObject;
  manager: string;
  force?: boolean;
  now?: Date;
  typeName?: string;
  subresource?: string;
  resetFields?: string[][];
}

function apply(a: ApplyArgs): KubeObject {
  return applyConfiguration({
    live: a.live,
    config: a.config,
    manager: a.manager,
    force: a.force ?? false,
    apiVersion: AV,
    now: a.now ?? T0,
    typeName: a.typeName ?? (a.config.kind === 'Deployment' ? DEPLOYMENT : CONFIG_MAP),
    ...(a.subresource ? { subresource: a.subresource } : {}),
    ...(a.resetFields ? { resetFields: a.resetFields } : {}),
  });
}

/** A stored object: what a create through the update path would persist. */
function created(obj: KubeObject, manager: string, now = T0): KubeObject {
  const withMeta = { ...obj, metadata: { ...obj.metadata, uid: 'uid-1', creationTimestamp: '2024-05-01T10:00:00Z' } };
  return updateManagedFields({ old: undefined, updated: withMeta, manager, operation: 'Update', apiVersion: AV, now });
}

function entry(obj: KubeObject, manager: string): ManagedFieldsEntry {
  const e = obj.metadata.managedFields?.find((x) => x.manager === manager);
  assert.ok(e, `no managedFields entry for ${manager}: ${JSON.stringify(obj.metadata.managedFields)}`);
  return e;
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(isStatusError(err, 'Conflict'), `want Conflict, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a conflict');
}

test('apply creates an object and records one Apply entry', () => {
  const out = apply({ live: undefined, config: configMap({ a: '1' }, { labels: { app: 'x' } }), manager: 'mgr' });
  assert.deepEqual(out['data'], { a: '1' });
  assert.equal(out['spec'], undefined);
  assert.deepEqual(out.metadata.managedFields, [
    {
      manager: 'mgr',
      operation: 'Apply',
      apiVersion: AV,
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
    },
  ]);
});

test('apply never owns identity fields (apiVersion, kind, name, namespace)', () => {
  const out = apply({ live: undefined, config: configMap(undefined, { namespace: 'ns' }), manager: 'mgr' });
  assert.equal(out.metadata.managedFields, undefined);
  assert.equal(out.metadata.namespace, 'ns');
});

test('apply of a Deployment keys containers and ports by their list-map keys', () => {
  const out = apply({
    live: undefined,
    config: deployment([{ name: 'c1', image: 'nginx', ports: [{ containerPort: 80 }] }], {
      replicas: 2,
      selector: { matchLabels: { a: 'b' } },
    }),
    manager: 'mgr',
  });
  assert.deepEqual(entry(out, 'mgr').fieldsV1, {
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"c1"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    },
  });
});

test('re-applying the same configuration changes nothing, not even the time', () => {
  const first = apply({ live: undefined, config: configMap({ a: '1' }), manager: 'mgr' });
  const again = apply({ live: first, config: configMap({ a: '1' }), manager: 'mgr', now: T1 });
  assert.deepEqual(again, first);
});

test('applying a new value updates the object and the entry time', () => {
  const first = apply({ live: undefined, config: configMap({ a: '1' }), manager: 'mgr' });
  const out = apply({ live: first, config: configMap({ a: '2' }), manager: 'mgr', now: T1 });
  assert.deepEqual(out['data'], { a: '2' });
  assert.equal(entry(out, 'mgr').time, '2024-05-01T11:00:00Z');
});

test('a field the manager applied before and omits now is removed', () => {
  const first = apply({ live: undefined, config: configMap({ a: '1', b: '2' }), manager: 'mgr' });
  const out = apply({ live: first, config: configMap({ a: '1' }), manager: 'mgr', now: T1 });
  assert.deepEqual(out['data'], { a: '1' });
  assert.deepEqual(entry(out, 'mgr').fieldsV1, { 'f:data': { 'f:a': {} } });
});

test('omitting every field of a map removes the map', () => {
  const first = apply({ live: undefined, config: configMap({ a: '1' }), manager: 'mgr' });
  const out = apply({ live: first, config: configMap(undefined, { labels: { x: 'y' } }), manager: 'mgr', now: T1 });
  assert.equal(out['data'], undefined);
  assert.deepEqual(out.metadata.labels, { x: 'y' });
});

test('an omitted field another applier also owns stays', () => {
  const one = apply({ live: undefined, config: configMap({ shared: 's', mine: '1' }), manager: 'm1' });
  const two = apply({ live: one, config: configMap({ shared: 's' }), manager: 'm2', now: T1 });
  const out = apply({ live: two, config: configMap({}), manager: 'm1', now: T2 });
  assert.deepEqual(out['data'], { shared: 's' });
  assert.deepEqual(entry(out, 'm2').fieldsV1, { 'f:data': { 'f:shared': {} } });
});

test('an omitted field an updater also owns stays', () => {
  const one = apply({ live: undefined, config: configMap({ a: '1' }), manager: 'm1' });
  const stored = { ...one, metadata: { ...one.metadata, uid: 'u' } };
  const edited = updateManagedFields({
    old: stored,
    updated: { ...stored, data: { a: '1', b: '2' }, metadata: { ...stored.metadata, labels: { l: '1' } } },
    manager: 'editor',
    operation: 'Update',
    apiVersion: AV,
    now: T1,
  });
  const out = apply({ live: edited, config: configMap({}), manager: 'm1', now: T2 });
  assert.deepEqual(out['data'], { b: '2' });
});

test('two appliers setting the same value share the field without conflict', () => {
  const one = apply({ live: undefined, config: configMap({ k: 'v' }), manager: 'm1' });
  const two = apply({ live: one, config: configMap({ k: 'v' }), manager: 'm2', now: T1 });
  assert.deepEqual(entry(two, 'm1').fieldsV1, { 'f:data': { 'f:k': {} } });
  assert.deepEqual(entry(two, 'm2').fieldsV1, { 'f:data': { 'f:k': {} } });
  // nothing changed, so the new entry carries no time, as upstream
  assert.equal(entry(two, 'm2').time, undefined);
});

test('changing a value another applier owns is a conflict', () => {
  const one = apply({ live: undefined, config: configMap({ k: 'v' }), manager: 'm1' });
  const err = conflictOf(() => apply({ live: one, config: configMap({ k: 'other' }), manager: 'm2' }));
  assert.equal(err.code, 409);
  assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "m1": .data.k');
  assert.deepEqual(err.status.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "m1"', field: '.data.k' }]);
});

test('force takes ownership away from the other manager', () => {
  const one = apply({ live: undefined, config: configMap({ k: 'v', x: '1' }), manager: 'm1' });
  const out = apply({ live: one, config: configMap({ k: 'forced' }), manager: 'm2', force: true, now: T1 });
  assert.deepEqual(out['data'], { k: 'forced', x: '1' });
  assert.deepEqual(entry(out, 'm1').fieldsV1, { 'f:data': { 'f:x': {} } });
  assert.deepEqual(entry(out, 'm2').fieldsV1, { 'f:data': { 'f:k': {} } });
  // m1 applying again without k does not remove it: m2 owns it now
  const again = apply({ live: out, config: configMap({ x: '1' }), manager: 'm1', now: T2 });
  assert.deepEqual(again['data'], { k: 'forced', x: '1' });
});

test('force removes an entry whose fields were all taken', () => {
  const one = apply({ live: undefined, config: configMap({ k: 'v' }), manager: 'm1' });
  const out = apply({ live: one, config: configMap({ k: 'w' }), manager: 'm2', force: true, now: T1 });
  assert.deepEqual(
    out.metadata.managedFields?.map((e) => e.manager),
    ['m2'],
  );
});

test('several conflicts use the plural form, grouped by manager', () => {
  const one = apply({ live: undefined, config: configMap({ a: '1', b: '1' }), manager: 'm1' });
  const two = apply({ live: one, config: configMap({ c: '1' }), manager: 'm0', now: T1 });
  const err = conflictOf(() => apply({ live: two, config: configMap({ a: '2', b: '2', c: '2' }), manager: 'm2' }));
  assert.equal(
    err.status.message,
    'Apply failed with 3 conflicts: conflicts with "m0":\n- .data.c\nconflicts with "m1":\n- .data.a\n- .data.b',
  );
  assert.equal(err.status.details?.causes?.length, 3);
});

test("kubectl client-side apply followed by another manager's server-side apply conflicts", () => {
  const csa = created(configMap({ key: 'v1' }), 'kubectl-client-side-apply');
  assert.equal(entry(csa, 'kubectl-client-side-apply').operation, 'Update');
  const err = conflictOf(() => apply({ live: csa, config: configMap({ key: 'v2' }), manager: 'my-manager' }));
  assert.equal(err.status.message, `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using ${AV}: .data.key`);
  assert.deepEqual(err.status.details?.causes, [
    { reason: 'FieldManagerConflict', message: `conflict with "kubectl-client-side-apply" using ${AV}`, field: '.data.key' },
  ]);
});

test('kubectl --server-side upgrades from client-side apply when last-applied matches the live object', () => {
  const lastApplied = JSON.stringify(configMap({ key: 'v1' }));
  const csa = created(
    configMap({ key: 'v1' }, { annotations: { [LAST_APPLIED_CONFIG_ANNOTATION]: lastApplied } }),
    'kubectl-client-side-apply',
  );
  const out = apply({ live: csa, config: configMap({ key: 'v2' }), manager: 'kubectl', now: T1 });
  assert.deepEqual(out['data'], { key: 'v2' });
  assert.deepEqual(entry(out, 'kubectl').fieldsV1, { 'f:data': { 'f:key': {} } });
  // the annotation now records what kubectl applied
  const ann = out.metadata.annotations?.[LAST_APPLIED_CONFIG_ANNOTATION] ?? '';
  assert.ok(ann.endsWith('\n'));
  assert.deepEqual(JSON.parse(ann), configMap({ key: 'v2' }));
});

test('the client-side apply upgrade does not cover values edited since, nor other managers', () => {
  const lastApplied = JSON.stringify(configMap({ key: 'old' }));
  const csa = created(
    configMap({ key: 'edited' }, { annotations: { [LAST_APPLIED_CONFIG_ANNOTATION]: lastApplied } }),
    'kubectl-client-side-apply',
  );
  conflictOf(() => apply({ live: csa, config: configMap({ key: 'v2' }), manager: 'kubectl' }));
  const plain = created(configMap({ key: 'v1' }), 'kubectl-client-side-apply');
  conflictOf(() => apply({ live: plain, config: configMap({ key: 'v2' }), manager: 'kubectl' }));
});

test('objects stored before tracking began belong to "before-first-apply"', () => {
  const untracked = { ...configMap({ key: 'v1', other: 'o' }), metadata: { name: 'cm', uid: 'u' } };
  const same = apply({ live: untracked, config: configMap({ key: 'v1' }), manager: 'mgr', now: T1 });
  assert.deepEqual(entry(same, 'before-first-apply').fieldsV1, { 'f:data': { '.': {}, 'f:key': {}, 'f:other': {} } });
  const err = conflictOf(() => apply({ live: untracked, config: configMap({ key: 'v2' }), manager: 'mgr' }));
  assert.match(err.status.message ?? '', /conflict with "before-first-apply" using test\.apply\/v1: \.data\.key/);
});

test('list-map entries merge by key across appliers, and an applier removes only its own entry', () => {
  const a = apply({ live: undefined, config: deployment([{ name: 'c1', image: 'i1' }]), manager: 'a' });
  const b = apply({ live: a, config: deployment([{ name: 'c2', image: 'i2' }]), manager: 'b', now: T1 });
  const names = (o: KubeObject): string[] =>
    (o['spec'] as { template: { spec: { containers: Array<{ name: string }> } } }).template.spec.containers.map((c) => c.name);
  assert.deepEqual(names(b), ['c1', 'c2']);
  const out = apply({ live: b, config: deployment([]), manager: 'a', now: T2 });
  assert.deepEqual(names(out), ['c2']);
});

test("changing another applier's container field conflicts at the keyed path", () => {
  const a = apply({ live: undefined, config: deployment([{ name: 'c1', image: 'i1' }]), manager: 'a' });
  const err = conflictOf(() => apply({ live: a, config: deployment([{ name: 'c1', image: 'i2' }]), manager: 'b' }));
  assert.equal(err.status.details?.causes?.[0]?.field, '.spec.template.spec.containers[name="c1"].image');
});

test('an applier drops one field of a container it keeps applying', () => {
  const a = apply({ live: undefined, config: deployment([{ name: 'c1', image: 'i1', imagePullPolicy: 'Always' }]), manager: 'a' });
  const out = apply({ live: a, config: deployment([{ name: 'c1', image: 'i1' }]), manager: 'a', now: T1 });
  assert.deepEqual((out['spec'] as { template: { spec: unknown } }).template.spec, { containers: [{ name: 'c1', image: 'i1' }] });
});

test('set lists: appliers own their own elements', () => {
  const fin = (f: string[]): KubeObject => configMap(undefined, { finalizers: f });
  const a = apply({ live: undefined, config: fin(['x', 'y']), manager: 'a' });
  const b = apply({ live: a, config: fin(['z']), manager: 'b', now: T1 });
  assert.deepEqual(b.metadata.finalizers, ['x', 'y', 'z']);
  assert.deepEqual(entry(b, 'b').fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"z"': {} } } });
  const out = apply({ live: b, config: fin(['y']), manager: 'a', now: T2 });
  assert.deepEqual(out.metadata.finalizers, ['y', 'z']);
});

test('atomic lists are replaced whole and conflict whole', () => {
  const a = apply({ live: undefined, config: deployment([{ name: 'c', args: ['1', '2'] }]), manager: 'a' });
  const err = conflictOf(() => apply({ live: a, config: deployment([{ name: 'c', args: ['1'] }]), manager: 'b' }));
  assert.equal(err.status.details?.causes?.[0]?.field, '.spec.template.spec.containers[name="c"].args');
  const forced = apply({ live: a, config: deployment([{ name: 'c', args: ['9'] }]), manager: 'b', force: true, now: T1 });
  const c = (forced['spec'] as { template: { spec: { containers: Array<{ args: string[] }> } } }).template.spec.containers[0]!;
  assert.deepEqual(c.args, ['9']);
});

test('atomic structs (label selectors) conflict as one field', () => {
  const a = apply({ live: undefined, config: deployment([], { selector: { matchLabels: { app: 'x' } } }), manager: 'a' });
  const err = conflictOf(() => apply({ live: a, config: deployment([], { selector: { matchLabels: { app: 'y' } } }), manager: 'b' }));
  assert.equal(err.status.details?.causes?.[0]?.field, '.spec.selector');
});

test('conflicts name the subresource of the owning manager', () => {
  const a = apply({ live: undefined, config: configMap({ k: '1' }), manager: 'ctl', subresource: 'status' });
  assert.equal(entry(a, 'ctl').subresource, 'status');
  const err = conflictOf(() => apply({ live: a, config: configMap({ k: '2' }), manager: 'b' }));
  assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "ctl" with subresource "status": .data.k');
});

test('reset fields (status on the main resource) are never owned', () => {
  const cfg = { ...deployment([{ name: 'c' }]), status: { replicas: 3 } };
  const out = apply({ live: undefined, config: cfg, manager: 'a', resetFields: [['status']] });
  assert.equal('f:status' in (entry(out, 'a').fieldsV1 ?? {}), false);
});

test('a configuration of the wrong version or kind, or carrying managedFields, is a bad request', () => {
  const cases: Array<[string, () => unknown, string]> = [
    [
      'version',
      () =>
        applyConfiguration({
          live: undefined,
          config: { ...configMap({}), apiVersion: 'test.apply/v2' },
          manager: 'm',
          force: false,
          apiVersion: AV,
          now: T0,
        }),
      'Incorrect version specified in apply patch. Specified patch version: test.apply/v2, expected: test.apply/v1',
    ],
    [
      'kind',
      () =>
        applyConfiguration({ live: undefined, config: configMap({}), manager: 'm', force: false, apiVersion: AV, kind: 'Secret', now: T0 }),
      'invalid object type: test.apply/v1, Kind=ConfigMap',
    ],
    [
      'managedFields',
      () => apply({ live: undefined, config: configMap({}, { managedFields: [] }), manager: 'm' }),
      'metadata.managedFields must be nil',
    ],
  ];
  for (const [name, fn, message] of cases) {
    assert.throws(fn, (err: unknown) => isStatusError(err, 'BadRequest') && err.status.message === message, name);
  }
});

test('a list-map entry without its key is an internal error, as upstream', () => {
  assert.throws(
    () => apply({ live: undefined, config: deployment([{ image: 'x' }]), manager: 'm' }),
    (err: unknown) => isStatusError(err, 'InternalError') && /omits all key fields \["name"\]/.test(err.status.message ?? ''),
  );
});

test('custom resources without a schema apply as granular maps with atomic lists', () => {
  const widget = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec,
  });
  const opts = { force: false, apiVersion: 'example.com/v1' } as const;
  const a = applyConfiguration({ ...opts, live: undefined, config: widget({ size: 1, items: [1, 2], extra: 'x' }), manager: 'a', now: T0 });
  assert.deepEqual(entry(a, 'a').fieldsV1, { 'f:spec': { '.': {}, 'f:extra': {}, 'f:items': {}, 'f:size': {} } });
  const b = applyConfiguration({ ...opts, live: a, config: widget({ size: 1, items: [3] }), manager: 'a', now: T1 });
  assert.deepEqual(b['spec'], { size: 1, items: [3] });
});

test('a null in the configuration removes the field but keeps it owned', () => {
  const a = apply({ live: undefined, config: configMap({ a: '1', b: '2' }), manager: 'm' });
  const out = apply({ live: a, config: configMap({ a: null, b: '2' }), manager: 'm', now: T1 });
  assert.deepEqual(out['data'], { b: '2' });
  assert.deepEqual(entry(out, 'm').fieldsV1, { 'f:data': { 'f:a': {}, 'f:b': {} } });
});

test('managedFields entries: Apply before Update, then by time, then by manager', () => {
  let obj = created(configMap({ u: '1' }), 'zz-updater', T0);
  obj = apply({ live: obj, config: configMap({ b: '1' }), manager: 'b', now: T2 });
  obj = apply({ live: obj, config: configMap({ a: '1' }), manager: 'a', now: T2 });
  obj = apply({ live: obj, config: configMap({ c: '1' }), manager: 'c', now: T1 });
  assert.deepEqual(
    obj.metadata.managedFields?.map((e) => `${e.operation}:${e.manager}`),
    ['Apply:c', 'Apply:a', 'Apply:b', 'Update:zz-updater'],
  );
});

test('the live object is not mutated', () => {
  const a = apply({ live: undefined, config: configMap({ a: '1' }), manager: 'm' });
  const snapshot = structuredClone(a);
  apply({ live: a, config: configMap({ a: '2' }), manager: 'n', force: true, now: T1 });
  assert.deepEqual(a, snapshot);
});
