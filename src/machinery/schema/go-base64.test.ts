import { it } from 'node:test';
import assert from 'node:assert/strict';
import { base64ErrorOffset } from './go-base64.js';

it('finds the byte Go’s base64.StdEncoding rejects', () => {
  const table: [string, number | undefined][] = [
    ['', undefined],
    ['YWJj', undefined],
    ['YQ==', undefined],
    ['YWI=', undefined],
    ['YW\r\nJj', undefined],
    ['abc!', 3],
    ['YQ', 0],
    ['Y', 0],
    ['YQ=', 3],
    ['Y===', 1],
    ['YQ==YQ==', 4],
    ['YWJj\n', undefined],
    ['é', 0],
  ];
  for (const [input, want] of table) assert.equal(base64ErrorOffset(input), want, JSON.stringify(input));
});
