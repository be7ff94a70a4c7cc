import { it } from 'node:test';
import assert from 'node:assert/strict';
import { duplicateFields } from './duplicate-fields.js';

it('finds keys given twice in one object, with upstream strict decoding’s paths', () => {
  const table: [string, string[]][] = [
    ['{"a":1,"b":2}', []],
    ['{"metadata":{"name":"x","name":"y"}}', ['metadata.name']],
    ['{"a":1, "a" : 2, "a":3}', ['a', 'a']],
    ['{"spec":{"containers":[{"name":"a"},{"name":"b","image":"i","image":"j"}]}}', ['spec.containers[1].image']],
    ['{"data":{"k":"v","k":"w"},"x":[[1,2],{"y":1,"y":2}]}', ['data.k', 'x[1].y']],
    ['{"s":"a\\"b,{[","s":"c"}', ['s']],
    ['{"\\u0061":1,"a":2}', ['a']],
    ['{"a":{"b":1},"c":{"b":1}}', []],
    ['[1,"a",{"a":1}]', []],
  ];
  for (const [text, want] of table) assert.deepEqual(duplicateFields(text), want, text);
});
