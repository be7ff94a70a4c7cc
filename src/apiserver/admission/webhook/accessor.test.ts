import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../machinery/object.js';
import { WebhookSource, webhooksOf } from './accessor.js';

function config(name: string, resourceVersion: string, hooks: string[]): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name, resourceVersion },
    webhooks: hooks.map((h) => ({ name: h, clientConfig: { url: 'https://h/' }, sideEffects: 'None', admissionReviewVersions: ['v1'] })),
  };
}

describe('webhook accessors', () => {
  it('reads a webhook with upstream’s defaults where the stored object lacks them', () => {
    const obj = config('c', '1', ['a.k8ts.io']);
    const hook = (obj['webhooks'] as Record<string, unknown>[])[0] ?? {};
    hook['clientConfig'] = { service: { namespace: 'ns', name: 'svc' }, caBundle: Buffer.from('PEM').toString('base64') };
    hook['objectSelector'] = { matchExpressions: [{ key: 'k', operator: 'Bogus' }] };
    const [w] = webhooksOf(obj);
    assert.deepEqual(
      [w?.uid, w?.failurePolicy, w?.matchPolicy, w?.timeoutSeconds, w?.reinvocationPolicy],
      ['c/a.k8ts.io/0', 'Fail', 'Equivalent', 10, 'Never'],
    );
    assert.deepEqual(w?.clientConfig, { service: { namespace: 'ns', name: 'svc', port: 443 }, caBundle: 'PEM' });
    assert.ok(w?.objectSelector instanceof Error, 'a selector that does not parse is kept as its error');
  });

  it('orders configurations by name and parses each once per resourceVersion', () => {
    let configs = [config('b', '1', ['b1.k8ts.io']), config('a', '1', ['a1.k8ts.io', 'a2.k8ts.io'])];
    const source = new WebhookSource({ configurations: () => configs });
    const first = source.webhooks();
    assert.deepEqual(
      first.map((w) => w.name),
      ['a1.k8ts.io', 'a2.k8ts.io', 'b1.k8ts.io'],
    );
    assert.equal(source.webhooks()[0], first[0], 'unchanged configurations are not parsed again');
    configs = [config('a', '2', ['a3.k8ts.io'])];
    assert.deepEqual(
      source.webhooks().map((w) => w.name),
      ['a3.k8ts.io'],
    );
  });
});
