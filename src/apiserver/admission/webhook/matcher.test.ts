import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../../machinery/errors.js';
import type { AdmissionAttributes } from '../interface.js';
import type { Webhook } from './interface.js';
import { ruleMatches, shouldCallHook, type MatcherOptions } from './matcher.js';
import { podAttributes, podObject, resourceType, webhook } from './testing/fixtures.js';

const namespaces: Record<string, Record<string, string>> = { ns: { env: 'prod' }, dev: { env: 'dev' } };
const options: MatcherOptions = { namespaceLabels: (name) => namespaces[name] };
const calls = (hook: Webhook, attrs: AdmissionAttributes, o: MatcherOptions = options) => shouldCallHook(hook, attrs, o) !== undefined;

describe('ruleMatches', () => {
  const pods = { operation: 'CREATE', resource: { group: '', version: 'v1', resource: 'pods' }, subresource: '', namespace: 'ns' };
  const rule = (r: Record<string, unknown>) => ({
    operations: ['*'],
    apiGroups: ['*'],
    apiVersions: ['*'],
    resources: ['*'],
    scope: '*',
    ...r,
  });
  const cases: [string, Record<string, unknown>, Partial<typeof pods>, boolean][] = [
    ['wildcards', {}, {}, true],
    ['operation listed', { operations: ['UPDATE', 'CREATE'] }, {}, true],
    ['operation not listed', { operations: ['UPDATE'] }, {}, false],
    ['group', { apiGroups: ['apps'] }, {}, false],
    ['version', { apiVersions: ['v2'] }, {}, false],
    ['resource', { resources: ['pods'] }, {}, true],
    ['* leaves subresources out', { resources: ['*'] }, { subresource: 'status' }, false],
    ['pods/* takes subresources', { resources: ['pods/*'] }, { subresource: 'status' }, true],
    ['pods/* takes the main resource too, as upstream’s matcher does', { resources: ['pods/*'] }, {}, true],
    ['*/status', { resources: ['*/status'] }, { subresource: 'status' }, true],
    ['*/* takes all', { resources: ['*/*'] }, { subresource: 'binding' }, true],
    ['Namespaced takes namespaced objects', { scope: 'Namespaced' }, {}, true],
    ['Cluster leaves namespaced objects out', { scope: 'Cluster' }, {}, false],
    [
      'Cluster takes cluster-scoped objects',
      { scope: 'Cluster' },
      { namespace: '', resource: { group: '', version: 'v1', resource: 'nodes' } },
      true,
    ],
    [
      'namespaces are Cluster scoped',
      { scope: 'Cluster' },
      { namespace: 'x', resource: { group: '', version: 'v1', resource: 'namespaces' } },
      true,
    ],
    [
      'namespaces are not Namespaced',
      { scope: 'Namespaced' },
      { namespace: 'x', resource: { group: '', version: 'v1', resource: 'namespaces' } },
      false,
    ],
  ];
  for (const [name, r, attrs, want] of cases) it(name, () => assert.equal(ruleMatches(rule(r), { ...pods, ...attrs }), want));
});

describe('shouldCallHook', () => {
  it('gives the invocation with the request’s resource and kind', () => {
    const inv = shouldCallHook(webhook({}), podAttributes(), options);
    assert.deepEqual(inv && [inv.resource, inv.kind, inv.subresource], [
      { group: '', version: 'v1', resource: 'pods' },
      { group: '', version: 'v1', kind: 'Pod' },
      '',
    ]);
  });

  it('namespaceSelector: the object’s namespace labels decide', () => {
    const hook = webhook({ namespaceSelector: { matchLabels: { env: 'prod' } } });
    assert.equal(calls(hook, podAttributes()), true);
    assert.equal(calls(hook, podAttributes({ namespace: 'dev' })), false);
  });

  it('namespaceSelector: a namespace is matched by its own (new) labels', () => {
    const hook = webhook({ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } });
    const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'new', labels } });
    const attrs = (labels: Record<string, string>) =>
      podAttributes({ type: resourceType('', 'namespaces'), namespace: '', name: 'new', object: ns(labels) });
    assert.equal(calls(hook, attrs({ env: 'prod' })), true);
    assert.equal(calls(hook, attrs({ env: 'dev' })), false);
  });

  it('namespaceSelector: cluster-scoped objects are never exempted', () => {
    const hook = webhook({ namespaceSelector: { matchLabels: { env: 'nowhere' } } });
    assert.equal(
      calls(
        hook,
        podAttributes({
          type: resourceType('', 'nodes'),
          namespace: '',
          object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } },
        }),
      ),
      true,
    );
  });

  it('namespaceSelector: a namespace that does not exist is a 404 when the rules match', () => {
    const hook = webhook({ namespaceSelector: { matchLabels: { env: 'prod' } } });
    assert.throws(
      () => shouldCallHook(hook, podAttributes({ namespace: 'gone' }), options),
      (err) => isStatusError(err, 'NotFound') && err.message === 'namespaces "gone" not found',
    );
    const other = webhook({
      namespaceSelector: { matchLabels: { env: 'prod' } },
      rules: [{ operations: ['*'], apiGroups: ['apps'], apiVersions: ['*'], resources: ['*'] }],
    });
    assert.equal(shouldCallHook(other, podAttributes({ namespace: 'gone' }), options), undefined);
  });

  it('objectSelector: the new or the old object matches', () => {
    const hook = webhook({ objectSelector: { matchLabels: { app: 'web' } } });
    assert.equal(calls(hook, podAttributes({ object: podObject('p', { app: 'web' }) })), true);
    assert.equal(calls(hook, podAttributes({ object: podObject('p', { app: 'db' }) })), false);
    assert.equal(calls(hook, podAttributes({ operation: 'DELETE', object: undefined, oldObject: podObject('p', { app: 'web' }) })), true);
    assert.equal(calls(hook, podAttributes({ operation: 'DELETE', object: undefined, oldObject: podObject('p') })), false);
  });

  it('webhook and policy configurations never go to webhooks', async () => {
    const { isExemptFromWebhooks } = await import('./matcher.js');
    assert.equal(
      isExemptFromWebhooks(podAttributes({ type: resourceType('admissionregistration.k8s.io', 'validatingwebhookconfigurations') })),
      true,
    );
    assert.equal(isExemptFromWebhooks(podAttributes()), false);
  });

  it('matchPolicy Equivalent matches another version of the same storage, converted', () => {
    const rules = [{ operations: ['CREATE'], apiGroups: ['autoscaling'], apiVersions: ['v1'], resources: ['horizontalpodautoscalers'] }];
    const v2 = resourceType('autoscaling', 'horizontalpodautoscalers', 'v2');
    const attrs = podAttributes({
      type: v2,
      object: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'ns' } },
    });
    const conversion = { toInvocation: (o: object) => o, fromInvocation: (o: object) => o } as never;
    const equivalents: MatcherOptions['equivalents'] = () => [
      {
        resource: { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers' },
        kind: { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' },
        conversion,
      },
    ];
    const inv = shouldCallHook(webhook({ rules }), attrs, { ...options, equivalents });
    assert.deepEqual(inv?.kind, { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' });
    assert.equal(inv?.conversion, conversion);
    assert.equal(shouldCallHook(webhook({ rules, matchPolicy: 'Exact' }), attrs, { ...options, equivalents }), undefined);
  });
});
