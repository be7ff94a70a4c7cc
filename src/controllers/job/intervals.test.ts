import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIntervals, hasIndex, mergeIntervals, parseIntervals, totalIndexes, withIndexes } from './intervals.js';

test('parse and format the completedIndexes text form', () => {
  const cases: { text: string; completions: number; want: string }[] = [
    { text: '', completions: 5, want: '' },
    { text: '0-2', completions: 5, want: '0-2' },
    { text: '1,2', completions: 5, want: '1,2' },
    { text: '1,2,3', completions: 5, want: '1-3' },
    { text: '0,2-3,x,7', completions: 5, want: '0,2,3' },
    { text: '3-9', completions: 5, want: '3,4' },
  ];
  for (const c of cases) assert.equal(formatIntervals(parseIntervals(c.text, c.completions)), c.want, `${c.text} (${c.completions})`);
});

test('merge, add, count and look up indexes', () => {
  const a = parseIntervals('0,4-6', 10);
  assert.equal(formatIntervals(withIndexes(a, [1, 3, 9])), '0,1,3-6,9');
  assert.equal(formatIntervals(mergeIntervals(a, parseIntervals('2-3,5-8', 10))), '0,2-8');
  assert.equal(totalIndexes(a), 4);
  assert.deepEqual(
    [0, 1, 4, 6, 7].map((i) => hasIndex(a, i)),
    [true, false, true, true, false],
  );
});
