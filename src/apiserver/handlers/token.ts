/** serviceaccounts/token: TokenRequest, as `kubectl create token` and the kubelet use it. */
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import { newInvalid, newServiceUnavailable } from '../../machinery/errors.js';
import { decodeObjectBody, readBody } from '../http/body.js';
import { sendJSON } from '../http/respond.js';
import type { BoundObject } from '../serviceaccount/tokens.js';
import { writeOptions, type HandlerContext } from './context.js';
import { decodeObject, TOKEN_REQUEST_BODY } from './decode.js';
import { admitSubresourceCreate } from './subresource-admission.js';
import { rfc3339 } from '../../machinery/time.js';

const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;
const DEFAULT_SECONDS = 3600;

export async function handleTokenRequest(ctx: HandlerContext): Promise<void> {
  const issuer = ctx.services.tokens;
  if (!issuer) throw newServiceUnavailable('service account token issuing is not configured');
  const opts = writeOptions(ctx);
  const body = decodeObject(TOKEN_REQUEST_BODY, await decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']), opts);
  const sa = ctx.store.get(ctx.info.namespace, ctx.info.name);
  await admitSubresourceCreate(ctx, 'token', { metadata: {}, ...body } as KubeObject, opts);
  const spec = isPlainObject(body['spec']) ? body['spec'] : {};
  const seconds = typeof spec['expirationSeconds'] === 'number' ? spec['expirationSeconds'] : DEFAULT_SECONDS;
  const audiences =
    Array.isArray(spec['audiences']) && spec['audiences'].length > 0 ? (spec['audiences'] as unknown[]).map(String) : [issuer.issuer];
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw newInvalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, ctx.info.name, [
      {
        type: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        message:
          seconds < MIN_SECONDS
            ? `Invalid value: ${seconds}: may not specify a duration less than 10 minutes`
            : `Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds`,
      },
    ]);
  }
  let bound: BoundObject | undefined;
  const ref = spec['boundObjectRef'];
  if (isPlainObject(ref) && typeof ref['kind'] === 'string' && typeof ref['name'] === 'string') {
    bound = { kind: ref['kind'] as BoundObject['kind'], name: ref['name'], uid: String(ref['uid'] ?? '') };
  }
  const { token, expirationTimestamp } = await issuer.issue({
    namespace: ctx.info.namespace,
    serviceAccountName: ctx.info.name,
    serviceAccountUID: sa.metadata.uid ?? '',
    audiences,
    expirationSeconds: seconds,
    ...(bound ? { bound } : {}),
  });
  const meta = isPlainObject(body['metadata']) ? body['metadata'] : {};
  const response: KubeObject = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...meta, name: ctx.info.name, namespace: ctx.info.namespace, creationTimestamp: null },
    spec: { ...spec, audiences, expirationSeconds: seconds, boundObjectRef: spec['boundObjectRef'] ?? null },
    status: { token, expirationTimestamp: rfc3339(expirationTimestamp) },
  };
  sendJSON(ctx.res, 201, response);
}
