/** What every resource handler receives. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo } from '../request-info.js';
import type { ResourceStore } from '../registry/store.js';
import type { FieldValidation, UserInfo, WriteOptions } from '../registry/context.js';
import { newBadRequest } from '../../machinery/errors.js';
import { negotiateRendering, type Rendering } from '../negotiation.js';
import { newNotAcceptable } from '../../machinery/errors.js';

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  store: ResourceStore;
  user: UserInfo;
  signal: AbortSignal;
}

export function query(ctx: HandlerContext, name: string): string | undefined {
  return ctx.url.searchParams.get(name) ?? undefined;
}

export function rendering(ctx: HandlerContext): Rendering {
  const r = negotiateRendering(ctx.req.headers.accept);
  if (!r) throw newNotAcceptable(`only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  return r;
}

/** The manager recorded in managedFields: the fieldManager parameter or the User-Agent's program name. */
export function fieldManager(ctx: HandlerContext): string {
  const explicit = query(ctx, 'fieldManager');
  if (explicit !== undefined) {
    if (explicit.length > 128) throw newBadRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return explicit;
  }
  const ua = ctx.req.headers['user-agent'] ?? 'unknown';
  return (ua.split('/')[0] ?? 'unknown').slice(0, 128);
}

export function writeOptions(ctx: HandlerContext): WriteOptions {
  const dryRun = ctx.url.searchParams.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw newBadRequest(`Invalid dry run value: unsupported dry run value "${d}" (supported: All)`);
  const fv = query(ctx, 'fieldValidation') ?? 'Warn';
  const allowed: FieldValidation[] = ['Strict', 'Warn', 'Ignore'];
  if (!allowed.includes(fv as FieldValidation)) {
    throw newBadRequest(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
  }
  return { user: ctx.user, dryRun: dryRun.length > 0, fieldManager: fieldManager(ctx), fieldValidation: fv as FieldValidation, warnings: [] };
}
