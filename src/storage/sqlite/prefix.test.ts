import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prefixEnd } from './prefix.js';

test('prefixEnd', () => {
  const cases: Array<{ prefix: string; want: string | undefined }> = [
    { prefix: '', want: undefined },
    { prefix: '/registry/pods/', want: '/registry/pods0' },
    { prefix: 'a', want: 'b' },
    { prefix: 'a\u{10FFFF}', want: 'b' },
    { prefix: '\u{10FFFF}', want: undefined },
    { prefix: 'x\uD7FF', want: 'x\uE000' },
    { prefix: 'k\u{1F600}', want: 'k\u{1F601}' },
  ];
  for (const { prefix, want } of cases) {
    assert.equal(prefixEnd(prefix), want, `prefixEnd(${JSON.stringify(prefix)})`);
  }
});
