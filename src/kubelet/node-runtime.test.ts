import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerdRootOf, sandboxImageOf } from './node-runtime.js';

test("the sandbox image of a containerd's verbose CRI status", () => {
  const conditions: never[] = [];
  assert.equal(
    sandboxImageOf({ conditions, info: { config: '{"sandboxImage":"registry.k8s.io/pause:3.6","x":1}' } }),
    'registry.k8s.io/pause:3.6',
  );
  assert.equal(sandboxImageOf({ conditions }), undefined);
  assert.equal(sandboxImageOf({ conditions, info: { config: 'not json' } }), undefined);
  assert.equal(sandboxImageOf({ conditions, info: { config: '{"sandboxImage":""}' } }), undefined);
  assert.equal(containerdRootOf({ conditions, info: { config: '{"containerdRootDir":"/var/lib/containerd"}' } }), '/var/lib/containerd');
});
