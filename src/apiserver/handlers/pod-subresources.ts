/** pods/binding: the scheduler's write, which sets spec.nodeName once (pods/eviction is eviction.ts). */
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import { newBadRequest, newConflict } from '../../machinery/errors.js';
import { decodeObjectBody, readBody } from '../http/body.js';
import { sendJSON } from '../http/respond.js';
import { writeOptions, type HandlerContext } from './context.js';
import { BINDING_BODY, decodeObject } from './decode.js';
import { rfc3339 } from '../../machinery/time.js';

/** The metav1.Status a subresource create answers with. */
export function success(code: number): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

export async function handleBinding(ctx: HandlerContext): Promise<void> {
  const opts = writeOptions(ctx);
  const body = decodeObject(BINDING_BODY, await decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']), opts);
  const target = body['target'];
  const node = isPlainObject(target) ? target['name'] : undefined;
  if (typeof node !== 'string' || node === '') throw newBadRequest('target.name: Required value');
  const meta = isPlainObject(body['metadata']) ? body['metadata'] : {};
  const podName = ctx.info.name || String(meta['name'] ?? '');
  await ctx.store.update(
    {
      namespace: ctx.info.namespace,
      name: podName,
      subresource: 'binding',
      tryUpdate: (pod: KubeObject) => {
        const spec = (pod['spec'] ??= {}) as Record<string, unknown>;
        if (pod.metadata.deletionTimestamp)
          throw newConflict(ctx.store.resource, podName, 'pod is being deleted, cannot be assigned to a host');
        if (spec['nodeName'])
          throw newConflict(ctx.store.resource, podName, `pod ${podName} is already assigned to node "${String(spec['nodeName'])}"`);
        spec['nodeName'] = node;
        const status = (pod['status'] ??= {}) as Record<string, unknown>;
        const conditions = (Array.isArray(status['conditions']) ? status['conditions'] : []) as Record<string, unknown>[];
        const now = rfc3339(ctx.store.now());
        const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
        const i = conditions.findIndex((c) => c['type'] === 'PodScheduled');
        if (i >= 0) conditions[i] = scheduled;
        else conditions.push(scheduled);
        status['conditions'] = conditions;
        return pod;
      },
      registryWrite: true,
      // upstream's binding writes storage directly: the scheduler owns no fields of the pod
      trackFields: false,
    },
    opts,
  );
  sendJSON(ctx.res, 201, success(201));
}
