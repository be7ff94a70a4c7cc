/**
 * Admission webhook micro-benchmark (`node --import tsx bench/admission-webhooks.ts`): admission
 * decisions per second for a Pod create with no webhook configured, no matching webhook (20
 * configurations for other resources), one mutating webhook over loopback HTTPS (sequential
 * and 32 at a time), and one validating webhook. Prints numbers only.
 */
import '../src/api/all-types.js';
import { MutatingAdmissionWebhook } from '../src/apiserver/admission/webhook/mutating.js';
import { ValidatingAdmissionWebhook } from '../src/apiserver/admission/webhook/validating.js';
import type { Webhook } from '../src/apiserver/admission/webhook/interface.js';
import type { AdmissionPlugin } from '../src/apiserver/admission/interface.js';
import { podAttributes, webhook } from '../src/apiserver/admission/webhook/testing/fixtures.js';
import { allow, startTestWebhookServer } from '../src/apiserver/admission/webhook/testing/webhook-server.js';

const server = await startTestWebhookServer({
  handler: ({ request }, path) =>
    path.startsWith('/mutate')
      ? allow(request, {
          patchType: 'JSONPatch',
          patch: Buffer.from('[{"op":"add","path":"/metadata/labels","value":{"m":"1"}}]').toString('base64'),
        })
      : allow(request),
});
const hookAt = (path: string, mutating: boolean, more: Record<string, unknown> = {}) =>
  webhook(
    { name: `${path.slice(1)}.k8ts.io`, clientConfig: { url: `${server.url}${path}`, caBundle: server.caBundle }, ...more },
    mutating,
    path.slice(1),
  );
const matcher = { namespaceLabels: () => ({}) };
const mutating = (hooks: Webhook[]) => new MutatingAdmissionWebhook({ webhooks: () => hooks, matcher });
const validating = (hooks: Webhook[]) => new ValidatingAdmissionWebhook({ webhooks: () => hooks, matcher });

async function rate(name: string, plugin: AdmissionPlugin, n: number, concurrency: number): Promise<void> {
  const run = async () => {
    const attrs = podAttributes();
    await plugin.admit?.(attrs);
    await plugin.validate?.(attrs);
  };
  for (let i = 0; i < 20; i++) await run(); // warm up (connections, JIT)
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await run();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${name.padEnd(52)} ${(n / seconds).toFixed(0).padStart(8)} /s  (${((seconds / n) * concurrency * 1e3).toFixed(2)} ms each)`);
}

const others = Array.from({ length: 20 }, (_, i) =>
  hookAt(`/other${i}`, true, { rules: [{ operations: ['CREATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }] }),
);
await rate('no webhooks', mutating([]), 200_000, 1);
await rate('20 configurations, none matching', mutating(others), 50_000, 1);
await rate('1 mutating webhook (HTTPS, JSONPatch), sequential', mutating([hookAt('/mutate', true)]), 2_000, 1);
await rate('1 mutating webhook, 32 concurrent', mutating([hookAt('/mutate', true)]), 4_000, 32);
await rate('1 validating webhook, 32 concurrent', validating([hookAt('/validate', false)]), 4_000, 32);
await server.close();
