/**
 * Lists: from the watch cache (resourceVersion unset, "0" or NotOlderThan without a limit) or
 * from storage at a revision (paging with limit/continue, resourceVersionMatch=Exact), filtered
 * by label and field selectors. Continue tokens are upstream's: base64 of
 * {"v":"meta.k8s.io/v1","rv":N,"start":"<key after which to resume>"}.
 */
import type { KubeObject, KubeList } from '../../machinery/object.js';
import { newBadRequest, newResourceExpired, newTimeout } from '../../machinery/errors.js';
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

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') throw new Error();
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    throw newBadRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function parseRV(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) throw newBadRequest(`invalid resource version: ${rv}`);
  return Number(rv);
}

export async function listObjects(store: ResourceStore, req: ListRequest): Promise<KubeList> {
  const rv = parseRV(req.resourceVersion);
  const match = req.resourceVersionMatch ?? '';
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw newBadRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (match && rv === undefined) {
    throw newBadRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  if (req.continue && (rv !== undefined && rv !== 0)) {
    throw newBadRequest('specifying resource version is not allowed when using continue');
  }
  const prefix = namespacePrefix(store.prefix, store.type.namespaced ? req.namespace : '');
  const limit = req.limit && req.limit > 0 ? req.limit : 0;
  const fromStorage = Boolean(req.continue) || match === 'Exact' || (limit > 0 && rv === undefined);
  if (!fromStorage) {
    if (rv !== undefined && rv > store.cache.revision) {
      const ok = await store.cache.waitForRevision(rv);
      if (!ok) throw newTimeout(`Too large resource version: ${rv}, current: ${store.cache.revision}`);
    }
    const all = store.cache.list(prefix).filter((o) => req.selection.matches(o));
    const listRV = store.cache.revision;
    if (limit > 0 && all.length > limit) {
      const items = all.slice(0, limit);
      const last = items[items.length - 1] as KubeObject;
      return makeList(store, items, listRV, encodeContinue(listRV, store.key(last.metadata.namespace ?? '', last.metadata.name ?? '')), all.length - limit);
    }
    return makeList(store, all, listRV);
  }
  let atRevision = match === 'Exact' ? rv : undefined;
  let startAfter: string | undefined;
  if (req.continue) {
    const token = decodeContinue(req.continue);
    atRevision = token.rv;
    startAfter = token.start;
  }
  const items: KubeObject[] = [];
  let listRV = 0;
  let more = false;
  let lastKey = startAfter;
  try {
    // scan pages until `limit` matching items are found or the prefix is exhausted
    for (;;) {
      const page = await store.storage.list(prefix, {
        limit: limit > 0 ? Math.max(limit - items.length, 1) + 1 : 0,
        ...(lastKey ? { startAfter: lastKey } : {}),
        ...(atRevision !== undefined ? { revision: atRevision } : {}),
      });
      listRV = page.revision;
      atRevision ??= page.revision;
      let stoppedEarly = false;
      for (const kv of page.items) {
        if (limit > 0 && items.length >= limit) {
          stoppedEarly = true;
          break;
        }
        lastKey = kv.key;
        const obj = store.type.storage ? store.type.storage.fromStorage(decodeStored(kv.value, kv.modRevision)) : decodeStored(kv.value, kv.modRevision);
        if (req.selection.matches(obj)) items.push(obj);
      }
      if (stoppedEarly) {
        more = true;
        break;
      }
      if (!page.more) break;
      if (limit > 0 && items.length >= limit) {
        more = true;
        break;
      }
    }
  } catch (err) {
    if (isStorageError(err, 'Compacted')) {
      if (req.continue) {
        throw newResourceExpired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      throw newResourceExpired(`too old resource version: ${rv} (${await store.storage.compactedRevision()})`);
    }
    throw err;
  }
  return makeList(store, items, atRevision ?? listRV, more && lastKey ? encodeContinue(atRevision ?? listRV, lastKey) : undefined);
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
