/**
 * PATCH: json-patch, merge-patch and strategic-merge-patch are applied to the current object
 * inside guaranteedUpdate; apply-patch+yaml is server-side apply (which may also create).
 */
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import { newBadRequest, newInvalid, newUnsupportedMediaType } from '../../machinery/errors.js';
import { applyPatch, patchTypeForContentType } from '../../machinery/patch/index.js';
import { applyConfiguration, defaultResetFields } from '../../machinery/apply/index.js';
import { readBody, mediaType, parseDocument } from '../http/body.js';
import { writeOptions, type HandlerContext } from './context.js';
import { optionalBoolParam } from './parameters.js';
import { respondObject } from './respond-object.js';
import { bodyTypeOf, decodeApplyConfiguration, decodePatchResult, schemaName } from './decode.js';
import { checkTypeMeta } from './crud.js';
import { cloneJson } from '../../machinery/clone.js';

const APPLY = 'application/apply-patch+yaml';

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const contentType = mediaType(ctx.req.headers['content-type']);
  const isApply = contentType === APPLY || contentType === 'application/apply-patch+cbor';
  const patchType = isApply ? undefined : patchTypeForContentType(contentType);
  if (!isApply && !patchType) throw newUnsupportedMediaType(contentType);
  const opts = writeOptions(ctx);
  const force = optionalBoolParam(ctx.url.searchParams, 'force');
  if (force !== undefined && !isApply) {
    throw newInvalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
      { type: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' },
    ]);
  }
  const body = await readBody(ctx.req);
  const type = ctx.store.type;
  const typeName = schemaName(type);
  const ns = type.namespaced ? ctx.info.namespace : '';
  const subresource = ctx.info.subresource || undefined;

  if (isApply) {
    const config = parseDocument(body, 'yaml');
    if (!isPlainObject(config)) throw newBadRequest('apply patch must be an object');
    checkTypeMeta(ctx, config);
    if (config['apiVersion'] === undefined || config['kind'] === undefined) {
      throw newBadRequest('invalid object type: /, Kind=');
    }
    decodeApplyConfiguration(bodyTypeOf(type), config, { namespace: ns, name: ctx.info.name, group: type.group }, opts);
    const cfg = config as KubeObject;
    cfg.metadata ??= {};
    if (cfg.metadata.name !== undefined && cfg.metadata.name !== ctx.info.name) {
      throw newBadRequest(`the name of the object (${cfg.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
    }
    const apply = (live: KubeObject | undefined): KubeObject =>
      applyConfiguration({
        live,
        config: cloneJson(cfg),
        manager: opts.fieldManager,
        force: force === true,
        ...(typeName ? { typeName } : {}),
        apiVersion: ctx.store.apiVersion,
        now: new Date(),
        ...(subresource ? { subresource } : {}),
        resetFields: defaultResetFields(subresource, Boolean(type.status)),
      });
    const { obj, created } = await ctx.store.update(
      {
        namespace: ns,
        name: ctx.info.name,
        trackFields: false,
        ...(subresource ? { subresource } : {}),
        tryUpdate: (cur) => apply(cur),
        ...(subresource
          ? {}
          : {
              createIfMissing: () => {
                const fresh = apply(undefined);
                fresh.metadata.name = ctx.info.name;
                return fresh;
              },
            }),
      },
      { ...opts, trackFieldsOnCreate: false },
    );
    respondObject(ctx, created ? 201 : 200, obj, opts.warnings);
    return;
  }

  const { obj } = await ctx.store.update(
    {
      namespace: ns,
      name: ctx.info.name,
      ...(subresource ? { subresource } : {}),
      tryUpdate: (cur) => {
        // cur is the store's copy, ours to change
        const patched = applyPatch(patchType!, cur, body, typeName, true);
        if (!isPlainObject(patched)) throw newBadRequest('the patched object is not an object');
        return decodePatchResult(bodyTypeOf(type), patched, { type: patchType!, body }, opts) as KubeObject;
      },
    },
    opts,
  );
  respondObject(ctx, 200, obj, opts.warnings);
}
