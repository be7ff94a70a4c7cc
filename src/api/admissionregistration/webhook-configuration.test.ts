import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { fieldErrorString } from '../../machinery/validation/field.js';
import {
  mutatingWebhookConfigurationStrategy,
  validateWebhookConfiguration,
  validatingWebhookConfigurationStrategy,
  webhookConfigurationPrinter,
} from './webhook-configuration.js';

function config(hook: Record<string, unknown>, more: Record<string, unknown>[] = []): KubeObject {
  const base = {
    name: 'a.k8ts.io',
    clientConfig: { url: 'https://hook.example.com/x' },
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
  };
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'c' },
    webhooks: [{ ...base, ...hook }, ...more],
  };
}

const errors = (obj: KubeObject, mutating = true) => validateWebhookConfiguration(obj, mutating).map(fieldErrorString);

describe('webhook configuration defaults', () => {
  it('fills upstream’s defaults', () => {
    const obj = config({ clientConfig: { service: { namespace: 'ns', name: 'svc' } } });
    mutatingWebhookConfigurationStrategy.defaults?.(obj);
    const hook = (obj['webhooks'] as Record<string, unknown>[])[0] ?? {};
    assert.equal(hook['failurePolicy'], 'Fail');
    assert.equal(hook['matchPolicy'], 'Equivalent');
    assert.equal(hook['timeoutSeconds'], 10);
    assert.equal(hook['reinvocationPolicy'], 'Never');
    assert.deepEqual(hook['namespaceSelector'], {});
    assert.deepEqual(hook['objectSelector'], {});
    assert.equal((hook['rules'] as Record<string, unknown>[])[0]?.['scope'], '*');
    assert.equal((hook['clientConfig'] as { service: { port: number } }).service.port, 443);
    const validating = config({});
    validatingWebhookConfigurationStrategy.defaults?.(validating);
    assert.equal((validating['webhooks'] as Record<string, unknown>[])[0]?.['reinvocationPolicy'], undefined);
  });
});

describe('webhook configuration validation', () => {
  const cases: { name: string; hook: Record<string, unknown>; want: string[]; mutating?: boolean }[] = [
    { name: 'valid', hook: {}, want: [] },
    {
      name: 'name not fully qualified',
      hook: { name: 'short' },
      want: ['webhooks[0].name: Invalid value: "short": should be a domain with at least three segments separated by dots'],
    },
    {
      name: 'sideEffects missing',
      hook: { sideEffects: undefined },
      want: ['webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun'],
    },
    {
      name: 'sideEffects Some',
      hook: { sideEffects: 'Some' },
      want: ['webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"'],
    },
    {
      name: 'timeout',
      hook: { timeoutSeconds: 0 },
      want: ['webhooks[0].timeoutSeconds: Invalid value: 0: the timeout value must be between 1 and 30 seconds'],
    },
    {
      name: 'failurePolicy',
      hook: { failurePolicy: 'Maybe' },
      want: ['webhooks[0].failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"'],
    },
    {
      name: 'matchPolicy',
      hook: { matchPolicy: 'Close' },
      want: ['webhooks[0].matchPolicy: Unsupported value: "Close": supported values: "Equivalent", "Exact"'],
    },
    {
      name: 'reinvocationPolicy',
      hook: { reinvocationPolicy: 'Always' },
      want: ['webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"'],
    },
    {
      name: 'no client config',
      hook: { clientConfig: {} },
      want: ['webhooks[0].clientConfig: Required value: exactly one of url or service is required'],
    },
    {
      name: 'http url with a query',
      hook: { clientConfig: { url: 'http://h/x?a=b' } },
      want: [
        'webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]',
        'webhooks[0].clientConfig.url: Invalid value: "a=b": query parameters are not permitted in the URL',
      ],
    },
    {
      name: 'service without name, bad path',
      hook: { clientConfig: { service: { namespace: 'ns', name: '', path: 'x', port: 0 } } },
      want: [
        'webhooks[0].clientConfig.service.name: Required value: service name is required',
        'webhooks[0].clientConfig.service.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive',
        'webhooks[0].clientConfig.service.path: Invalid value: "x": must start with a \'/\'',
        // upstream checks the segments after the first character whatever it was
        'webhooks[0].clientConfig.service.path: Invalid value: "x": segment[0] may not be empty',
      ],
    },
    {
      name: 'rules',
      hook: { rules: [{ operations: ['*', 'CREATE'], apiGroups: [], apiVersions: ['v1'], resources: ['*', 'pods'], scope: 'World' }] },
      want: [
        'webhooks[0].rules[0].operations: Invalid value: ["*","CREATE"]: if \'*\' is present, must not specify other operations',
        'webhooks[0].rules[0].apiGroups: Required value',
        'webhooks[0].rules[0].resources: Invalid value: ["*","pods"]: if \'*\' is present, must not specify other resources without subresources',
        'webhooks[0].rules[0].scope: Unsupported value: "World": supported values: "*", "Cluster", "Namespaced"',
      ],
    },
    {
      name: 'overlapping subresource wildcards',
      hook: { rules: [{ operations: ['UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/*', 'pods/status'] }] },
      want: ['webhooks[0].rules[0].resources[1]: Invalid value: "pods/status": if \'pods/*\' is present, must not specify pods/status'],
    },
    {
      name: 'admissionReviewVersions',
      hook: { admissionReviewVersions: ['v2', 'v2'] },
      want: [
        'webhooks[0].admissionReviewVersions[1]: Invalid value: "v2": duplicate version',
        'webhooks[0].admissionReviewVersions: Invalid value: ["v2","v2"]: must include at least one of v1, v1beta1',
      ],
    },
    {
      name: 'matchConditions',
      hook: {
        matchConditions: [
          { name: 'a', expression: 'true' },
          { name: 'a', expression: ' ' },
        ],
      },
      want: ['webhooks[0].matchConditions[1].expression: Required value', 'webhooks[0].matchConditions[1].name: Duplicate value: "a"'],
    },
    {
      name: 'matchConditions compile to bool',
      hook: {
        matchConditions: [
          { name: 'a', expression: "object.metadata.name == 'p'" },
          { name: 'b', expression: "'x'" },
        ],
      },
      want: [
        `webhooks[0].matchConditions[1].expression: Invalid value: "'x'": compilation failed: ERROR: <input>: must evaluate to bool but got string`,
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(errors(config(c.hook), c.mutating ?? true), c.want));
  }

  it('webhook names are unique within a configuration', () => {
    assert.deepEqual(errors(config({}, [{ ...((config({})['webhooks'] as unknown[])[0] as object) }])), [
      'webhooks[1].name: Duplicate value: "a.k8ts.io"',
    ]);
  });

  it('an update keeps what the stored object already had (upstream’s ratcheting)', () => {
    const old = config({ sideEffects: 'Some' });
    assert.deepEqual(validatingWebhookConfigurationStrategy.validateUpdate?.(config({ sideEffects: 'Some' }), old), []);
    assert.equal(validatingWebhookConfigurationStrategy.validateUpdate?.(config({ sideEffects: 'Some' }), config({}))?.length, 1);
  });

  it('prints NAME, WEBHOOKS and AGE', () => {
    assert.deepEqual(
      webhookConfigurationPrinter.columns.map((c) => c.name),
      ['Name', 'Webhooks', 'Age'],
    );
    assert.deepEqual(webhookConfigurationPrinter.row(config({}), Date.now()).slice(0, 2), ['c', 1]);
  });
});
