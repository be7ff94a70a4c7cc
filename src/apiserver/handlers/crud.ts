/** get, list, watch, create, update and delete of a resource (patch is in patch.ts). */
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import { newBadRequest, newMethodNotSupported } from '../../machinery/errors.js';
import { listObjects } from '../registry/list.js';
import { newSelection } from '../registry/selection.js';
import { deleteObject } from '../registry/delete.js';
import type { DeleteOptions } from '../registry/context.js';
import { decodeObjectBody, readBody, parseDocument, mediaType } from '../http/body.js';
import { sendJSON } from '../http/respond.js';
import { parseIncludeObject } from '../table.js';
import { serveWatch } from './watch.js';
import { query, rendering, writeOptions, type HandlerContext } from './context.js';
import { listParameters, optionalBoolParam, optionalInt64Param } from './parameters.js';
import { respondList, respondObject } from './respond-object.js';
import { bodyTypeOf, DELETE_OPTIONS, decodeObject } from './decode.js';
import { cloneJson } from '../../machinery/clone.js';

function namespaceOf(ctx: HandlerContext): string {
  return ctx.store.type.namespaced ? ctx.info.namespace : '';
}

export function handleGet(ctx: HandlerContext): void {
  respondObject(ctx, 200, ctx.store.get(namespaceOf(ctx), ctx.info.name));
}

/** The limit of a list: 0 is none; a negative one is refused (upstream would list everything). */
function limitOf(ctx: HandlerContext, limit: number): number | undefined {
  if (limit < 0) throw newBadRequest(`limit: Invalid value: "${query(ctx, 'limit')}": must be a non-negative integer`);
  return limit === 0 ? undefined : limit;
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const params = listParameters(ctx.url.searchParams);
  const selection = newSelection(ctx.store.type, query(ctx, 'labelSelector'), query(ctx, 'fieldSelector'));
  const list = await listObjects(ctx.store, {
    namespace: namespaceOf(ctx),
    selection,
    limit: limitOf(ctx, params.limit),
    continue: query(ctx, 'continue'),
    resourceVersion: query(ctx, 'resourceVersion'),
    resourceVersionMatch: query(ctx, 'resourceVersionMatch'),
  });
  respondList(ctx, list);
}

export function handleWatch(ctx: HandlerContext, bookmarkIntervalMs: number): void {
  const params = listParameters(ctx.url.searchParams);
  let fieldSelector = query(ctx, 'fieldSelector');
  if (ctx.info.name) fieldSelector = [`metadata.name=${ctx.info.name}`, fieldSelector].filter(Boolean).join(',');
  const selection = newSelection(ctx.store.type, query(ctx, 'labelSelector'), fieldSelector);
  serveWatch(
    ctx.store,
    {
      namespace: namespaceOf(ctx),
      selection,
      resourceVersion: query(ctx, 'resourceVersion'),
      ...(query(ctx, 'resourceVersionMatch') !== undefined ? { resourceVersionMatch: query(ctx, 'resourceVersionMatch') as string } : {}),
      allowBookmarks: params.allowWatchBookmarks,
      ...(params.timeoutSeconds !== undefined ? { timeoutSeconds: params.timeoutSeconds } : {}),
      ...(params.sendInitialEvents !== undefined ? { sendInitialEvents: params.sendInitialEvents } : {}),
      rendering: rendering(ctx),
      include: parseIncludeObject(query(ctx, 'includeObject') ?? null),
    },
    ctx.req,
    ctx.res,
    { bookmarkIntervalMs, signal: ctx.signal },
  );
}

/** Checks the body's apiVersion and kind against the endpoint. */
export function checkTypeMeta(ctx: HandlerContext, obj: Record<string, unknown>): void {
  const type = ctx.store.type;
  const expected = ctx.store.apiVersion;
  for (const key of ['apiVersion', 'kind']) {
    const v = obj[key];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      // upstream reads apiVersion and kind into an anonymous struct before the typed decode
      const what = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : 'number';
      const summary = JSON.stringify(obj);
      throw newBadRequest(
        `the object provided is unrecognized (must be of type ${type.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${what} into Go struct field .${key} of type string (${summary.length > 30 ? `${summary.slice(0, 30)} ...` : summary})`,
      );
    }
  }
  if (obj['apiVersion'] !== undefined && obj['apiVersion'] !== null && obj['apiVersion'] !== expected) {
    throw newBadRequest(`the API version in the data (${String(obj['apiVersion'])}) does not match the expected API version (${expected})`);
  }
  if (obj['kind'] !== undefined && obj['kind'] !== null && obj['kind'] !== type.kind) {
    throw newBadRequest(
      `${String(obj['kind'])} in version "${type.version}" cannot be handled as a ${type.kind}: no kind "${String(obj['kind'])}" is registered for version "${expected}" in scheme "k8s.io/apimachinery@v1.33.0/pkg/runtime/scheme.go:100"`,
    );
  }
  // custom resources have no declared type to refuse a metadata that is not an object
  if (type.pruneUnknownFields && obj['metadata'] !== undefined && !isPlainObject(obj['metadata'])) {
    throw newBadRequest('metadata: must be an object');
  }
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  if (ctx.info.name && !ctx.info.subresource) throw newMethodNotSupported(ctx.store.resource, 'create');
  const opts = writeOptions(ctx);
  const bytes = await readBody(ctx.req);
  const contentType = ctx.req.headers['content-type'];
  const body = await decodeObjectBody(bytes, contentType);
  checkTypeMeta(ctx, body);
  const obj = decodeObject(bodyTypeOf(ctx.store.type), body, opts, { bytes, contentType }) as KubeObject;
  const created = await ctx.store.create(namespaceOf(ctx), obj, opts);
  respondObject(ctx, 201, created, opts.warnings);
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const opts = writeOptions(ctx);
  const bytes = await readBody(ctx.req);
  const contentType = ctx.req.headers['content-type'];
  const body = await decodeObjectBody(bytes, contentType);
  checkTypeMeta(ctx, body);
  const desired = decodeObject(bodyTypeOf(ctx.store.type), body, opts, { bytes, contentType }) as KubeObject;
  desired.metadata ??= {};
  const ns = namespaceOf(ctx);
  const { obj, created } = await ctx.store.update(
    {
      namespace: ns,
      name: ctx.info.name,
      ...(ctx.info.subresource ? { subresource: ctx.info.subresource } : {}),
      tryUpdate: () => cloneJson(desired),
      ...(ctx.store.type.allowCreateOnUpdate && !ctx.info.subresource
        ? { createIfMissing: () => ({ ...cloneJson(desired), metadata: { ...desired.metadata, name: ctx.info.name } }) }
        : {}),
    },
    opts,
  );
  respondObject(ctx, created ? 201 : 200, obj, opts.warnings);
}

async function deleteOptionsOf(ctx: HandlerContext): Promise<DeleteOptions> {
  let options: DeleteOptions = {};
  const buf = await readBody(ctx.req);
  if (buf.length > 0) {
    const type = mediaType(ctx.req.headers['content-type']);
    // kubectl drain --disable-eviction sends its DeleteOptions as protobuf
    const parsed =
      type === 'application/vnd.kubernetes.protobuf'
        ? await decodeObjectBody(buf, type)
        : parseDocument(buf, type.includes('yaml') ? 'yaml' : 'json');
    if (!isPlainObject(parsed)) throw newBadRequest('DeleteOptions must be an object');
    options = decodeObject(DELETE_OPTIONS, parsed, { fieldValidation: 'Ignore', warnings: [] }) as DeleteOptions;
  }
  const grace = optionalInt64Param(ctx.url.searchParams, 'gracePeriodSeconds');
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy = query(ctx, 'propagationPolicy');
  if (policy !== undefined) options.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  const orphan = optionalBoolParam(ctx.url.searchParams, 'orphanDependents');
  if (orphan !== undefined) options.orphanDependents = orphan;
  const p = options.propagationPolicy;
  if (p !== undefined && p !== 'Orphan' && p !== 'Background' && p !== 'Foreground') {
    throw newBadRequest(`propagationPolicy: Unsupported value: "${String(p)}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (options.orphanDependents !== undefined && p !== undefined) {
    throw newBadRequest('propagationPolicy: Invalid value: "' + p + '": orphanDependents and deletionPropagation cannot be both set');
  }
  if (options.gracePeriodSeconds !== undefined && (!Number.isInteger(options.gracePeriodSeconds) || options.gracePeriodSeconds < 0)) {
    throw newBadRequest(`gracePeriodSeconds: Invalid value: ${options.gracePeriodSeconds}: must be >= 0`);
  }
  return options;
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const options = await deleteOptionsOf(ctx);
  const opts = writeOptions(ctx);
  if (options.dryRun?.includes('All')) opts.dryRun = true;
  const type = ctx.store.type;
  const result = await deleteObject(ctx.store, namespaceOf(ctx), ctx.info.name, options, opts, type.gracefulDeletion);
  if (result.deleted && !type.returnDeletedObject) {
    sendJSON(ctx.res, 200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: ctx.info.name, group: type.group, kind: type.plural, uid: result.obj.metadata.uid },
    });
    return;
  }
  respondObject(ctx, result.deleted ? 200 : 202, result.obj, opts.warnings);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  // upstream decodes the ListOptions first: a bad number is 400 before anything is deleted
  listParameters(ctx.url.searchParams);
  const options = await deleteOptionsOf(ctx);
  const opts = writeOptions(ctx);
  if (options.dryRun?.includes('All')) opts.dryRun = true;
  const selection = newSelection(ctx.store.type, query(ctx, 'labelSelector'), query(ctx, 'fieldSelector'));
  const list = await listObjects(ctx.store, { namespace: namespaceOf(ctx), selection });
  const items: KubeObject[] = [];
  for (const obj of list.items) {
    try {
      const r = await deleteObject(
        ctx.store,
        obj.metadata.namespace ?? '',
        obj.metadata.name ?? '',
        options,
        opts,
        ctx.store.type.gracefulDeletion,
      );
      items.push(r.obj);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  respondList(ctx, { ...list, items });
}
