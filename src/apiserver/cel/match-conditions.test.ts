import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceType } from '../../api/resource.js';
import type { AdmissionAttributes } from '../admission/interface.js';
import { CelMatchConditionEvaluator } from './match-conditions.js';

const PODS = { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as unknown as ResourceType;
const attrs: AdmissionAttributes = {
  operation: 'CREATE',
  type: PODS,
  namespace: 'ns',
  name: 'p',
  subresource: '',
  object: { metadata: { name: 'p', namespace: 'ns', labels: { app: 'web' } }, spec: {} },
  dryRun: false,
  user: { name: 'system:serviceaccount:ns:sa', groups: ['system:serviceaccounts'] },
};

const cases: [string, { name: string; expression: string }[], unknown][] = [
  ['no conditions match', [], { matches: true }],
  [
    'all true',
    [
      { name: 'a', expression: "object.metadata.labels.app == 'web'" },
      { name: 'b', expression: "request.operation == 'CREATE'" },
    ],
    { matches: true },
  ],
  [
    'a false one decides even past an error',
    [
      { name: 'err', expression: 'object.spec.missing' },
      { name: 'no', expression: "request.userInfo.username.startsWith('system:node:')" },
    ],
    { matches: false, failedCondition: 'no' },
  ],
  [
    'an error without a false one is an error',
    [{ name: 'err', expression: 'object.spec.missing == 1' }],
    { error: "matchCondition 'err': expression 'object.spec.missing == 1' resulted in error: No such key: missing" },
  ],
  [
    'a compile error is an error',
    [{ name: 'bad', expression: '1 +' }],
    { error: "matchCondition 'bad': compilation failed: ERROR: <input>:1:4: Syntax error: Unexpected token: EOF" },
  ],
];
const evaluator = new CelMatchConditionEvaluator();
for (const [what, conditions, want] of cases) {
  test(`matchConditions: ${what}`, async () => {
    assert.deepEqual(await evaluator.evaluate(conditions, attrs), want);
  });
}
