/**
 * Watch streams: newline-delimited JSON events over a chunked response, served from the watch
 * cache. Objects that stop matching the selection reach the watcher as DELETED, objects that
 * start matching as ADDED (upstream's cacheWatcher). A resourceVersion older than the cache's
 * window gets an ERROR event with a 410 Expired Status, then the stream closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../machinery/object.js';
import { newBadRequest, newResourceExpired } from '../../machinery/errors.js';
import type { CacheEvent, EventType } from '../watch/cache.js';
import type { ResourceStore } from '../registry/store.js';
import type { Selection } from '../registry/selection.js';
import { namespacePrefix } from '../registry/keys.js';
import { toTable, type IncludeObject } from '../table.js';
import type { Rendering } from '../negotiation.js';

export interface WatchRequest {
  namespace: string;
  /** Watching one object (fieldSelector metadata.name or a named path). */
  selection: Selection;
  resourceVersion?: string;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  rendering: Rendering;
  include: IncludeObject;
  sendInitialEvents?: boolean;
}

export interface WatchOptions {
  bookmarkIntervalMs: number;
  signal: AbortSignal;
}

export function serveWatch(store: ResourceStore, req: WatchRequest, httpReq: IncomingMessage, res: ServerResponse, options: WatchOptions): void {
  const cache = store.cache;
  let after: number;
  let initial: KubeObject[] = [];
  const prefix = namespacePrefix(store.prefix, store.type.namespaced ? req.namespace : '');
  const rvText = req.resourceVersion ?? '';
  if (rvText !== '' && !/^\d+$/.test(rvText)) throw newBadRequest(`invalid resource version: ${rvText}`);
  const rv = rvText === '' ? 0 : Number(rvText);
  const wantsInitial = req.sendInitialEvents ?? (rv === 0);
  if (rv === 0 || wantsInitial) {
    // "0" and unset: the current state as synthetic ADDED events, then changes
    initial = cache.list(prefix).filter((o) => req.selection.matches(o));
    after = cache.revision;
  } else {
    after = rv;
  }

  const contentType = req.rendering.kind === 'table' ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json';
  res.writeHead(200, { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  const render = (obj: KubeObject): unknown => {
    if (req.rendering.kind === 'table') return toTable(store.type, [obj], { include: req.include, version: req.rendering.version, noHeaders: false });
    return obj;
  };
  const write = (type: EventType | 'BOOKMARK' | 'ERROR', object: unknown): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };

  let lastSent = after;
  let closed = false;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let unregister: (() => void) | undefined;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(timeoutTimer);
    clearTimeout(bookmarkTimer);
    unregister?.();
    options.signal.removeEventListener('abort', close);
    if (!res.writableEnded) res.end();
  };

  for (const obj of initial) write('ADDED', render(obj));
  if (req.allowBookmarks && req.sendInitialEvents) {
    write('BOOKMARK', bookmark(store, after, true));
  }

  const onEvent = (ev: CacheEvent): void => {
    if (closed) return;
    if (!ev.key.startsWith(prefix)) return;
    const now = req.selection.matches(ev.object);
    const before = ev.prevObject !== undefined && req.selection.matches(ev.prevObject);
    lastSent = ev.revision;
    if (ev.type === 'ADDED') {
      if (now) write('ADDED', render(ev.object));
    } else if (ev.type === 'MODIFIED') {
      if (now && before) write('MODIFIED', render(ev.object));
      else if (now) write('ADDED', render(ev.object));
      else if (before) write('DELETED', render(ev.object));
    } else if (before || now) {
      write('DELETED', render(ev.object));
    }
  };
  unregister = cache.watch(after, onEvent);
  if (!unregister) {
    const status = newResourceExpired(`too old resource version: ${rv} (${cache.oldestRevision + 1})`).status;
    write('ERROR', status);
    close();
    return;
  }

  httpReq.on('close', close);
  res.on('close', close);
  options.signal.addEventListener('abort', close);
  if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
    timeoutTimer = setTimeout(() => {
      if (req.allowBookmarks) write('BOOKMARK', bookmark(store, Math.max(lastSent, cache.revision)));
      close();
    }, req.timeoutSeconds * 1000);
  }
  if (req.allowBookmarks) {
    const tick = (): void => {
      if (closed) return;
      lastSent = Math.max(lastSent, cache.revision);
      write('BOOKMARK', bookmark(store, lastSent));
      bookmarkTimer = setTimeout(tick, options.bookmarkIntervalMs);
    };
    bookmarkTimer = setTimeout(tick, options.bookmarkIntervalMs);
  }
}

function bookmark(store: ResourceStore, revision: number, initialEventsEnd = false): KubeObject {
  const meta: KubeObject['metadata'] = { resourceVersion: String(revision) };
  if (initialEventsEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind: store.type.kind, apiVersion: store.apiVersion, metadata: meta };
}
