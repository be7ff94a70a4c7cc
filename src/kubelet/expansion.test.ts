import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expand, expandContainerCommandAndArgs, mappingFuncFor } from './expansion.js';

const vars = new Map([
  ['VAR_A', 'A'],
  ['VAR_B', 'B'],
  ['VAR_C', 'C'],
  ['VAR_REF', '$(VAR_A)'],
  ['VAR_EMPTY', ''],
]);
const services = new Map([['SVC_HOST', '10.0.0.1']]);

test('expand follows upstream’s expansion rules', () => {
  const mapping = mappingFuncFor(vars, services);
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_B)-$(VAR_C)', 'A-B-C'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['$(VAR_EMPTY)', ''],
    ['$(SVC_HOST)', '10.0.0.1'],
    ['$(UNDEFINED)', '$(UNDEFINED)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['$', '$'],
    ['foo$', 'foo$'],
    ['$()', '$()'],
    ['$(VAR_A)$(VAR_B', 'A$(VAR_B'],
    ['plain', 'plain'],
  ];
  for (const [input, want] of cases) assert.equal(expand(input, mapping), want, input);
});

test('the first context that defines a name wins', () => {
  assert.equal(expand('$(X)', mappingFuncFor(new Map([['X', '1']]), new Map([['X', '2']]))), '1');
});

test('command and args expand against the final environment', () => {
  const got = expandContainerCommandAndArgs(
    ['sh', '-c', 'echo $(GREETING)'],
    ['$(NAME)', '$$(NAME)', '$(MISSING)'],
    [
      { key: 'GREETING', value: 'hi' },
      { key: 'NAME', value: 'k8ts' },
    ],
  );
  assert.deepEqual(got, { command: ['sh', '-c', 'echo hi'], args: ['k8ts', '$(NAME)', '$(MISSING)'] });
});
