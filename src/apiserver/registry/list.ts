/**
 * Lists, with upstream's resourceVersion semantics (API Concepts, "Semantics for get and list"):
 *
 *   resourceVersion  | no limit                        | limit
 *   unset            | Most Recent (cache, caught up)   | Most Recent (storage, paged)
 *   "0"              | Any (cache)                      | Any (cache, paged)
 *   N                | Not older than N (cache)         | Exact N (storage, paged; legacy)
 *   N + Exact        | Exact N (storage)                | Exact N (storage, paged)
 *   N + NotOlderThan | Not older than N (cache)         | Not older than N (cache, paged)
 *
 * A continue token resumes at its revision in storage. Tokens are upstream's: unpadded
 * base64url of {"v":"meta.k8s.io/v1","rv":N,"start":"<key after the prefix>\u0000"}; rv -1
 * resumes at the latest revision (what the 410 for a compacted token hands out).
 */
import type { KubeObject, KubeList } from '../../machinery/object.js';
import { StatusError, newBadRequest, newInvalid, newResourceExpired, type FieldError } from '../../machinery/errors.js';
import { forbidden, notSupported } from '../../machinery/validation/field.js';
import { isStorageError } from '../../storage/interface.js';
import { decodeStored } from './codec.js';
import { namespacePrefix } from './keys.js';
import type { ResourceStore } from './store.js';
import type { Selection } from './selection.js';

export interface ListRequest {
  namespace: string;
  selection: Selection;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

const EXPIRED_LIST = 'The resourceVersion for the provided list is too old.';
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Encodes the position after `lastKey` (a key under `prefix`) at revision `rv`. */
export function encodeContinue(lastKey: string, prefix: string, rv: number): string {
  const start = `${lastKey.slice(prefix.length)}\u0000`;
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

/** Decodes a continue token into the key to resume after and its revision (-1: latest). */
export function decodeContinue(token: string, prefix: string): { startAfter: string; rv: number } {
  const invalid = (why: string): StatusError => newBadRequest(`invalid continue token: ${why}`);
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
    if (parsed === null || typeof parsed !== 'object') throw new Error('not an object');
  } catch (err) {
    throw invalid(`continue key is not valid: ${(err as Error).message}`);
  }
  if (parsed.v !== 'meta.k8s.io/v1')
    throw invalid(`continue key is not valid: server does not recognize this encoded version ${String(parsed.v ?? '')}`);
  const rv = typeof parsed.rv === 'number' && Number.isInteger(parsed.rv) ? parsed.rv : 0;
  if (rv === 0) throw invalid('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  const start = typeof parsed.start === 'string' ? parsed.start : '';
  if (start === '') throw invalid('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  // like upstream, a start key may not climb out of the prefix
  const rel = start.endsWith('\u0000') ? start.slice(0, -1) : start;
  const segments = rel.replace(/^\/+/, '').split('/');
  if (segments.some((s) => s === '..' || s === '.') || rel.includes('//')) throw invalid(`continue key is not valid: ${start}`);
  return { startAfter: prefix + rel.replace(/^\/+/, ''), rv };
}

function parseRV(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) throw newBadRequest(`invalid resource version: ${rv}`);
  return Number(rv);
}

/** Upstream's ValidateListOptions for a list (not a watch): 422 Invalid ListOptions.meta.k8s.io. */
export function validateListOptions(req: Pick<ListRequest, 'resourceVersion' | 'resourceVersionMatch' | 'continue'>): void {
  const match = req.resourceVersionMatch ?? '';
  const errs: FieldError[] = [];
  if (match !== '') {
    if (!req.resourceVersion)
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (req.continue) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan')
      errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && req.resourceVersion === '0')
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (errs.length > 0) throw newInvalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
}

/** 504 for a resourceVersion the server has not reached (storage.NewTooLargeResourceVersionError). */
export function newTooLargeResourceVersion(wanted: number, current: number): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Timeout: Too large resource version: ${wanted}, current: ${current}`,
    reason: 'Timeout',
    details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
    code: 504,
  });
}

export async function listObjects(store: ResourceStore, req: ListRequest): Promise<KubeList> {
  validateListOptions(req);
  const rv = parseRV(req.resourceVersion);
  const match = req.resourceVersionMatch ?? '';
  const prefix = namespacePrefix(store.prefix, store.type.namespaced ? req.namespace : '');
  const limit = req.limit && req.limit > 0 ? Math.floor(req.limit) : 0;
  if (req.continue) {
    if (rv !== undefined && rv !== 0) throw newBadRequest('specifying resource version is not allowed when using continue');
    const token = decodeContinue(req.continue, prefix);
    return listFromStorage(store, req, prefix, limit, token.rv > 0 ? token.rv : undefined, token.startAfter, req.continue);
  }
  if (match === 'Exact' || (match === '' && limit > 0 && rv !== undefined && rv > 0)) {
    const current = await store.storage.currentRevision();
    if ((rv as number) > current) throw newTooLargeResourceVersion(rv as number, current);
    return listFromStorage(store, req, prefix, limit, rv);
  }
  if (rv === undefined && limit > 0) return listFromStorage(store, req, prefix, limit, undefined);
  return listFromCache(store, req, prefix, limit, rv);
}

async function listFromCache(
  store: ResourceStore,
  req: ListRequest,
  prefix: string,
  limit: number,
  rv: number | undefined,
): Promise<KubeList> {
  const cache = store.cache;
  if (rv === undefined) {
    await cache.freshRevision();
  } else if (rv > cache.revision && !(await cache.waitForRevision(rv))) {
    throw newTooLargeResourceVersion(rv, cache.revision);
  }
  const listRV = cache.revision;
  const all = cache.list(prefix).filter((o) => req.selection.matches(o));
  if (limit > 0 && all.length > limit) {
    const items = all.slice(0, limit);
    const last = items[items.length - 1] as KubeObject;
    const lastKey = store.key(last.metadata.namespace ?? '', last.metadata.name ?? '');
    const remaining = req.selection.everything ? all.length - limit : undefined;
    return makeList(store, items, listRV, encodeContinue(lastKey, prefix, listRV), remaining);
  }
  return makeList(store, all, listRV);
}

/** Pages through storage at one revision until `limit` items match (or the prefix ends). */
async function listFromStorage(
  store: ResourceStore,
  req: ListRequest,
  prefix: string,
  limit: number,
  revision: number | undefined,
  startAfter?: string,
  continueToken?: string,
): Promise<KubeList> {
  const items: KubeObject[] = [];
  let atRevision = revision;
  let lastKey = startAfter;
  let more = false;
  let remaining: number | undefined;
  try {
    for (;;) {
      const page = await store.storage.list(prefix, {
        limit: limit > 0 ? limit - items.length : 0,
        ...(lastKey !== undefined ? { startAfter: lastKey } : {}),
        ...(atRevision !== undefined ? { revision: atRevision } : {}),
      });
      atRevision ??= page.revision;
      for (const kv of page.items) {
        lastKey = kv.key;
        const stored = decodeStored(kv.value, kv.modRevision);
        const obj = store.type.storage ? store.type.storage.fromStorage(stored) : stored;
        if (req.selection.matches(obj)) items.push(obj);
      }
      if (!page.more) break;
      if (limit > 0 && items.length >= limit) {
        more = true;
        break;
      }
    }
    if (more && req.selection.everything && lastKey !== undefined) {
      // upstream counts the keys after the page at the same revision (only without selectors)
      remaining = await store.storage.count(prefix, { startAfter: lastKey, ...(atRevision !== undefined ? { revision: atRevision } : {}) });
    }
  } catch (err) {
    if (!isStorageError(err, 'Compacted')) throw err;
    if (continueToken !== undefined && startAfter !== undefined) {
      const expired = newResourceExpired(INCONSISTENT_CONTINUE);
      expired.status.metadata = { continue: encodeContinue(startAfter, prefix, -1) };
      throw expired;
    }
    throw newResourceExpired(EXPIRED_LIST);
  }
  const listRV = atRevision ?? (await store.storage.currentRevision());
  const cont = more && lastKey !== undefined ? encodeContinue(lastKey, prefix, listRV) : undefined;
  return makeList(store, items, listRV, cont, remaining);
}

function makeList(store: ResourceStore, items: KubeObject[], rv: number, cont?: string, remaining?: number): KubeList {
  const list: KubeList = {
    apiVersion: store.apiVersion,
    kind: `${store.type.kind}List`,
    metadata: { resourceVersion: String(rv) },
    items,
  };
  if (cont) {
    list.metadata.continue = cont;
    if (remaining !== undefined) list.metadata.remainingItemCount = remaining;
  }
  return list;
}
