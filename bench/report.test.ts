import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable, versusTarget } from './report.js';

test('renderTable pads columns and right-aligns numbers', () => {
  const out = renderTable(
    [{ title: 'op' }, { title: 'n', right: true }],
    [
      ['create', '1'],
      ['get', '32'],
    ],
  );
  assert.equal(out, ['op       n', '------  --', 'create   1', 'get     32'].join('\n'));
});

test('versusTarget states met, missed or n/a', () => {
  const cases: [boolean | undefined, string][] = [
    [true, 'x   target ≤ 1: met'],
    [false, 'x   target ≤ 1: missed'],
    [undefined, 'x   target ≤ 1: n/a'],
  ];
  for (const [met, want] of cases) assert.equal(versusTarget('x', met, '≤ 1'), want);
});
