import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NESTING_DEPTH, nestingDepthError, yamlNestingDepthError } from './nesting-depth.js';

it('refuses documents nested deeper than the limit, naming the bracket that overflows', () => {
  const nested = (depth: number, open: string, close: string): unknown => JSON.parse(open.repeat(depth) + close.repeat(depth));
  assert.equal(nestingDepthError(nested(3, '[', ']'), 3), undefined);
  assert.equal(nestingDepthError(nested(4, '[', ']'), 3), "invalid character '[' exceeded max depth");
  assert.equal(nestingDepthError({ a: { b: { c: {} } } }, 3), "invalid character '{' exceeded max depth");
  assert.equal(nestingDepthError(nested(MAX_NESTING_DEPTH, '[', ']')), undefined);
  assert.equal(nestingDepthError(nested(100_000, '[', ']')), "invalid character '[' exceeded max depth");
  assert.equal(nestingDepthError('text'), undefined);
});

it('measures YAML on its tokens: flow brackets, indentation and collection indicators, not text', () => {
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "[[[["\n  b: |\n    [[[[[[\n  c: [1, {d: [2]}]\n';
  assert.equal(yamlNestingDepthError(manifest, 6), undefined);
  assert.equal(yamlNestingDepthError(`a: ${'['.repeat(10)}${']'.repeat(10)}`, 10), "invalid character '[' exceeded max depth");
  assert.equal(yamlNestingDepthError(`${'- '.repeat(12)}x`, 10), "invalid character '[' exceeded max depth");
  const block = Array.from({ length: 12 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
  assert.equal(yamlNestingDepthError(block, 10), "invalid character '[' exceeded max depth");
  assert.equal(yamlNestingDepthError(`a: ${'['.repeat(100_000)}`), "invalid character '[' exceeded max depth");
});
