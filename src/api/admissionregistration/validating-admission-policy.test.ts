import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyBindingStrategy,
  validatingAdmissionPolicyPrinter,
  validatingAdmissionPolicyStrategy,
} from './validating-admission-policy.js';
import type { KubeObject } from '../../machinery/object.js';

const rules = { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] };
const errors = (strategy: typeof validatingAdmissionPolicyStrategy, spec: Record<string, unknown>) => {
  const obj: KubeObject = { metadata: { name: 'x' }, spec };
  strategy.defaults?.(obj);
  return (strategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
};

const policyCases: [Record<string, unknown>, string[]][] = [
  [{ matchConstraints: rules, validations: [{ expression: 'object.spec.replicas <= 5' }] }, []],
  [
    {},
    [
      'spec.matchConstraints: Required value',
      'spec.validations: Required value: validations or auditAnnotations must contain at least one item',
    ],
  ],
  [
    { matchConstraints: rules, validations: [{ expression: 'object.spec.replicas <= ' }] },
    [
      'spec.validations[0].expression: Invalid value: "object.spec.replicas <= ": compilation failed: ERROR: <input>:1:25: Syntax error: Unexpected token: EOF',
    ],
  ],
  [
    { matchConstraints: rules, validations: [{ expression: '1 + 1' }] },
    ['spec.validations[0].expression: Invalid value: "1 + 1": compilation failed: ERROR: <input>: must evaluate to bool but got int'],
  ],
  [
    { matchConstraints: rules, failurePolicy: 'Maybe', validations: [{ expression: 'true', reason: 'Teapot', messageExpression: '1' }] },
    [
      'spec.failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"',
      'spec.validations[0].messageExpression: Invalid value: "1": compilation failed: ERROR: <input>: must evaluate to string but got int',
      'spec.validations[0].reason: Unsupported value: "Teapot": supported values: "Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized"',
    ],
  ],
  [
    {
      matchConstraints: { resourceRules: [{ operations: ['CREATE'], apiGroups: ['*'], apiVersions: ['*'] }] },
      auditAnnotations: [{ key: 'k', valueExpression: 'x(' }],
    },
    [
      'spec.matchConstraints.resourceRules[0].resources: Required value',
      'spec.auditAnnotations[0].valueExpression: Invalid value: "x(": compilation failed: ERROR: <input>:1:3: Syntax error: Unexpected token: EOF',
    ],
  ],
  [
    {
      matchConstraints: rules,
      validations: [{ expression: 'true' }],
      variables: [
        { name: 'a', expression: '1' },
        { name: 'a', expression: '2' },
      ],
    },
    ['spec.variables[1].name: Duplicate value: "a"'],
  ],
];
for (const [spec, want] of policyCases) {
  test(`ValidatingAdmissionPolicy validation ${JSON.stringify(spec)}`, () => {
    assert.deepEqual(errors(validatingAdmissionPolicyStrategy, spec), want);
  });
}

const bindingCases: [Record<string, unknown>, string[]][] = [
  [{ policyName: 'p', validationActions: ['Deny'] }, []],
  [{}, ['spec.policyName: Required value', 'spec.validationActions: Required value: at least one validation action is required']],
  [
    { policyName: 'p', validationActions: ['Deny', 'Warn', 'Deny', 'Nope'] },
    [
      'spec.validationActions[2]: Duplicate value: "Deny"',
      'spec.validationActions[3]: Unsupported value: "Nope": supported values: "Audit", "Deny", "Warn"',
      'spec.validationActions: Invalid value: ["Deny","Warn","Deny","Nope"]: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
    ],
  ],
  [
    { policyName: 'p', validationActions: ['Audit'], paramRef: { name: 'a', selector: {} } },
    ['spec.paramRef.name: Forbidden: name and selector are mutually exclusive', 'spec.paramRef.parameterNotFoundAction: Required value'],
  ],
  [
    { policyName: 'p', validationActions: ['Audit'], paramRef: { parameterNotFoundAction: 'Deny' } },
    ['spec.paramRef: Required value: one of name or selector must be set'],
  ],
];
for (const [spec, want] of bindingCases) {
  test(`ValidatingAdmissionPolicyBinding validation ${JSON.stringify(spec)}`, () => {
    assert.deepEqual(errors(validatingAdmissionPolicyBindingStrategy, spec), want);
  });
}

test('defaults: failurePolicy Fail, matchPolicy Equivalent, empty selectors, scope *', () => {
  const obj: KubeObject = { metadata: { name: 'p' }, spec: { matchConstraints: structuredClone(rules) } };
  validatingAdmissionPolicyStrategy.defaults?.(obj);
  assert.deepEqual(obj['spec'], {
    failurePolicy: 'Fail',
    matchConstraints: {
      matchPolicy: 'Equivalent',
      namespaceSelector: {},
      objectSelector: {},
      resourceRules: [{ ...rules.resourceRules[0], scope: '*' }],
    },
  });
});

test('printers', () => {
  const now = Date.parse('2024-01-02T00:00:00Z');
  const meta = { name: 'p', creationTimestamp: '2024-01-01T00:00:00Z' };
  assert.deepEqual(validatingAdmissionPolicyPrinter.row({ metadata: meta, spec: { validations: [{}, {}] } }, now), [
    'p',
    2,
    '<unset>',
    '24h',
  ]);
  assert.deepEqual(
    validatingAdmissionPolicyPrinter.row({ metadata: meta, spec: { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } }, now),
    ['p', 0, 'v1/ConfigMap', '24h'],
  );
  assert.deepEqual(
    validatingAdmissionPolicyBindingPrinter.row(
      { metadata: meta, spec: { policyName: 'q', paramRef: { namespace: 'ns', name: 'n' } } },
      now,
    ),
    ['p', 'q', 'ns/n', '24h'],
  );
});
