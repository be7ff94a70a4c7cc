import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, computeHash, fnv32a, safeEncodeString, withoutEmptyMembers } from './hash.js';

test('fnv32a matches the published FNV-1a vectors', () => {
  const cases: [string, number][] = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ];
  for (const [input, want] of cases) assert.equal(fnv32a(new TextEncoder().encode(input)), want, input);
});

test('safeEncodeString maps decimal digits as rand.SafeEncodeString does', () => {
  assert.equal(safeEncodeString('689134312'), 'bdf578756');
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('computeHash is stable under key order and changes with collisionCount', () => {
  const a = { metadata: { labels: { app: 'nginx', tier: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
  const b = { spec: { containers: [{ image: 'nginx', name: 'nginx' }] }, metadata: { labels: { tier: 'web', app: 'nginx' } } };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(computeHash(a), computeHash(b));
  assert.notEqual(computeHash(a), computeHash(a, 1));
  assert.notEqual(computeHash(a, 1), computeHash(a, 2));
  assert.match(computeHash(a), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
});

test('computeHash treats empty and absent members alike, as a hash of the Go struct does', () => {
  const applied = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }], securityContext: {} } };
  const created = {
    metadata: { creationTimestamp: null, labels: { app: 'web' }, annotations: {} },
    spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {}, env: [], securityContext: { capabilities: {} } }], volumes: [] },
  };
  assert.deepEqual(withoutEmptyMembers(created), {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
  });
  assert.equal(computeHash(created), computeHash(applied));
  assert.equal(computeHash(created, 3), computeHash(applied, 3));
  // a real difference still changes the hash; list positions are kept
  assert.notEqual(
    computeHash(applied),
    computeHash({ ...applied, spec: { ...applied.spec, containers: [{ name: 'nginx', image: 'nginx:2' }] } }),
  );
  assert.deepEqual(withoutEmptyMembers({ args: ['', {}] }), { args: ['', {}] });
  // a template without empty members hashes as before
  const plain = { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
  assert.equal(computeHash(plain), safeEncodeString(String(fnv32a(new TextEncoder().encode(canonicalJson(plain))))));
});
