import { it } from 'node:test';
import assert from 'node:assert/strict';
import { nestingDepthError } from './json-depth.js';

it('refuses documents nested deeper than the limit, naming the bracket that overflows', () => {
  const nested = (depth: number, open: string, close: string): unknown => JSON.parse(open.repeat(depth) + close.repeat(depth));
  assert.equal(nestingDepthError(nested(3, '[', ']'), 3), undefined);
  assert.equal(nestingDepthError(nested(4, '[', ']'), 3), "invalid character '[' exceeded max depth");
  assert.equal(nestingDepthError({ a: { b: { c: {} } } }, 3), "invalid character '{' exceeded max depth");
  assert.equal(nestingDepthError(nested(1000, '[', ']')), undefined);
  assert.equal(nestingDepthError(nested(100_000, '[', ']')), "invalid character '[' exceeded max depth");
  assert.equal(nestingDepthError('text'), undefined);
});
