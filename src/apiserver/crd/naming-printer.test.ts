import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateNames } from './naming.js';
import { asCRD, type CustomResourceDefinition } from './crd-object.js';
import { customResourcePrinter } from './printer.js';
import { findResults } from './jsonpath.js';

function crd(name: string, group: string, plural: string, kind: string, accepted = false): CustomResourceDefinition {
  const names = { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` };
  return asCRD({
    metadata: { name: `${name}.${group}` },
    spec: { group, names, scope: 'Namespaced', versions: [] },
    ...(accepted ? { status: { acceptedNames: names } } : {}),
  });
}

test('calculateNames accepts fresh names', () => {
  const mine = crd('crontabs', 'stable.example.com', 'crontabs', 'CronTab');
  const r = calculateNames(mine, [mine]);
  assert.deepEqual(r.namesAccepted, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
  assert.deepEqual(r.established, {
    type: 'Established',
    status: 'False',
    reason: 'Installing',
    message: 'the initial names have been accepted',
  });
  assert.equal(r.acceptedNames.plural, 'crontabs');
  assert.equal(r.acceptedNames.listKind, 'CronTabList');
});

test('calculateNames: a kind in use in the same group is refused', () => {
  const mine = crd('crontabs', 'stable.example.com', 'crontabs', 'CronTab');
  const other = crd('others', 'stable.example.com', 'others', 'CronTab', true);
  other.status!.acceptedNames!.listKind = 'OtherList';
  const r = calculateNames(mine, [mine, other]);
  assert.deepEqual(r.namesAccepted, {
    type: 'NamesAccepted',
    status: 'False',
    reason: 'KindConflict',
    message: '"CronTab" is already in use',
  });
  assert.equal(r.acceptedNames.kind, undefined);
  assert.deepEqual(r.established, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' });
});

test('calculateNames: a plural in use (as another CRD singular) is refused; other groups do not matter', () => {
  const mine = crd('crontabs', 'stable.example.com', 'crontabs', 'CronTab');
  const other = asCRD({
    metadata: { name: 'tabs.stable.example.com' },
    spec: { group: 'stable.example.com', names: {}, scope: 'Namespaced', versions: [] },
    status: { acceptedNames: { plural: 'tabs', singular: 'crontabs', kind: 'Tab' } },
  });
  const r = calculateNames(mine, [mine, other]);
  assert.equal(r.namesAccepted.reason, 'PluralConflict');
  assert.equal(r.namesAccepted.message, '"crontabs" is already in use');
  const elsewhere = crd('crontabs', 'other.example.com', 'crontabs', 'CronTab', true);
  assert.equal(calculateNames(mine, [mine, elsewhere]).namesAccepted.status, 'True');
});

test('findResults: simple paths, indexes, filters', () => {
  const obj = {
    spec: { replicas: 3, 'a.b': 1 },
    status: {
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Synced', status: 'False' },
      ],
    },
  };
  assert.deepEqual(findResults('.spec.replicas', obj), [3]);
  assert.deepEqual(findResults(".spec['a.b']", obj), [1]);
  assert.deepEqual(findResults('.status.conditions[1].type', obj), ['Synced']);
  assert.deepEqual(findResults('.status.conditions[*].type', obj), ['Ready', 'Synced']);
  assert.deepEqual(findResults('.status.conditions[?(@.type=="Ready")].status', obj), ['True']);
  assert.deepEqual(findResults('.spec.missing', obj), []);
});

test('customResourcePrinter: declared columns, typed cells, missing values as null', () => {
  const p = customResourcePrinter([
    { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', priority: 1 },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ]);
  assert.deepEqual(
    p.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Spec', 'string', '', 0],
      ['Replicas', 'integer', '', 1],
      ['Ready', 'string', '', 0],
      ['Age', 'date', '', 0],
    ],
  );
  assert.equal(p.columns[1]!.description, 'Custom resource definition column (in JSONPath format): .spec.cronSpec');
  const now = Date.parse('2024-01-01T00:05:00Z');
  const row = p.row(
    { metadata: { name: 'x', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { cronSpec: '* * * * */5', replicas: 2 } },
    now,
  );
  assert.deepEqual(row, ['x', '* * * * */5', 2, null, '5m']);
});

test('customResourcePrinter: Age when no columns are declared', () => {
  const p = customResourcePrinter([]);
  assert.deepEqual(
    p.columns.map((c) => c.name),
    ['Name', 'Age'],
  );
});
