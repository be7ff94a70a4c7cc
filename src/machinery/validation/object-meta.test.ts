import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta } from '../object.js';
import { nameIsDNSSubdomain, validatePathSegmentName } from '../names.js';
import { newPath } from './field.js';
import { validateObjectMeta, validateObjectMetaUpdate, validateNonnegativeField, validateAnnotations } from './object-meta.js';

const strs = (errs: { field: string; message: string }[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);

test('validateObjectMeta on create', () => {
  const ok: ObjectMeta = {
    name: 'web',
    namespace: 'default',
    labels: { app: 'web' },
    annotations: { 'example.com/a': 'x' },
    finalizers: ['example.com/f'],
  };
  const cases: [string, ObjectMeta, boolean, string[]][] = [
    ['valid namespaced', ok, true, []],
    ['valid cluster', { name: 'node-1' }, false, []],
    ['name or generateName', { namespace: 'default' }, true, ['metadata.name: Required value: name or generateName is required']],
    [
      'bad name',
      { name: 'Foo', namespace: 'default' },
      true,
      [
        `metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    ['generateName prefix with dash is fine', { generateName: 'web-', name: 'web-abcde', namespace: 'ns' }, true, []],
    [
      'bad generateName',
      { generateName: 'Web-', name: 'web-abcde', namespace: 'ns' },
      true,
      ['metadata.generateName: Invalid value: "Web-": ' + nameIsDNSSubdomain('Wea', false)[0]],
    ],
    ['namespace required', { name: 'x' }, true, ['metadata.namespace: Required value']],
    ['namespace forbidden', { name: 'x', namespace: 'default' }, false, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['bad namespace', { name: 'x', namespace: 'a.b' }, true, ['metadata.namespace: Invalid value: "a.b": must not contain dots']],
    [
      'negative generation',
      { name: 'x', generation: -1 },
      false,
      ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'bad label value',
      { name: 'x', labels: { a: '-b' } },
      false,
      [
        `metadata.labels: Invalid value: "-b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    ['bad label key', { name: 'x', labels: { '/a': 'b' } }, false, ['metadata.labels: Invalid value: "/a": prefix part must be non-empty']],
    ['annotation keys are case-insensitive', { name: 'x', annotations: { 'Example.COM/Key': 'v' } }, false, []],
    [
      'annotations too large',
      { name: 'x', annotations: { a: 'x'.repeat(256 * 1024) } },
      false,
      ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    ],
    [
      'owner reference fields',
      { name: 'x', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
      false,
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    ],
    [
      'apps/ has no version',
      { name: 'x', ownerReferences: [{ apiVersion: 'apps/', kind: 'K', name: 'n', uid: 'u' }] },
      false,
      ['metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty'],
    ],
    [
      'event owner banned',
      { name: 'x', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] },
      false,
      [
        'metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner',
      ],
    ],
    [
      'one controller only',
      {
        name: 'x',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
        ],
      },
      false,
      [
        'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
      ],
    ],
    [
      'bad finalizer',
      { name: 'x', finalizers: ['a/b/c'] },
      false,
      [
        `metadata.finalizers: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
    [
      'conflicting finalizers',
      { name: 'x', finalizers: ['orphan', 'foregroundDeletion'] },
      false,
      ['metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set'],
    ],
    [
      'managed fields',
      { name: 'x', managedFields: [{ manager: 'kubectl', operation: 'Patch' as 'Apply' }] },
      false,
      ['metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`'],
    ],
  ];
  for (const [name, meta, namespaced, want] of cases) {
    assert.deepEqual(strs(validateObjectMeta(meta, namespaced, nameIsDNSSubdomain, 'metadata')), want, name);
  }
  assert.equal(validateObjectMeta({}, false, nameIsDNSSubdomain)[0]?.type, 'FieldValueRequired');
  assert.deepEqual(strs(validateObjectMeta({ name: 'a/b' }, false, validatePathSegmentName, newPath('metadata'))), [
    'metadata.name: Invalid value: "a/b": may not contain \'/\'',
  ]);
});

test('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '5',
    generation: 2,
    creationTimestamp: '2024-01-01T00:00:00Z',
  };
  const cases: [string, ObjectMeta, ObjectMeta, string[]][] = [
    ['no change', old, { ...old }, []],
    ['name immutable', old, { ...old, name: 'web2' }, ['metadata.name: Invalid value: "web2": field is immutable']],
    ['namespace immutable', old, { ...old, namespace: 'other' }, ['metadata.namespace: Invalid value: "other": field is immutable']],
    ['uid immutable', old, { ...old, uid: 'u2' }, ['metadata.uid: Invalid value: "u2": field is immutable']],
    [
      'creationTimestamp immutable',
      old,
      { ...old, creationTimestamp: '2025-01-01T00:00:00Z' },
      ['metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable'],
    ],
    [
      'deletionTimestamp immutable',
      old,
      { ...old, deletionTimestamp: '2025-01-01T00:00:00Z' },
      ['metadata.deletionTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable'],
    ],
    [
      'grace immutable',
      old,
      { ...old, deletionGracePeriodSeconds: 30 },
      ['metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable'],
    ],
    [
      'resourceVersion required',
      old,
      { ...old, resourceVersion: '' },
      ['metadata.resourceVersion: Invalid value: "": must be specified for an update'],
    ],
    ['generation decremented', old, { ...old, generation: 1 }, ['metadata.generation: Invalid value: 1: must not be decremented']],
    [
      'no new finalizers while deleting',
      { ...old, deletionTimestamp: 'T', finalizers: ['a'] },
      { ...old, deletionTimestamp: 'T', finalizers: ['a', 'c', 'b'] },
      [
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b", "c"}',
      ],
    ],
    [
      'removing finalizers while deleting is fine',
      { ...old, deletionTimestamp: 'T', finalizers: ['a'] },
      { ...old, deletionTimestamp: 'T', finalizers: [] },
      [],
    ],
  ];
  for (const [name, o, n, want] of cases) assert.deepEqual(strs(validateObjectMetaUpdate(n, o)), want, name);
});

test('small validators', () => {
  assert.deepEqual(validateNonnegativeField(0, 'x'), []);
  assert.equal(validateNonnegativeField(-5, 'spec.replicas')[0]?.message, 'Invalid value: -5: must be greater than or equal to 0');
  assert.deepEqual(validateAnnotations({ a: 'x'.repeat(262143) }, 'm'), []);
});
