import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../../machinery/errors.js';
import type { MatchConditionEvaluator, Webhook } from './interface.js';
import { MutatingAdmissionWebhook } from './mutating.js';
import { CelMatchConditionEvaluator } from '../../cel/match-conditions.js';
import { allow, startTestWebhookServer, type TestWebhookServer } from './testing/webhook-server.js';
import { podAttributes, podObject, resourceType, webhook } from './testing/fixtures.js';

let server: TestWebhookServer;
const b64 = (ops: unknown[]) => Buffer.from(JSON.stringify(ops)).toString('base64');

before(async () => {
  server = await startTestWebhookServer({ handler: ({ request }) => allow(request) });
});
after(() => server.close());

function plugin(hooks: Webhook[], matchConditions?: MatchConditionEvaluator): MutatingAdmissionWebhook {
  return new MutatingAdmissionWebhook({
    webhooks: () => hooks,
    matcher: { namespaceLabels: () => ({}) },
    ...(matchConditions ? { matchConditions } : {}),
  });
}

const hookAt = (path: string, more: Record<string, unknown> = {}) =>
  webhook(
    { name: `${path.slice(1)}.k8ts.io`, clientConfig: { url: `${server.url}${path}`, caBundle: server.caBundle }, ...more },
    true,
    path.slice(1),
  );

/** Adds label <path>=<n-th call of that path> unless it is set already to the same count. */
function labeller(): void {
  const counts = new Map<string, number>();
  server.handler = ({ request }, path) => {
    const name = path.slice(1, path.indexOf('?'));
    const n = (counts.get(name) ?? 0) + 1;
    counts.set(name, n);
    const labels = (request['object'] as { metadata: { labels?: Record<string, string> } }).metadata.labels;
    if (name === 'quiet' || labels?.[name]) return allow(request);
    const ops = labels
      ? [{ op: 'add', path: `/metadata/labels/${name}`, value: String(n) }]
      : [{ op: 'add', path: '/metadata/labels', value: { [name]: String(n) } }];
    return allow(request, { patchType: 'JSONPatch', patch: b64(ops) });
  };
}

/** An addAnnotation that records as upstream's (the first value of a key stays). */
function annotations(): { addAnnotation(key: string, value: string): void; recorded: Record<string, string> } {
  const recorded: Record<string, string> = {};
  return {
    recorded,
    addAnnotation(key, value) {
      if (!(key in recorded)) recorded[key] = value;
    },
  };
}

describe('MutatingAdmissionWebhook', { timeout: 60_000 }, () => {
  it('applies the JSONPatch to the object in place, and the kind’s defaults after it', async () => {
    labeller();
    const attrs = podAttributes();
    const object = attrs.object;
    await plugin([hookAt('/a')]).admit(attrs);
    assert.equal(attrs.object, object, 'the registry’s reference is kept');
    assert.deepEqual(attrs.object?.metadata.labels, { a: '1' });
  });

  it('reinvokes IfNeeded webhooks once when a later webhook changed the object', async () => {
    server.reviews.length = 0;
    labeller();
    const attrs = podAttributes();
    // a (IfNeeded) labels; b labels (changes the object) → a again, which sees its label and is quiet
    await plugin([
      hookAt('/a', { reinvocationPolicy: 'IfNeeded' }),
      hookAt('/b'),
      hookAt('/quiet', { reinvocationPolicy: 'IfNeeded' }),
    ]).admit(attrs);
    assert.deepEqual(
      server.reviews.map((r) => r.path.split('?')[0]),
      ['/a', '/b', '/quiet', '/a'],
    );
    assert.deepEqual(attrs.object?.metadata.labels, { a: '1', b: '1' });
  });

  it('audit annotations: the webhook’s own (prefixed), each call’s mutation, a failed-open call', async () => {
    labeller();
    const inner = server.handler;
    server.handler = async (review, path) => ({ ...(await inner(review, path)), auditAnnotations: { seen: 'yes' } });
    const down = webhook({ name: 'down.k8ts.io', failurePolicy: 'Ignore', clientConfig: { url: 'https://127.0.0.1:1/x' } }, true, 'down');
    const audit = annotations();
    const attrs = podAttributes({ addAnnotation: audit.addAnnotation });
    await plugin([hookAt('/a'), hookAt('/quiet'), down]).admit(attrs);
    assert.deepEqual(audit.recorded, {
      'a.k8ts.io/seen': 'yes',
      'mutation.webhook.admission.k8s.io/round_0_index_0': '{"configuration":"a","webhook":"a.k8ts.io","mutated":true}',
      'quiet.k8ts.io/seen': 'yes',
      'mutation.webhook.admission.k8s.io/round_0_index_1': '{"configuration":"quiet","webhook":"quiet.k8ts.io","mutated":false}',
      'mutation.webhook.admission.k8s.io/round_0_index_2': '{"configuration":"down","webhook":"down.k8ts.io","mutated":false}',
      'failed-open.mutation.webhook.admission.k8s.io/round_0_index_2': 'down.k8ts.io',
    });
  });

  it('system fields stay, the namespace may not move, a spec change bumps generation once', async () => {
    const patchWith = (ops: unknown[]) => {
      server.handler = ({ request }) => allow(request, { patchType: 'JSONPatch', patch: b64(ops) });
    };
    patchWith([
      { op: 'add', path: '/metadata/uid', value: 'forged' },
      { op: 'add', path: '/spec/replicas', value: 5 },
    ]);
    const type = resourceType('apps', 'deployments');
    const template = { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const old = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns', uid: 'u1', generation: 3, resourceVersion: '7' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template },
    };
    type.strategy.defaults?.(old);
    const attrs = podAttributes({ operation: 'UPDATE', type, name: 'd', oldObject: old, object: structuredClone(old) });
    await plugin([hookAt('/a')]).admit(attrs);
    const meta = attrs.object?.metadata;
    assert.deepEqual([meta?.uid, meta?.generation, (attrs.object?.['spec'] as { replicas?: number } | undefined)?.replicas], ['u1', 4, 5]);
    patchWith([{ op: 'replace', path: '/metadata/namespace', value: 'elsewhere' }]);
    await assert.rejects(plugin([hookAt('/a')]).admit(podAttributes()), {
      message: 'the namespace of the provided object does not match the namespace sent on the request',
    });
  });

  it('an update a webhook changed is validated again', async () => {
    const ops = [{ op: 'replace', path: '/spec/containers/0/image', value: '' }];
    server.handler = ({ request }) => allow(request, { patchType: 'JSONPatch', patch: b64(ops) });
    const old = podObject('p');
    await assert.rejects(
      plugin([hookAt('/a')]).admit(podAttributes({ operation: 'UPDATE', oldObject: old, object: podObject('p') })),
      (err) => {
        assert.ok(isStatusError(err, 'Invalid'));
        assert.match(err.message, /^Pod "p" is invalid: .*spec\.containers\[0\]\.image: Required value/);
        return true;
      },
    );
  });

  it('Never webhooks are called once', async () => {
    server.reviews.length = 0;
    labeller();
    await plugin([hookAt('/a'), hookAt('/b')]).admit(podAttributes());
    assert.equal(server.reviews.length, 2);
  });

  it('a rejection carries upstream’s message and the webhook’s code', async () => {
    server.handler = ({ request }) => ({
      uid: request['uid'],
      allowed: false,
      status: { code: 403, reason: 'Forbidden', message: 'no pods today' },
    });
    await assert.rejects(plugin([hookAt('/a')]).admit(podAttributes()), (err) => {
      assert.ok(isStatusError(err));
      assert.deepEqual(
        [err.status.code, err.status.reason, err.message],
        [403, 'Forbidden', 'admission webhook "a.k8ts.io" denied the request: no pods today'],
      );
      return true;
    });
    server.handler = ({ request }) => ({ uid: request['uid'], allowed: false });
    await assert.rejects(plugin([hookAt('/a', { failurePolicy: 'Ignore' })]).admit(podAttributes()), {
      message: 'admission webhook "a.k8ts.io" denied the request without explanation',
    });
  });

  it('a dry run is refused by a webhook with side effects', async () => {
    server.handler = ({ request }) => allow(request);
    const hook = { ...hookAt('/a'), sideEffects: 'Some' };
    await assert.rejects(plugin([hook]).admit(podAttributes({ dryRun: true })), (err) => {
      assert.ok(isStatusError(err, 'BadRequest'));
      assert.equal(err.message, 'admission webhook "a.k8ts.io" does not support dry run');
      return true;
    });
    await plugin([hookAt('/a', { sideEffects: 'NoneOnDryRun' })]).admit(podAttributes({ dryRun: true }));
  });

  it('an unreachable webhook: Fail answers 500 with upstream’s text, Ignore goes on', async () => {
    const down = (policy: string) =>
      webhook({ name: 'down.k8ts.io', failurePolicy: policy, clientConfig: { url: 'https://127.0.0.1:1/x' } });
    await assert.rejects(plugin([down('Fail')]).admit(podAttributes()), (err) => {
      assert.ok(isStatusError(err, 'InternalError'));
      assert.equal(
        err.message,
        'Internal error occurred: failed calling webhook "down.k8ts.io": failed to call webhook: Post "https://127.0.0.1:1/x?timeout=10s": dial tcp 127.0.0.1:1: connect: connection refused',
      );
      return true;
    });
    await plugin([down('Ignore')]).admit(podAttributes());
  });

  it('timeoutSeconds bounds the call: context deadline exceeded', async () => {
    server.handler = ({ request }) => new Promise((resolve) => setTimeout(() => resolve(allow(request)), 1500));
    await assert.rejects(plugin([hookAt('/slow', { timeoutSeconds: 1 })]).admit(podAttributes()), {
      message: `Internal error occurred: failed calling webhook "slow.k8ts.io": failed to call webhook: Post "${server.url}/slow?timeout=1s": context deadline exceeded`,
    });
  });

  it('an untrusted certificate fails the call', async () => {
    server.handler = ({ request }) => allow(request);
    const hook = webhook({ name: 'a.k8ts.io', clientConfig: { url: `${server.url}/a` } });
    await assert.rejects(plugin([hook]).admit(podAttributes()), /x509: certificate signed by unknown authority/);
  });

  it('speaks v1beta1 when that is the first version it knows', async () => {
    server.reviews.length = 0;
    server.handler = ({ request }) => allow(request);
    await plugin([hookAt('/a', { admissionReviewVersions: ['v1beta1', 'v1'] })]).admit(podAttributes());
    assert.equal(server.reviews[0]?.apiVersion, 'admission.k8s.io/v1beta1');
  });

  it('matchConditions: without an evaluator the call fails per failurePolicy; with one it decides', async () => {
    server.reviews.length = 0;
    server.handler = ({ request }) => allow(request);
    const conditions = { matchConditions: [{ name: 'only-p', expression: "object.metadata.name == 'p'" }] };
    await assert.rejects(
      plugin([hookAt('/a', conditions)]).admit(podAttributes()),
      /failed calling webhook "a\.k8ts\.io": matchConditions cannot be evaluated/,
    );
    await plugin([hookAt('/a', { ...conditions, failurePolicy: 'Ignore' })]).admit(podAttributes());
    assert.equal(server.reviews.length, 0);
    const seen: unknown[] = [];
    const evaluator: MatchConditionEvaluator = {
      async evaluate(c, attrs) {
        seen.push(c, attrs.name);
        return { matches: attrs.name === 'p' };
      },
    };
    await plugin([hookAt('/a', conditions)], evaluator).admit(podAttributes());
    await plugin([hookAt('/a', conditions)], evaluator).admit(podAttributes({ name: 'q' }));
    assert.equal(server.reviews.length, 1);
    assert.deepEqual(seen, [conditions.matchConditions, 'p', conditions.matchConditions, 'q']);
  });

  it('matchConditions through the CEL evaluator', async () => {
    server.reviews.length = 0;
    server.handler = ({ request }) => allow(request);
    const hook = hookAt('/a', {
      matchConditions: [
        { name: 'not-q', expression: "object.metadata.name != 'q'" },
        { name: 'user', expression: "request.userInfo.username == 'alice'" },
      ],
    });
    const cel = plugin([hook], new CelMatchConditionEvaluator());
    await cel.admit(podAttributes());
    await cel.admit(podAttributes({ name: 'q', object: podObject('q') }));
    assert.deepEqual(
      server.reviews.map((r) => r.request['name']),
      ['p'],
    );
    const failing = hookAt('/a', { matchConditions: [{ name: 'bad', expression: 'object.spec.nothing.deeper' }] });
    await assert.rejects(
      plugin([failing], new CelMatchConditionEvaluator()).admit(podAttributes()),
      /Internal error occurred: failed calling webhook "a\.k8ts\.io": matchCondition 'bad'/,
    );
  });

  it('a DELETE reaches mutating webhooks, which may not patch it', async () => {
    server.reviews.length = 0;
    server.handler = ({ request }) => allow(request, { patchType: 'JSONPatch', patch: b64([{ op: 'add', path: '/x', value: 1 }]) });
    const attrs = podAttributes({ operation: 'DELETE', object: undefined, oldObject: podObject('p') });
    await assert.rejects(plugin([hookAt('/a')]).admit(attrs), {
      message:
        'Internal error occurred: admission webhook "a.k8ts.io" attempted to modify the object, which is not supported for this operation',
    });
    assert.equal(server.reviews[0]?.request['object'], null);
    assert.equal((server.reviews[0]?.request['options'] as { kind?: string } | undefined)?.kind, 'DeleteOptions');
  });

  it('bad answers are failed calls', async () => {
    server.handler = () => ({ uid: 'other', allowed: true });
    await assert.rejects(plugin([hookAt('/a')]).admit(podAttributes()), {
      message: /failed calling webhook "a\.k8ts\.io": received invalid webhook response: expected response\.uid="[^"]+", got "other"/,
    });
    server.handler = ({ request }) => allow(request, { patchType: 'JSONPatch', patch: Buffer.from('{}').toString('base64') });
    await assert.rejects(plugin([hookAt('/a')]).admit(podAttributes()), { message: /received undecodable patch in webhook response/ });
  });
});
