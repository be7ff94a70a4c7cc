import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneJson } from './clone.js';

describe('cloneJson', () => {
  it('copies objects and arrays deeply, sharing nothing with the original', () => {
    const pod = {
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
      n: 1,
      ok: true,
      none: null,
    };
    const copy = cloneJson(pod);
    assert.deepEqual(copy, pod);
    copy.metadata.labels.a = 'x';
    copy.spec.containers[0]!.ports[0]!.containerPort = 81;
    assert.equal(pod.metadata.labels.a, 'b');
    assert.equal(pod.spec.containers[0]!.ports[0]!.containerPort, 80);
  });

  it('leaves out undefined properties, as JSON does', () => {
    const copy = cloneJson({ a: 1, b: undefined, c: { d: undefined } });
    assert.deepEqual(Object.keys(copy), ['a', 'c']);
    assert.deepEqual(Object.keys(copy.c), []);
  });

  it('returns primitives as they are', () => {
    for (const v of ['s', 0, false, null, undefined]) assert.equal(cloneJson(v), v);
  });
});
