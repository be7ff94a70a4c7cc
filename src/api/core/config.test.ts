import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { configMapPrinter, configMapStrategy, secretPrinter, secretStrategy } from './config.js';

const NOW = Date.parse('2024-01-01T12:00:00Z');
const show = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);
const obj = (fields: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'x', creationTimestamp: new Date(NOW - 2 * 86400_000).toISOString() },
  ...fields,
});
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const KEY_ERR =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

test('configmap validation', () => {
  const table: { cm: KubeObject; want: string[] }[] = [
    { cm: obj({ data: { 'a.txt': 'x', b_c: 'y' } }), want: [] },
    { cm: obj({ data: { 'a/b': 'x' } }), want: [`data[a/b]: Invalid value: "a/b": ${KEY_ERR}`] },
    {
      cm: obj({ data: { k: 'x' }, binaryData: { k: b64('y') } }),
      want: ['data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    },
    { cm: obj({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }), want: [': Too long: may not be more than 1048576 bytes'] },
  ];
  for (const c of table) assert.deepEqual(show(configMapStrategy.validate?.(c.cm) ?? []), c.want);
});

test('immutable configmaps and secrets', () => {
  const old = obj({ immutable: true, data: { a: '1' } });
  assert.deepEqual(show(configMapStrategy.validateUpdate?.(obj({ immutable: true, data: { a: '2' } }), old) ?? []), [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  assert.deepEqual(show(configMapStrategy.validateUpdate?.(obj({ data: { a: '1' } }), old) ?? []), [
    'immutable: Forbidden: field is immutable when `immutable` is set',
  ]);
  const oldSecret = obj({ type: 'Opaque', immutable: true, data: { a: b64('1') } });
  assert.deepEqual(
    show(secretStrategy.validateUpdate?.(obj({ type: 'Opaque', immutable: true, data: { a: b64('2') } }), oldSecret) ?? []),
    ['data: Forbidden: field is immutable when `immutable` is set'],
  );
});

test('secret defaults fold stringData into data', () => {
  const s = obj({ stringData: { user: 'admin' }, data: { pw: b64('p') } });
  secretStrategy.defaults?.(s);
  assert.deepEqual(
    { type: s['type'], data: s['data'], stringData: s['stringData'] },
    { type: 'Opaque', data: { pw: b64('p'), user: b64('admin') }, stringData: undefined },
  );
});

test('secret type rules', () => {
  const table: { s: KubeObject; want: string[] }[] = [
    { s: obj({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }), want: ['data[tls.key]: Required value'] },
    { s: obj({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }), want: [] },
    { s: obj({ type: 'kubernetes.io/dockerconfigjson', data: {} }), want: ['data[.dockerconfigjson]: Required value'] },
    { s: obj({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }), want: [] },
    { s: obj({ type: 'kubernetes.io/basic-auth', data: {} }), want: ['data[username]: Required value', 'data[password]: Required value'] },
    { s: obj({ type: 'kubernetes.io/ssh-auth', data: {} }), want: ['data[ssh-privatekey]: Required value'] },
    {
      s: obj({ type: 'kubernetes.io/service-account-token', data: {} }),
      want: ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    },
  ];
  for (const c of table) assert.deepEqual(show(secretStrategy.validate?.(c.s) ?? []), c.want, String(c.s['type']));
  const bad = show(
    secretStrategy.validate?.(obj({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{') } })) ?? [],
  );
  assert.equal(bad.length, 1);
  assert.ok(bad[0]?.startsWith('data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": '));
});

test('secret type is immutable', () => {
  assert.deepEqual(
    show(
      secretStrategy.validateUpdate?.(
        obj({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }),
        obj({ type: 'Opaque' }),
      ) ?? [],
    ),
    ['type: Invalid value: "kubernetes.io/tls": field is immutable'],
  );
  assert.deepEqual(secretStrategy.selectableFields?.({ metadata: {} }), { type: '' });
});

test('configmap and secret rows', () => {
  assert.deepEqual(configMapPrinter.row(obj({ data: { a: '1', b: '2' }, binaryData: { c: '' } }), NOW), ['x', 3, '2d']);
  assert.deepEqual(secretPrinter.row(obj({ type: 'Opaque', data: { a: '' } }), NOW), ['x', 'Opaque', 1, '2d']);
  assert.deepEqual(
    secretPrinter.columns.map((c) => c.name),
    ['Name', 'Type', 'Data', 'Age'],
  );
});
