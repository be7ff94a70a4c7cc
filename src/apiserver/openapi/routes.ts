/**
 * HTTP handling of /openapi/v2 and /openapi/v3/**, as kube-openapi's handlers answer them:
 * ETag and If-None-Match, `hash` in v3 URLs (immutable when it matches, a redirect when it is
 * stale), JSON or gnostic protobuf for v2, gzip when accepted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newNotAcceptable, newPathNotFound, StatusError } from '../../machinery/errors.js';
import { sendError } from '../http/respond.js';
import { parseAccept, type MediaRange } from '../negotiation.js';
import type { ResourceType } from '../../api/resource.js';
import { OpenApiService, type ServedDocument } from './service.js';
import type { DocumentInfo } from './v3.js';

const V2_PROTOBUF_TYPES = new Set(['com.github.proto-openapi.spec.v2@v1.0+protobuf', 'com.github.proto-openapi.spec.v2.v1.0+protobuf']);

function methodNotAllowed(method: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `the server does not allow this method on the requested resource (${method})`,
    reason: 'MethodNotAllowed',
    details: {},
    code: 405,
  });
}

function acceptsJson(m: MediaRange): boolean {
  return (m.type === 'application' && (m.subtype === 'json' || m.subtype === '*')) || (m.type === '*' && m.subtype === '*');
}

/** v2 representation asked for, in the client's order of preference; undefined → 406. */
function negotiateV2(accept: string | undefined): 'json' | 'protobuf' | undefined {
  const ranges = parseAccept(accept).sort((a, b) => b.q - a.q);
  for (const m of ranges) {
    if (m.type === 'application' && V2_PROTOBUF_TYPES.has(m.subtype)) return 'protobuf';
    if (acceptsJson(m)) return 'json';
  }
  return undefined;
}

function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((e) => {
    const [coding, ...params] = e.trim().toLowerCase().split(';');
    return coding === 'gzip' && !params.some((p) => p.trim() === 'q=0');
  });
}

function matchesEtag(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

function send(req: IncomingMessage, res: ServerResponse, doc: ServedDocument, headers: Record<string, string>): void {
  const common = { ...headers, ETag: doc.etag, Vary: 'Accept' };
  if (matchesEtag(req, doc.etag)) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const gzip = acceptsGzip(req);
  const body = gzip ? doc.gzipped() : doc.body;
  res.writeHead(200, {
    ...common,
    'Content-Type': doc.contentType,
    'Content-Length': String(body.length),
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function serveV3(service: OpenApiService, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const accept = req.headers.accept;
  if (accept && !parseAccept(accept).some(acceptsJson)) {
    sendError(res, newNotAcceptable('only the following media types are accepted: application/json'));
    return;
  }
  if (url.pathname === '/openapi/v3' || url.pathname === '/openapi/v3/') {
    send(req, res, service.v3Root(), { 'Cache-Control': 'no-cache, private' });
    return;
  }
  const path = decodeURIComponent(url.pathname.slice('/openapi/v3/'.length)).replace(/\/+$/, '');
  const doc = service.v3Document(path);
  if (!doc) {
    sendError(res, newPathNotFound());
    return;
  }
  const hash = url.searchParams.get('hash');
  if (hash === null || hash === '') {
    send(req, res, doc, { 'Cache-Control': 'no-cache, private' });
  } else if (hash !== doc.hash) {
    res.writeHead(301, { Location: `/openapi/v3/${path}?hash=${doc.hash}`, 'Content-Length': '0' });
    res.end();
  } else {
    const expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
    send(req, res, doc, { 'Cache-Control': 'public, immutable', Expires: expires });
  }
}

function serveV2(service: OpenApiService, req: IncomingMessage, res: ServerResponse): void {
  const format = negotiateV2(req.headers.accept);
  if (!format) {
    sendError(
      res,
      newNotAcceptable(
        'only the following media types are accepted: application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      ),
    );
    return;
  }
  send(req, res, format === 'protobuf' ? service.v2Protobuf() : service.v2Json(), { 'Cache-Control': 'no-cache, private' });
}

/**
 * Answers /openapi/v2 and /openapi/v3/** and returns true; returns false for any other path so
 * the caller routes it elsewhere.
 */
export function handleOpenApi(service: OpenApiService, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const path = url.pathname;
  const isV2 = path === '/openapi/v2' || path === '/openapi/v2/';
  const isV3 = path === '/openapi/v3' || path.startsWith('/openapi/v3/');
  if (!isV2 && !isV3) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendError(res, methodNotAllowed(req.method ?? ''));
    return true;
  }
  try {
    if (isV2) serveV2(service, req, res);
    else serveV3(service, req, res, url);
  } catch (err) {
    sendError(res, err);
  }
  return true;
}

/** The OpenAPI routes of the apiserver (apiserver/openapi-routes.ts) with the service behind them. */
export interface OpenApiRoutesWithService {
  readonly service: OpenApiService;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

/**
 * Serves the OpenAPI documents of `resources`; custom resources are added later through
 * `service.setCustomResource`. Documents are built on first request (or by `service.warm()`).
 */
export function createOpenApiRoutes(resources: readonly ResourceType[], info?: DocumentInfo): OpenApiRoutesWithService {
  const service = new OpenApiService({ resources, ...(info ? { info } : {}) });
  return { service, handle: (req, res, url) => handleOpenApi(service, req, res, url) };
}
