/** Dispatch of a resource request to its verb's handler, including subresources. */
import { newMethodNotSupported, newNotFound } from '../../machinery/errors.js';
import type { HandlerContext } from './context.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleGet, handleList, handleUpdate, handleWatch } from './crud.js';
import { handlePatch } from './patch.js';
import { handleGetScale, handleWriteScale } from './scale.js';
import { handleBinding } from './pod-subresources.js';
import { handleEviction } from './eviction.js';
import { handleFinalize } from './finalize.js';
import { handleTokenRequest } from './token.js';
import { routeKubeletRequest } from '../kubelet/kubelet-handlers.js';

/**
 * How often a watch with allowWatchBookmarks gets a BOOKMARK: 30 s, or
 * K8TS_WATCH_BOOKMARK_INTERVAL_MS (read once at start; tests shorten it).
 */
const BOOKMARK_INTERVAL_MS = positive(process.env['K8TS_WATCH_BOOKMARK_INTERVAL_MS']) ?? 30_000;

function positive(text: string | undefined): number | undefined {
  const n = Number(text);
  return text && Number.isFinite(n) && n > 0 ? n : undefined;
}

export async function routeResource(ctx: HandlerContext): Promise<void> {
  const { info, store } = ctx;
  const type = store.type;
  // POST …/namespaces/ns/bindings binds the pod its body names (the server hands it the pods' store)
  if (info.group === '' && info.resource === 'bindings') {
    if (info.verb !== 'create') throw newMethodNotSupported({ group: '', resource: 'bindings' }, info.verb);
    return handleBinding(ctx);
  }
  const verbs = type.verbs;
  if (verbs && !info.subresource && !verbs.includes(info.verb)) throw newMethodNotSupported(store.resource, info.verb);
  const sub = info.subresource;
  if (sub === '') {
    switch (info.verb) {
      case 'get':
        return handleGet(ctx);
      case 'list':
        return handleList(ctx);
      case 'watch':
        return handleWatch(ctx, BOOKMARK_INTERVAL_MS);
      case 'create':
        return handleCreate(ctx);
      case 'update':
        return handleUpdate(ctx);
      case 'patch':
        return handlePatch(ctx);
      case 'delete':
        return handleDelete(ctx);
      case 'deletecollection':
        return handleDeleteCollection(ctx);
      default:
        throw newMethodNotSupported(store.resource, info.verb);
    }
  }
  if (sub === 'status' && type.status) {
    if (info.verb === 'get') return handleGet(ctx);
    if (info.verb === 'update') return handleUpdate(ctx);
    if (info.verb === 'patch') return handlePatch(ctx);
    throw newMethodNotSupported({ group: type.group, resource: `${type.plural}/status` }, info.verb);
  }
  if (sub === 'approval' && type.strategy.prepareForApprovalUpdate) {
    if (info.verb === 'get') return handleGet(ctx);
    if (info.verb === 'update') return handleUpdate(ctx);
    if (info.verb === 'patch') return handlePatch(ctx);
    throw newMethodNotSupported({ group: type.group, resource: `${type.plural}/approval` }, info.verb);
  }
  if (sub === 'scale' && type.scale) {
    if (info.verb === 'get') return handleGetScale(ctx, type.scale);
    if (info.verb === 'update' || info.verb === 'patch') return handleWriteScale(ctx, type.scale);
    throw newMethodNotSupported({ group: type.group, resource: `${type.plural}/scale` }, info.verb);
  }
  if (type.group === '' && type.plural === 'pods') {
    if (sub === 'binding' && info.verb === 'create') return handleBinding(ctx);
    if (sub === 'eviction' && info.verb === 'create') return handleEviction(ctx);
  }
  if (type.group === '' && type.plural === 'serviceaccounts' && sub === 'token' && info.verb === 'create') return handleTokenRequest(ctx);
  if (type.group === '' && type.plural === 'namespaces' && sub === 'finalize' && info.verb === 'update') return handleFinalize(ctx);
  if (await routeKubeletRequest({ ...ctx, kubelet: ctx.services.kubelet })) return;
  throw newNotFound({ group: type.group, resource: `${type.plural}/${sub}` }, info.name);
}
