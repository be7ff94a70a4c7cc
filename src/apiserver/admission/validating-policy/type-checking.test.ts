import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../../api/all-types.js';
import { checkExpression, typeCheckPolicy } from './type-checking.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

const cases: [string, string[]][] = [
  ['object.spec.replicas <= 5', []],
  ["has(object.spec.template.spec.nodeSelector) && object.metadata.labels['a'] == 'b' && object.metadata.labels.x == 'y'", []],
  ['object.apiVersion == oldObject.kind', []],
  ['object.spec.template.spec.containers.all(c, c.nosuch == 1)', []],
  ['object.spec.?replicas.orValue(1) > 0 && object.spec.strategy.rollingUpdate.maxSurge == 1', []],
  [
    'object.spec.replicass <= 5',
    ["apps/v1, Kind=Deployment: ERROR: <input>:1:12: undefined field 'replicass'\n | object.spec.replicass <= 5\n | ...........^"],
  ],
  ['object.replicas > 1', ["apps/v1, Kind=Deployment: ERROR: <input>:1:7: undefined field 'replicas'\n | object.replicas > 1\n | ......^"]],
];
for (const [expression, want] of cases) {
  test(`type checking: ${expression}`, () => {
    assert.deepEqual(checkExpression(expression, [DEPLOYMENT]), want);
  });
}

test('type checking: one message per kind, the core group as "/v1"; syntax errors are left to validation', () => {
  assert.deepEqual(checkExpression('oldObject.spec.replicas > 0', [DEPLOYMENT, POD]), [
    "/v1, Kind=Pod: ERROR: <input>:1:15: undefined field 'replicas'\n | oldObject.spec.replicas > 0\n | ..............^",
  ]);
  assert.deepEqual(checkExpression('object.spec.', [DEPLOYMENT]), []);
});

test('type checking: the field refs of every expression of a policy', () => {
  const policy = {
    metadata: { name: 'p' },
    spec: {
      validations: [{ expression: 'true', messageExpression: 'object.nope' }],
      variables: [{ name: 'v', expression: 'object.spec.nope' }],
      auditAnnotations: [{ key: 'k', valueExpression: 'object.metadata.name' }],
    },
  };
  assert.deepEqual(
    typeCheckPolicy(policy, [DEPLOYMENT]).map((w) => w.fieldRef),
    ['spec.variables[0].expression', 'spec.validations[0].messageExpression'],
  );
});
