import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectIndex } from './object-index.js';
import type { KubeObject } from '../../machinery/object.js';

const ROOT = '/registry/pods/';
const obj = (ns: string, name: string): KubeObject => ({ metadata: { namespace: ns, name } });
const names = (list: readonly KubeObject[]): string[] => list.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

describe('ObjectIndex', () => {
  it('lists a namespace, everything, and an arbitrary prefix in key order', () => {
    const idx = new ObjectIndex();
    for (const [ns, n] of [
      ['b', 'z'],
      ['a', 'y'],
      ['b', 'a'],
      ['a', 'x'],
      ['ab', 'q'],
    ] as const)
      idx.set(`${ROOT}${ns}/${n}`, obj(ns, n));
    assert.deepEqual(names(idx.list(`${ROOT}b/`, ROOT)), ['b/a', 'b/z']);
    assert.deepEqual(names(idx.list(ROOT, ROOT)), ['a/x', 'a/y', 'ab/q', 'b/a', 'b/z']);
    assert.deepEqual(names(idx.list(`${ROOT}a`, ROOT)), ['a/x', 'a/y', 'ab/q']);
    assert.deepEqual(idx.list(`${ROOT}none/`, ROOT), []);
    assert.equal(idx.size, 5);
  });
  it('sees every change after a list was cached', () => {
    const idx = new ObjectIndex();
    idx.set(`${ROOT}a/1`, obj('a', '1'));
    assert.deepEqual(names(idx.list(`${ROOT}a/`, ROOT)), ['a/1']);
    idx.set(`${ROOT}a/0`, obj('a', '0'));
    assert.deepEqual(names(idx.list(`${ROOT}a/`, ROOT)), ['a/0', 'a/1']);
    assert.deepEqual(names(idx.list(ROOT, ROOT)), ['a/0', 'a/1']);
    idx.delete(`${ROOT}a/1`);
    idx.delete(`${ROOT}a/missing`);
    assert.deepEqual(names(idx.list(`${ROOT}a/`, ROOT)), ['a/0']);
    assert.deepEqual(names(idx.list(ROOT, ROOT)), ['a/0']);
    const replaced = obj('a', '0');
    replaced.metadata.labels = { v: '2' };
    idx.set(`${ROOT}a/0`, replaced);
    assert.equal(idx.list(`${ROOT}a/`, ROOT)[0], replaced);
    assert.equal(idx.get(`${ROOT}a/0`), replaced);
  });
});
