import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_MAP, DEPLOYMENT } from './testing/types.js';
import { merge, removeItems } from './merge.js';
import { FieldSet } from './fieldsv1.js';
import { fieldElement as f, keyElement, pathString, valueElement } from './path-element.js';
import { resolveType, rootSchema } from './schema.js';
import { compare, toFieldSet, TypedValueError } from './typed.js';

const deploy = rootSchema(DEPLOYMENT, undefined, undefined);
const cm = rootSchema(CONFIG_MAP, undefined, undefined);
const unknown = rootSchema(undefined, 'example.com/v1', 'Widget');

const paths = (s: FieldSet): string[] => s.paths().map(pathString);

function pod(containers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { spec: { template: { spec: { containers, ...extra } } } };
}

test('schema: list markers and the patchMergeKey fallback', () => {
  const cases: Array<[string, ReturnType<typeof resolveType>, string, readonly string[]]> = [
    [
      'listType map',
      resolveType({ list: { ref: 'x' } }, { type: { list: { ref: 'x' } }, listType: 'map', listMapKeys: ['name'] }),
      'map',
      ['name'],
    ],
    [
      'merge key fallback',
      resolveType({ list: { ref: 'x' } }, { type: { list: { ref: 'x' } }, patchStrategy: 'merge', patchMergeKey: 'uid' }),
      'map',
      ['uid'],
    ],
    [
      'merge scalars = set',
      resolveType({ list: { scalar: 'string' } }, { type: { list: { scalar: 'string' } }, patchStrategy: 'merge' }),
      'set',
      [],
    ],
    ['no marker = atomic', resolveType({ list: { scalar: 'string' } }), 'atomic', []],
  ];
  for (const [name, s, rel, keys] of cases) {
    assert.equal(s.kind, 'list', name);
    if (s.kind === 'list') {
      assert.equal(s.relationship, rel, name);
      assert.deepEqual(s.keys, keys, name);
    }
  }
  assert.equal(resolveType({ ref: 'no.such.Type' }).kind, 'deduced');
});

test('toFieldSet: named fields are not members, map entries and list items are', () => {
  const obj = {
    metadata: { labels: { app: 'a' }, finalizers: ['x'] },
    data: { k: 'v' },
  };
  assert.deepEqual(paths(toFieldSet(obj, cm)), ['.data.k', '.metadata.finalizers[="x"]', '.metadata.labels.app']);
});

test('toFieldSet: list-map entries by key (with key defaults), atomic lists and structs as leaves', () => {
  const obj = {
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: {
        spec: {
          containers: [{ name: 'c1', image: 'i', args: ['a', 'b'], ports: [{ containerPort: 80 }] }],
          tolerations: [{ key: 'k' }],
          nodeSelector: { disk: 'ssd' },
        },
      },
    },
  };
  assert.deepEqual(paths(toFieldSet(obj, deploy)), [
    '.spec.selector',
    '.spec.template.spec.nodeSelector',
    '.spec.template.spec.tolerations',
    '.spec.template.spec.containers[name="c1"]',
    '.spec.template.spec.containers[name="c1"].args',
    '.spec.template.spec.containers[name="c1"].image',
    '.spec.template.spec.containers[name="c1"].name',
    '.spec.template.spec.containers[name="c1"].ports[containerPort=80,protocol="TCP"]',
    '.spec.template.spec.containers[name="c1"].ports[containerPort=80,protocol="TCP"].containerPort',
  ]);
});

test('toFieldSet: null and empty maps are members; empty lists add nothing', () => {
  const s = toFieldSet({ spec: { strategy: {}, paused: null, template: { spec: { containers: [] } } } }, deploy);
  assert.deepEqual(paths(s), ['.spec.paused', '.spec.strategy']);
});

test('toFieldSet: unknown types are granular maps with atomic lists', () => {
  const s = toFieldSet(
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, items: [1, 2] } },
    unknown,
  );
  assert.deepEqual(paths(s), ['.apiVersion', '.kind', '.spec', '.metadata.name', '.spec.items', '.spec.size']);
});

test('toFieldSet: a list-map entry without its key fails', () => {
  assert.throws(() => toFieldSet(pod([{ image: 'x' }]), deploy), TypedValueError);
  assert.throws(() => toFieldSet({ metadata: { finalizers: [{}] } }, cm), TypedValueError);
});

test('toFieldSet: duplicate list-map entries are owned as a whole', () => {
  const s = toFieldSet(
    pod([
      { name: 'a', image: '1' },
      { name: 'a', image: '2' },
    ]),
    deploy,
  );
  assert.deepEqual(paths(s), ['.spec.template.spec.containers[name="a"]']);
});

test('compare: added, modified, removed, with "." for added maps', () => {
  const c = compare({ data: { a: '1', b: '2' } }, { data: { a: '9', c: '3' }, metadata: { labels: { x: 'y' } } }, cm);
  // members of a node come before its children's paths
  assert.deepEqual(paths(c.added), ['.metadata', '.data.c', '.metadata.labels', '.metadata.labels.x']);
  assert.deepEqual(paths(c.modified), ['.data.a']);
  assert.deepEqual(paths(c.removed), ['.data.b']);
});

test('compare: atomic lists and structs change as a whole', () => {
  const c = compare(
    { spec: { selector: { matchLabels: { a: '1' } }, template: { spec: { tolerations: [{ key: 'a' }] } } } },
    { spec: { selector: { matchLabels: { a: '2' } }, template: { spec: { tolerations: [{ key: 'b' }] } } } },
    deploy,
  );
  assert.deepEqual(paths(c.modified), ['.spec.selector', '.spec.template.spec.tolerations']);
  assert.ok(c.added.isEmpty() && c.removed.isEmpty());
});

test('compare: list-map items by key, independent of order', () => {
  const c = compare(
    pod([
      { name: 'a', image: '1' },
      { name: 'b', image: '1' },
    ]),
    pod([
      { name: 'b', image: '2' },
      { name: 'a', image: '1' },
    ]),
    deploy,
  );
  assert.deepEqual(paths(c.modified), ['.spec.template.spec.containers[name="b"].image']);
  assert.ok(c.added.isEmpty() && c.removed.isEmpty());
});

test('merge: list-map entries merge by key; live-only entries keep their place', () => {
  const live = pod([
    { name: 'a', image: '1' },
    { name: 'sidecar', image: 's' },
    { name: 'b', image: '1' },
  ]);
  const config = pod([
    { name: 'b', image: '2' },
    { name: 'a', image: '2' },
    { name: 'new', image: 'n' },
  ]);
  const out = merge(live, config, deploy) as ReturnType<typeof pod>;
  const containers = (out['spec'] as { template: { spec: { containers: Array<{ name: string; image: string }> } } }).template.spec
    .containers;
  assert.deepEqual(
    containers.map((c) => `${c.name}=${c.image}`),
    ['sidecar=s', 'b=2', 'a=2', 'new=n'],
  );
});

// Set order follows upstream: config order for shared/new items, live-only items after the last shared one.
test('merge: sets union, atomic lists and maps are replaced, scalars take the config', () => {
  const live = {
    metadata: { finalizers: ['a', 'b'] },
    spec: { replicas: 1, template: { spec: { nodeSelector: { x: '1', y: '2' }, containers: [{ name: 'c', args: ['1', '2'] }] } } },
  };
  const config = {
    metadata: { finalizers: ['c', 'a'] },
    spec: { replicas: 3, template: { spec: { nodeSelector: { z: '3' }, containers: [{ name: 'c', args: ['9'] }] } } },
  };
  assert.deepEqual(merge(live, config, deploy), {
    metadata: { finalizers: ['c', 'a', 'b'] },
    spec: { replicas: 3, template: { spec: { nodeSelector: { z: '3' }, containers: [{ name: 'c', args: ['9'] }] } } },
  });
});

test('merge: duplicate keys in the configuration are rejected', () => {
  assert.throws(() => merge(pod([]), pod([{ name: 'a' }, { name: 'a' }]), deploy), /duplicate entries for key \[name="a"\]/);
});

test('removeItems: members go away, emptied containers become null', () => {
  const obj = { data: { a: '1', b: '2' }, metadata: { finalizers: ['x', 'y'] } };
  const out = removeItems(obj, FieldSet.of([f('data'), f('a')], [f('metadata'), f('finalizers'), valueElement('x')]), cm);
  assert.deepEqual(out, { data: { b: '2' }, metadata: { finalizers: ['y'] } });
  assert.deepEqual(removeItems({ data: { a: '1' } }, FieldSet.of([f('data'), f('a')]), cm), { data: null });
  assert.deepEqual(removeItems({ data: { a: '1' } }, FieldSet.of([f('data')]), cm), null);
  const podOut = removeItems(
    pod([{ name: 'a', image: 'i' }, { name: 'b' }]),
    FieldSet.of([f('spec'), f('template'), f('spec'), f('containers'), keyElement({ name: 'a' })]),
    deploy,
  );
  assert.deepEqual(podOut, pod([{ name: 'b' }]));
});
