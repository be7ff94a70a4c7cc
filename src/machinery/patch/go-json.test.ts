import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkValidJson, decodeJson, JsonSyntaxError, unmarshalTypeMessage } from './go-json.js';

const syntaxCases: Array<[string, string]> = [
  ['', 'unexpected end of JSON input'],
  ['   ', 'unexpected end of JSON input'],
  ['{"a":', 'unexpected end of JSON input'],
  ['<THIS IS NOT JSON>', "invalid character '<' looking for beginning of value"],
  ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
  ['{"a" 1}', "invalid character '1' after object key"],
  ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
  ['[1 2]', "invalid character '2' after array element"],
  ['{} x', "invalid character 'x' after top-level value"],
  ['tru', 'unexpected end of JSON input'],
  ['trux', "invalid character 'x' in literal true (expecting 'e')"],
  ['nul!', "invalid character '!' in literal null (expecting 'l')"],
  ['-a', "invalid character 'a' in numeric literal"],
  ['1.x', "invalid character 'x' after decimal point in numeric literal"],
  ['1ex', "invalid character 'x' in exponent of numeric literal"],
  ['01', "invalid character '1' after top-level value"],
  ['"a\nb"', "invalid character '\\n' in string literal"],
  ['"\\q"', "invalid character 'q' in string escape code"],
  ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
  ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ['[,]', "invalid character ',' looking for beginning of value"],
];

for (const [input, want] of syntaxCases) {
  test(`syntax error for ${JSON.stringify(input)}`, () => {
    assert.throws(
      () => checkValidJson(Buffer.from(input)),
      (err: unknown) => err instanceof JsonSyntaxError && err.message === want,
      `want ${want}`,
    );
  });
}

test('valid documents decode', () => {
  const docs = ['{}', '[]', 'null', '  {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]} ', '"s"', '0', '-0.1E+2'];
  for (const d of docs) assert.deepEqual(decodeJson(d), JSON.parse(d));
  assert.deepEqual(decodeJson(Buffer.from('{"k":"v"}')), { k: 'v' });
});

test('unmarshal type message names the JSON kind and Go type', () => {
  assert.equal(
    unmarshalTypeMessage([1], 'map[string]interface {}'),
    'json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
  assert.equal(unmarshalTypeMessage('x', 'jsonpatch.Patch'), 'json: cannot unmarshal string into Go value of type jsonpatch.Patch');
  assert.equal(unmarshalTypeMessage(3, 'T'), 'json: cannot unmarshal number into Go value of type T');
  assert.equal(unmarshalTypeMessage(true, 'T'), 'json: cannot unmarshal bool into Go value of type T');
  assert.equal(unmarshalTypeMessage({}, 'T'), 'json: cannot unmarshal object into Go value of type T');
});
