import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonEqual } from './json-equal.js';

test('jsonEqual compares as JSON would serialize', () => {
  const cases: { name: string; a: unknown; b: unknown; want: boolean }[] = [
    { name: 'same scalars', a: 1, b: 1, want: true },
    { name: 'number vs string', a: 1, b: '1', want: false },
    { name: 'key order is irrelevant', a: { x: 1, y: [1, 2] }, b: { y: [1, 2], x: 1 }, want: true },
    { name: 'undefined property is absent', a: { x: 1, y: undefined }, b: { x: 1 }, want: true },
    { name: 'absent property vs null', a: { x: null }, b: {}, want: false },
    { name: 'undefined element is null', a: [undefined], b: [null], want: true },
    { name: 'array lengths', a: [1], b: [1, 1], want: false },
    { name: 'array vs object', a: [], b: {}, want: false },
    { name: 'nested difference', a: { s: { c: [{ n: 'a' }] } }, b: { s: { c: [{ n: 'b' }] } }, want: false },
    { name: 'extra key on the right', a: { x: 1 }, b: { x: 1, y: 2 }, want: false },
    { name: 'null vs object', a: null, b: {}, want: false },
  ];
  for (const c of cases) {
    assert.equal(jsonEqual(c.a, c.b), c.want, c.name);
    assert.equal(jsonEqual(c.b, c.a), c.want, `${c.name} (swapped)`);
    assert.equal(jsonEqual(c.a, c.b), JSON.stringify(sortKeys(c.a)) === JSON.stringify(sortKeys(c.b)), `${c.name} agrees with JSON`);
  }
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => sortKeys(e ?? null));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}
