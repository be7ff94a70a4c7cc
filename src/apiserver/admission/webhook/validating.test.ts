import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { Webhook } from './interface.js';
import { EndpointServiceResolver } from './service-resolver.js';
import { allow, startTestWebhookServer, type TestWebhookServer } from './testing/webhook-server.js';
import { podAttributes, webhook } from './testing/fixtures.js';
import { ValidatingAdmissionWebhook } from './validating.js';

let server: TestWebhookServer;

before(async () => {
  server = await startTestWebhookServer({ handler: ({ request }) => allow(request), dnsNames: ['hooks.system.svc'] });
});
after(() => server.close());

const hookAt = (path: string, more: Record<string, unknown> = {}) =>
  webhook(
    { name: `${path.slice(1)}.k8ts.io`, clientConfig: { url: `${server.url}${path}`, caBundle: server.caBundle }, ...more },
    false,
    path.slice(1),
  );

function plugin(hooks: Webhook[], services?: EndpointServiceResolver): ValidatingAdmissionWebhook {
  return new ValidatingAdmissionWebhook({
    webhooks: () => hooks,
    matcher: { namespaceLabels: () => ({}) },
    ...(services ? { services } : {}),
  });
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

describe('ValidatingAdmissionWebhook', { timeout: 60_000 }, () => {
  it('calls every matching webhook at once; the first failure in webhook order answers', async () => {
    let inFlight = 0;
    let most = 0;
    server.handler = async ({ request }, path) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 200));
      inFlight--;
      return path.startsWith('/ok')
        ? allow(request)
        : { uid: request['uid'], allowed: false, status: { message: path.slice(1, path.indexOf('?')) } };
    };
    await assert.rejects(plugin([hookAt('/ok'), hookAt('/first'), hookAt('/second')]).validate(podAttributes()), (err) => {
      assert.ok(isStatusError(err));
      assert.deepEqual([err.status.code, err.message], [400, 'admission webhook "first.k8ts.io" denied the request: first']);
      return true;
    });
    assert.equal(most, 3);
  });

  it('warnings reach the request’s Warning list', async () => {
    server.handler = ({ request }) => allow(request, { warnings: ['careful'] });
    const attrs = podAttributes();
    await plugin([hookAt('/ok')]).validate(attrs);
    assert.deepEqual(attrs.warnings, ['careful']);
  });

  it('a failed call under Ignore is annotated failed-open', async () => {
    const down = webhook({ name: 'down.k8ts.io', failurePolicy: 'Ignore', clientConfig: { url: 'https://127.0.0.1:1/x' } }, false);
    const audit = annotations();
    const attrs = podAttributes({ addAnnotation: audit.addAnnotation });
    await plugin([hookAt('/ok'), down]).validate(attrs);
    assert.deepEqual(audit.recorded, { 'failed-open.validating.webhook.admission.k8s.io/round_0_index_1': 'down.k8ts.io' });
  });

  it('a validating webhook may not patch', async () => {
    server.handler = ({ request }) => allow(request, { patchType: 'JSONPatch', patch: Buffer.from('[]').toString('base64') });
    await assert.rejects(plugin([hookAt('/ok')]).validate(podAttributes()), {
      message:
        'Internal error occurred: failed calling webhook "ok.k8ts.io": received invalid webhook response: validating webhook may not return response.patch',
    });
  });

  it('clientConfig.service reaches a ready endpoint, verified as <name>.<namespace>.svc', async () => {
    server.reviews.length = 0;
    server.handler = ({ request }) => allow(request);
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hooks', namespace: 'system' },
      spec: { ports: [{ name: 'https', port: 443, targetPort: 9443 }] },
    };
    const slice = (ready: boolean, port: number): KubeObject => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `hooks-${port}`, namespace: 'system', labels: { 'kubernetes.io/service-name': 'hooks' } },
      ports: [{ name: 'https', port }],
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready } }],
    });
    const services = new EndpointServiceResolver({
      service: (ns, name) => (ns === 'system' && name === 'hooks' ? service : undefined),
      endpointSlices: () => [slice(false, 1), slice(true, server.port)],
    });
    const hook = webhook(
      { name: 'svc.k8ts.io', clientConfig: { service: { namespace: 'system', name: 'hooks', path: '/check' }, caBundle: server.caBundle } },
      false,
    );
    await plugin([hook], services).validate(podAttributes());
    assert.equal(server.reviews[0]?.path, '/check?timeout=10s');
    const missing = webhook(
      { name: 'svc.k8ts.io', clientConfig: { service: { namespace: 'system', name: 'nope' }, caBundle: server.caBundle } },
      false,
    );
    await assert.rejects(plugin([missing], services).validate(podAttributes()), {
      message:
        'Internal error occurred: failed calling webhook "svc.k8ts.io": failed to call webhook: Post "https://nope.system.svc:443?timeout=10s": service "nope" not found',
    });
  });
});

describe('EndpointServiceResolver', () => {
  const service = (ports: unknown[]): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'n' },
    spec: { ports },
  });
  const slice = (endpoints: unknown[], ports: unknown[] = [{ name: '', port: 8443 }], serviceName = 's'): KubeObject => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'x', namespace: 'n', labels: { 'kubernetes.io/service-name': serviceName } },
    ports,
    endpoints,
  });
  const resolver = (svc: KubeObject | undefined, slices: KubeObject[]) =>
    new EndpointServiceResolver({ service: () => svc, endpointSlices: () => slices, pick: (c) => c[0] as never });

  it('maps the service port to the endpoint port of the same name', () => {
    const r = resolver(service([{ port: 443 }]), [
      slice([{ addresses: ['10.0.0.9'] }], [{ name: '', port: 8443 }]),
      slice([{ addresses: ['10.0.0.1'] }], [{ port: 1 }], 'other'),
    ]);
    assert.deepEqual(r.resolve('n', 's', 443), { host: '10.0.0.9', port: 8443 });
  });

  it('says why there is nothing to call', () => {
    assert.throws(() => resolver(undefined, []).resolve('n', 's', 443), { message: 'service "s" not found' });
    assert.throws(() => resolver(service([{ port: 80 }]), []).resolve('n', 's', 443), {
      message: 'no service port 443 found for service "s"',
    });
    assert.throws(
      () => resolver(service([{ port: 443 }]), [slice([{ addresses: ['10.0.0.9'], conditions: { ready: false } }])]).resolve('n', 's', 443),
      {
        message: 'no endpoints available for service "s"',
      },
    );
  });
});
