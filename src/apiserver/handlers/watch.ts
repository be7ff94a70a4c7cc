/**
 * Watch streams: newline-delimited JSON events over a chunked response, served from the watch
 * cache. Objects that stop matching the selection reach the watcher as DELETED (their previous
 * state at the event's revision), objects that start matching as ADDED (upstream's
 * cacheWatcher). A resourceVersion older than the cache's window gets an ERROR event with a
 * 410 Expired Status, then the stream closes.
 *
 * Where a watch starts (API Concepts, "Semantics for watch"):
 *   sendInitialEvents | rv unset / "0"                          | rv N
 *   unset             | synthetic ADDED for current state, then  | changes after N
 *   false             | changes from now                         | changes after N
 *   true              | synthetic ADDED, then a bookmark marked k8s.io/initial-events-end (state not older than N)
 *
 * The bookmark interval is upstream's one minute scaled down to the caller's choice; the
 * environment variable K8TS_WATCH_BOOKMARK_INTERVAL_MS (read once, when the server starts)
 * overrides it, e.g. for tests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../machinery/object.js';
import { newBadRequest, newInvalid, newResourceExpired, type FieldError } from '../../machinery/errors.js';
import { forbidden, notSupported } from '../../machinery/validation/field.js';
import { type CacheEvent, type EventType, eventObjectJson } from '../watch/cache.js';
import type { ResourceStore } from '../registry/store.js';
import type { Selection } from '../registry/selection.js';
import { namespacePrefix } from '../registry/keys.js';
import { newTooLargeResourceVersion } from '../registry/list.js';
import { toTable, type IncludeObject } from '../table.js';
import type { Rendering } from '../negotiation.js';
import { sendError } from '../http/respond.js';

export interface WatchRequest {
  namespace: string;
  /** Watching one object (fieldSelector metadata.name or a named path). */
  selection: Selection;
  resourceVersion?: string;
  /** Only NotOlderThan, and only with sendInitialEvents; read from the URL when not given. */
  resourceVersionMatch?: string;
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

/** Upstream's --min-request-timeout (1800 s); a watch without timeoutSeconds lasts 1–2 times that. */
const MIN_REQUEST_TIMEOUT_S = 1800;
/** The longest delay setTimeout keeps (about 24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Upstream's ValidateListOptions for a watch (WatchList enabled): 422 Invalid ListOptions.meta.k8s.io. */
export function validateWatchOptions(req: Pick<WatchRequest, 'resourceVersionMatch' | 'sendInitialEvents'>): void {
  const match = req.resourceVersionMatch ?? '';
  const errs: FieldError[] = [];
  if (req.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errs.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match !== '') {
    if (req.sendInitialEvents === undefined)
      errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
  }
  if (errs.length > 0) throw newInvalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
}

/** Validates the request (throwing StatusErrors before anything is written), then streams. */
export function serveWatch(
  store: ResourceStore,
  req: WatchRequest,
  _httpReq: IncomingMessage,
  res: ServerResponse,
  options: WatchOptions,
): void {
  const resourceVersionMatch = req.resourceVersionMatch;
  validateWatchOptions({
    ...(resourceVersionMatch !== undefined ? { resourceVersionMatch } : {}),
    ...(req.sendInitialEvents !== undefined ? { sendInitialEvents: req.sendInitialEvents } : {}),
  });
  const rvText = req.resourceVersion ?? '';
  if (rvText !== '' && !/^\d+$/.test(rvText)) throw newBadRequest(`invalid resource version: ${rvText}`);
  const rv = rvText === '' ? 0 : Number(rvText);
  const cache = store.cache;
  if (req.sendInitialEvents === true && rv > cache.revision) {
    // the initial state must be at least as new as rv: wait for the cache (upstream's waitUntilFreshAndBlock)
    void cache.waitForRevision(rv).then((ok) => {
      if (res.writableEnded || options.signal.aborted) return;
      if (ok) stream(store, req, rv, res, options);
      else sendError(res, newTooLargeResourceVersion(rv, cache.revision));
    });
    return;
  }
  stream(store, req, rv, res, options);
}

function stream(store: ResourceStore, req: WatchRequest, rv: number, res: ServerResponse, options: WatchOptions): void {
  const cache = store.cache;
  const prefix = namespacePrefix(store.prefix, store.type.namespaced ? req.namespace : '');
  const wantsInitial = req.sendInitialEvents ?? rv === 0;
  let after: number;
  let initial: KubeObject[] = [];
  if (wantsInitial) {
    initial = cache.list(prefix).filter((o) => req.selection.matches(o));
    after = cache.revision;
  } else {
    after = rv === 0 ? cache.revision : rv;
  }

  const contentType =
    req.rendering.kind === 'table' ? `application/json;as=Table;v=${req.rendering.version};g=meta.k8s.io` : 'application/json';
  res.writeHead(200, { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  const render = (obj: KubeObject): unknown => {
    const r = req.rendering;
    if (r.kind === 'table') return toTable(store.type, [obj], { include: req.include, version: r.version, noHeaders: false });
    if (r.kind === 'partial') return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${r.version}`, metadata: obj.metadata };
    return obj;
  };
  let corked = false;
  const uncork = (): void => {
    corked = false;
    res.uncork();
  };
  /** Writes of one turn of the event loop (a storage commit's events) leave in one TLS write. */
  const send = (line: string): void => {
    if (res.writableEnded || res.destroyed) return;
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    res.write(line);
  };
  const write = (type: EventType | 'BOOKMARK' | 'ERROR', object: unknown): void => send(`${JSON.stringify({ type, object })}\n`);
  /** A cache event's object as it is stored: its JSON is shared by every watcher. */
  const writeEvent = (type: EventType, ev: CacheEvent): void => {
    if (req.rendering.kind === 'object') send(`{"type":"${type}","object":${eventObjectJson(ev)}}\n`);
    else write(type, render(ev.object));
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

  const onEvent = (ev: CacheEvent): void => {
    if (closed) return;
    if (!ev.key.startsWith(prefix)) return;
    lastSent = ev.revision;
    const now = ev.type !== 'DELETED' && req.selection.matches(ev.object);
    const before = ev.prevObject !== undefined && req.selection.matches(ev.prevObject);
    if (now && before) writeEvent('MODIFIED', ev);
    else if (now) writeEvent('ADDED', ev);
    else if (before) write('DELETED', render(atRevision(ev.prevObject as KubeObject, ev.revision)));
  };
  unregister = cache.watch(after, onEvent);
  if (!unregister) {
    write('ERROR', newResourceExpired(`too old resource version: ${rv} (${cache.oldestRevision})`).status);
    close();
    return;
  }
  // history replayed by cache.watch came first; the initial state is the cache's current state,
  // so nothing was replayed when initial events are wanted
  for (const obj of initial) write('ADDED', render(obj));
  if (req.allowBookmarks && req.sendInitialEvents === true) write('BOOKMARK', bookmark(store, after, true));

  res.on('close', close);
  options.signal.addEventListener('abort', close);
  const timeoutSeconds =
    req.timeoutSeconds !== undefined && req.timeoutSeconds > 0 ? req.timeoutSeconds : MIN_REQUEST_TIMEOUT_S * (1 + Math.random());
  const timeoutMs = Math.min(timeoutSeconds * 1000, MAX_TIMER_MS);
  timeoutTimer = setTimeout(() => {
    if (req.allowBookmarks) write('BOOKMARK', bookmark(store, Math.max(lastSent, cache.revision)));
    close();
  }, timeoutMs);
  if (req.allowBookmarks) {
    const interval = options.bookmarkIntervalMs;
    const tick = (): void => {
      if (closed) return;
      lastSent = Math.max(lastSent, cache.revision);
      write('BOOKMARK', bookmark(store, lastSent));
      bookmarkTimer = setTimeout(tick, interval);
    };
    bookmarkTimer = setTimeout(tick, interval);
  }
}

/** The previous state of an object that left the selection, stamped with the event's revision. */
function atRevision(obj: KubeObject, revision: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
}

function bookmark(store: ResourceStore, revision: number, initialEventsEnd = false): KubeObject {
  const meta: KubeObject['metadata'] = { resourceVersion: String(revision) };
  if (initialEventsEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind: store.type.kind, apiVersion: store.apiVersion, metadata: meta };
}
