/**
 * Admission webhooks with real kubectl against `k8ts server --disable-agent`: an HTTPS webhook
 * the test starts on 127.0.0.1 (its CA made with src/pki) adds a label (mutating) and refuses
 * pods with a forbidden name (validating), a third is reached through a Service and its
 * EndpointSlice. The configurations are served and validated as upstream's; a namespaceSelector
 * leaves one namespace alone and a CEL matchCondition one pod; a server-side dry run reaches the
 * webhooks marked dryRun; with the webhook stopped failurePolicy Ignore admits and Fail refuses
 * with upstream's "failed calling webhook" message.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { allow, startTestWebhookServer, type TestWebhookServer } from '../src/apiserver/admission/webhook/testing/webhook-server.js';

let server: TestServer;
let hook: TestWebhookServer;
let cache: string;
let k: Kubectl;

const LABEL = 'webhook.k8ts.io/mutated';

function webhookConfiguration(kind: string, name: string, path: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name },
    webhooks: [
      {
        name,
        clientConfig: { url: `${hook.url}${path}`, caBundle: hook.caBundle },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        namespaceSelector: { matchLabels: { 'k8ts-webhooks': 'on' } },
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        ...extra,
      },
    ],
  };
}

function pod(name: string, namespace: string) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

const list = (items: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

before(async () => {
  cache = await mkdtemp(join(tmpdir(), 'k8ts-webhooks-'));
  hook = await startTestWebhookServer({
    dnsNames: ['hooks.hooked.svc'],
    handler: ({ request }, path) => {
      const object = request['object'] as { metadata: { name: string; labels?: Record<string, string> } };
      if (path.startsWith('/mutate')) {
        const patch = object.metadata.labels
          ? [{ op: 'add', path: `/metadata/labels/${LABEL.replace('/', '~1')}`, value: 'true' }]
          : [{ op: 'add', path: '/metadata/labels', value: { [LABEL]: 'true' } }];
        return allow(request, {
          patchType: 'JSONPatch',
          patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
          warnings: ['labelled by the test webhook'],
        });
      }
      if (object.metadata.name.startsWith('forbidden')) {
        return {
          uid: request['uid'],
          allowed: false,
          status: { code: 403, reason: 'Forbidden', message: `the name ${object.metadata.name} is not allowed` },
        };
      }
      return allow(request);
    },
  });
  server = await startServer({ args: ['--disable-agent'] });
  k = kubectl('1.33', server.kubeconfig, cache);
  const namespaces = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'hooked', labels: { 'k8ts-webhooks': 'on' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'unhooked' } },
  ];
  // the third webhook is reached through a selectorless Service whose EndpointSlice names the test's server
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'hooks', namespace: 'hooked' },
    spec: { ports: [{ name: 'https', port: 443, targetPort: hook.port }] },
  };
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'hooks-1', namespace: 'hooked', labels: { 'kubernetes.io/service-name': 'hooks' } },
    addressType: 'IPv4',
    ports: [{ name: 'https', port: hook.port }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
  };
  const byService = webhookConfiguration('ValidatingWebhookConfiguration', 'service.webhooks.k8ts.io', '', {
    clientConfig: { service: { namespace: 'hooked', name: 'hooks', path: '/validate' }, caBundle: hook.caBundle },
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
  });
  const configs = [
    webhookConfiguration('MutatingWebhookConfiguration', 'label.webhooks.k8ts.io', '/mutate', {
      reinvocationPolicy: 'IfNeeded',
      matchConditions: [{ name: 'not-plain', expression: "object.metadata.name != 'plain'" }],
    }),
    webhookConfiguration('ValidatingWebhookConfiguration', 'names.webhooks.k8ts.io', '/validate', { failurePolicy: 'Ignore' }),
    byService,
  ];
  ok(await k(['apply', '-f', '-'], { input: list([...namespaces, service, slice, ...configs]) }), 'fixtures');
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  await hook?.close();
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe('admission webhooks', { timeout: 90_000 }, () => {
  it('serves the configurations with upstream’s defaults, columns and validation', async () => {
    const table = ok(await k(['get', 'mutatingwebhookconfigurations,validatingwebhookconfigurations']), 'get');
    assert.match(table, /NAME\s+WEBHOOKS\s+AGE/);
    assert.match(table, /label\.webhooks\.k8ts\.io\s+1\s/);
    const stored = JSON.parse(ok(await k(['get', 'mutatingwebhookconfiguration', 'label.webhooks.k8ts.io', '-o', 'json']), 'get -o json'));
    const w = stored.webhooks[0];
    assert.deepEqual(
      [w.failurePolicy, w.matchPolicy, w.timeoutSeconds, w.objectSelector, w.rules[0].scope, w.reinvocationPolicy],
      ['Fail', 'Equivalent', 10, {}, '*', 'IfNeeded'],
    );
    const bad = webhookConfiguration('ValidatingWebhookConfiguration', 'bad', '/validate', { sideEffects: 'Some', timeoutSeconds: 31 });
    const r = await k(['apply', '-f', '-'], { input: JSON.stringify(bad) });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The ValidatingWebhookConfiguration "bad" is invalid/);
    assert.match(r.stderr, /webhooks\[0\]\.name: Invalid value: "bad": should be a domain with at least three segments separated by dots/);
    assert.match(r.stderr, /webhooks\[0\]\.sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"/);
    assert.match(r.stderr, /webhooks\[0\]\.timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds/);
  });

  it('the mutating webhook labels a pod and its warning reaches kubectl', async () => {
    const r = await k(['apply', '-f', '-'], { input: JSON.stringify(pod('labelled', 'hooked')) });
    ok(r, 'apply');
    assert.match(r.stderr, /Warning: labelled by the test webhook/);
    const labels = JSON.parse(ok(await k(['get', 'pod', 'labelled', '-n', 'hooked', '-o', 'jsonpath={.metadata.labels}']), 'get'));
    assert.equal(labels[LABEL], 'true');
    const review = hook.reviews.find((x) => x.path.startsWith('/mutate'));
    assert.equal(review?.apiVersion, 'admission.k8s.io/v1');
    assert.equal(review?.path, '/mutate?timeout=10s');
    assert.deepEqual(review?.request['resource'], { group: '', version: 'v1', resource: 'pods' });
    assert.equal(review?.request['operation'], 'CREATE');
    assert.equal(review?.request['namespace'], 'hooked');
  });

  it('the validating webhook refuses a forbidden name with upstream’s message', async () => {
    const r = await k(['apply', '-f', '-'], { input: JSON.stringify(pod('forbidden-one', 'hooked')) });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Error from server \(Forbidden\): error when creating "STDIN": admission webhook "names\.webhooks\.k8ts\.io" denied the request: the name forbidden-one is not allowed/,
    );
  });

  it('clientConfig.service reaches the Service’s endpoint, verified as hooks.hooked.svc', async () => {
    const r = await k(['create', 'configmap', 'forbidden-config', '-n', 'hooked']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /admission webhook "service\.webhooks\.k8ts\.io" denied the request: the name forbidden-config is not allowed/);
    assert.ok(
      hook.reviews.some(
        (x) => x.path === '/validate?timeout=10s' && (x.request['resource'] as { resource: string }).resource === 'configmaps',
      ),
    );
  });

  it('a namespace outside the namespaceSelector, or a false matchCondition, is left alone', async () => {
    const created = await Promise.all([
      k(['apply', '-o', 'jsonpath={.metadata.labels}', '-f', '-'], { input: JSON.stringify(pod('forbidden-two', 'unhooked')) }),
      k(['apply', '-o', 'jsonpath={.metadata.labels}', '-f', '-'], { input: JSON.stringify(pod('plain', 'hooked')) }),
    ]);
    for (const r of created) assert.doesNotMatch(ok(r, 'apply'), /webhook\.k8ts\.io/);
  });

  it('a server-side dry run reaches webhooks without side effects, marked dryRun', async () => {
    const before = hook.reviews.length;
    const r = await k(['apply', '--dry-run=server', '-o', 'jsonpath={.metadata.labels}', '-f', '-'], {
      input: JSON.stringify(pod('dry', 'hooked')),
    });
    assert.equal(JSON.parse(ok(r, 'dry run'))[LABEL], 'true');
    const seen = hook.reviews.slice(before);
    assert.ok(seen.length >= 2 && seen.every((x) => x.request['dryRun'] === true), JSON.stringify(seen.map((x) => x.request['dryRun'])));
    assert.notEqual((await k(['get', 'pod', 'dry', '-n', 'hooked'])).code, 0, 'a dry run stores nothing');
  });

  it('with the webhook stopped, failurePolicy Ignore admits and Fail refuses', async () => {
    await hook.close();
    // the mutating webhook fails (Fail): refused with upstream's message
    const refused = await k(['apply', '-f', '-'], { input: JSON.stringify(pod('refused', 'hooked')) });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      new RegExp(
        `Internal error occurred: failed calling webhook "label\\.webhooks\\.k8ts\\.io": failed to call webhook: Post "https://127\\.0\\.0\\.1:${hook.port}/mutate\\?timeout=10s": dial tcp 127\\.0\\.0\\.1:${hook.port}: connect: connection refused`,
      ),
    );
    // Ignore on both: the pod is admitted unlabelled
    ok(
      await k([
        'patch',
        'mutatingwebhookconfiguration',
        'label.webhooks.k8ts.io',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/webhooks/0/failurePolicy","value":"Ignore"}]',
      ]),
      'patch failurePolicy',
    );
    const admitted = await k(['apply', '-f', '-'], { input: JSON.stringify(pod('forbidden-admitted', 'hooked')) });
    ok(admitted, 'apply with the webhooks down');
  });
});
