/** serviceaccounts/token: TokenRequest, as `kubectl create token` and the kubelet use it. */
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import { newBadRequest, newConflict, newInvalid, newNotFound, newServiceUnavailable } from '../../machinery/errors.js';
import { decodeObjectBody, readBody } from '../http/body.js';
import { sendJSON } from '../http/respond.js';
import type { BoundObject, ObjectRef } from '../serviceaccount/tokens.js';
import type { ServiceAccountTokenGetter } from '../serviceaccount/getter.js';
import { writeOptions, type HandlerContext } from './context.js';
import { decodeObject, TOKEN_REQUEST_BODY } from './decode.js';
import { admitSubresourceCreate } from './subresource-admission.js';
import { rfc3339 } from '../../machinery/time.js';

const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;
const DEFAULT_SECONDS = 3600;

/** The bound object as stored (its UID), as upstream's TokenRequest REST checks it. */
function boundObject(
  getter: ServiceAccountTokenGetter,
  namespace: string,
  serviceAccount: string,
  ref: BoundObject,
  raw: Record<string, unknown>,
): { bound: BoundObject; podNode?: ObjectRef } {
  const apiVersion = typeof raw['apiVersion'] === 'string' ? raw['apiVersion'] : 'v1';
  const core = apiVersion === 'v1';
  let object: KubeObject | undefined;
  let podNode: ObjectRef | undefined;
  if (core && ref.kind === 'Pod') {
    object = getter.pod(namespace, ref.name);
    if (!object) throw newNotFound({ group: '', resource: 'pods' }, ref.name);
    const spec = object['spec'] as { serviceAccountName?: string } | undefined;
    if ((spec?.serviceAccountName ?? 'default') !== serviceAccount) {
      throw newBadRequest(`cannot bind token for serviceaccount "${serviceAccount}" to pod running with different serviceaccount name.`);
    }
    const nodeName = (object['spec'] as { nodeName?: string } | undefined)?.nodeName;
    const node = nodeName ? getter.node(nodeName) : undefined;
    if (nodeName && node) podNode = { name: nodeName, uid: node.metadata.uid ?? '' };
  } else if (core && ref.kind === 'Secret') {
    object = getter.secret(namespace, ref.name);
    if (!object) throw newNotFound({ group: '', resource: 'secrets' }, ref.name);
  } else if (core && ref.kind === 'Node') {
    object = getter.node(ref.name);
    if (!object) throw newNotFound({ group: '', resource: 'nodes' }, ref.name);
  } else {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    throw newBadRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind}`);
  }
  const uid = object.metadata.uid ?? '';
  if (ref.uid !== '' && ref.uid !== uid) {
    throw newConflict(
      { group: '', resource: ref.kind },
      ref.name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { bound: { ...ref, uid }, ...(podNode ? { podNode } : {}) };
}

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
  let podNode: ObjectRef | undefined;
  const ref = spec['boundObjectRef'];
  if (isPlainObject(ref) && typeof ref['kind'] === 'string' && typeof ref['name'] === 'string') {
    bound = { kind: ref['kind'] as BoundObject['kind'], name: ref['name'], uid: String(ref['uid'] ?? '') };
    if (ctx.services.tokenGetter)
      ({ bound, podNode } = boundObject(ctx.services.tokenGetter, ctx.info.namespace, ctx.info.name, bound, ref));
  }
  const { token, expirationTimestamp } = await issuer.issue({
    namespace: ctx.info.namespace,
    serviceAccountName: ctx.info.name,
    serviceAccountUID: sa.metadata.uid ?? '',
    audiences,
    expirationSeconds: seconds,
    ...(bound ? { bound } : {}),
    ...(podNode ? { podNode } : {}),
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
