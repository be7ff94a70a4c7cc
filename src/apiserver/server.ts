/**
 * The HTTPS API server: authentication → authorization → routing to discovery, OpenAPI,
 * health, review resources and the generic resource handlers.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setMaxListeners } from 'node:events';
import {
  newForbidden,
  newMethodNotSupported,
  newBadRequest,
  newPathNotFound,
  newServiceUnavailable,
  StatusError,
} from '../machinery/errors.js';
import { METRICS_GROUP, METRICS_RESOURCES } from './metrics/metrics-api.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { sendError, sendJSON, sendText } from './http/respond.js';
import type { ApiRegistry } from './api-registry.js';
import type { Authorizer } from './authz/interface.js';
import { forbiddenMessage } from './authz/bootstrap.js';
import { ANONYMOUS, type Authenticator } from './authn/x509.js';
import { impersonate } from './authn/impersonation.js';
import type { UserInfo } from './registry/context.js';
import { serveDiscovery } from './discovery/routes.js';
import { routeResource } from './handlers/route.js';
import type { ServerServices } from './handlers/context.js';
import { findReview, answerReview, reviewResources } from './reviews.js';
import { decodeObjectBody, readBody } from './http/body.js';
import { bodyTypeOf, decodeObject } from './handlers/decode.js';
import type { OpenApiRoutes } from './openapi-routes.js';
import type { Duplex } from 'node:stream';
import { routeKubeletRequest } from './kubelet/kubelet-handlers.js';
import { sendStatusOnSocket } from './kubelet/kubelet-proxy.js';
import { requestAttributes } from './authz/attributes.js';
import type { Auditor, RequestAudit } from './audit/request-audit.js';
import type { RequestLimiter } from './flowcontrol/interface.js';
import { admitRequest } from './flowcontrol/filter.js';

export interface TLSMaterial {
  key: string;
  cert: string;
  ca: string;
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export interface ApiServerOptions {
  registry: ApiRegistry;
  tls: TLSMaterial;
  authenticators: Authenticator[];
  authorizer: Authorizer;
  version: VersionInfo;
  openapi?: OpenApiRoutes;
  services?: ServerServices;
  /** Reports readiness for /readyz (e.g. all watch caches started). */
  ready?: () => boolean;
  /** Audit logging (--audit-policy-file, --audit-log-path). */
  audit?: Auditor;
  /** --anonymous-auth: requests without credentials are system:anonymous (default); false: 401. */
  anonymous?: boolean;
  /** Overload protection: API Priority and Fairness or the max-in-flight limit. */
  flowControl?: RequestLimiter;
}

export class ApiServer {
  readonly #options: ApiServerOptions;
  readonly #server: Server;
  readonly #abort = new AbortController();
  #address: AddressInfo | undefined;

  constructor(options: ApiServerOptions) {
    this.#options = options;
    // every open watch listens for the server's shutdown
    setMaxListeners(0, this.#abort.signal);
    this.#server = createServer(
      { key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const audit = options.audit?.begin({
          req,
          res,
          info: parseRequestInfo(req.method ?? 'GET', new URL(req.url ?? '/', 'https://localhost')),
        });
        this.#handle(req, res, audit).catch((err: unknown) => {
          audit?.failed(err);
          sendError(res, err);
        });
      },
    );
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const audit = options.audit?.begin({
        req,
        socket,
        info: parseRequestInfo(req.method ?? 'GET', new URL(req.url ?? '/', 'https://localhost')),
      });
      this.#handleUpgrade(req, socket, head, audit).catch((err: unknown) => {
        audit?.failed(err);
        sendStatusOnSocket(socket, err);
      });
    });
    this.#server.keepAliveTimeout = 65_000;
    this.#server.headersTimeout = 66_000;
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        this.#address = this.#server.address() as AddressInfo;
        resolve(this.#address);
      });
    });
  }

  get address(): AddressInfo | undefined {
    return this.#address;
  }

  /** host:port as clients should use it. */
  get serverAddress(): string {
    const a = this.#address;
    if (!a) return '';
    return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #authenticate(req: IncomingMessage): Promise<UserInfo> {
    for (const a of this.#options.authenticators) {
      const user = await a.authenticate(req);
      if (user) return user;
    }
    // credentials that nobody accepts are refused, not treated as anonymous
    if (req.headers.authorization || this.#options.anonymous === false) {
      throw new StatusError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    return ANONYMOUS;
  }

  /** The authenticated user, or the one it impersonates (Impersonate-* headers). */
  async #actingUser(req: IncomingMessage, audit: RequestAudit | undefined): Promise<UserInfo> {
    const authenticated = await this.#authenticate(req);
    audit?.authenticated(authenticated);
    const user = await impersonate(req, authenticated, this.#options.authorizer);
    if (user !== authenticated) audit?.impersonated(user);
    return user;
  }

  async #authorize(user: UserInfo, info: RequestInfo, audit: RequestAudit | undefined): Promise<void> {
    const attrs = requestAttributes(user, info);
    const decision = await this.#options.authorizer.authorize(attrs);
    audit?.authorized(attrs, decision);
    if (decision.allowed) return;
    const message = forbiddenMessage(attrs) + (decision.reason ? `: ${decision.reason}` : '');
    if (!info.isResourceRequest) {
      throw new StatusError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `forbidden: ${message}`,
        reason: 'Forbidden',
        details: {},
        code: 403,
      });
    }
    const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    throw newForbidden({ group: info.group, resource: res }, info.name, message);
  }

  /** HTTP Upgrade requests: only the kubelet's streams (exec, attach, portforward, nodes/proxy) take them. */
  async #handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, audit: RequestAudit | undefined): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const info = parseRequestInfo(req.method ?? 'GET', url);
    const user = await this.#actingUser(req, audit);
    await this.#authorize(user, info, audit);
    const store = info.isResourceRequest ? this.#options.registry.lookup(info.group, info.version, info.resource) : undefined;
    const kubelet = this.#options.services?.kubelet;
    if (store && (await routeKubeletRequest({ req, url, info, store, kubelet, upgrade: { socket, head } }))) return;
    throw newBadRequest('Upgrade request required only for exec, attach, portforward and proxy');
  }

  async #handle(req: IncomingMessage, res: ServerResponse, audit: RequestAudit | undefined): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const info = parseRequestInfo(req.method ?? 'GET', url);
    // as upstream's filter chain: authentication, impersonation, then flow control
    const user = await this.#actingUser(req, audit);
    if (!(await admitRequest(this.#options.flowControl, { req, res, info, user }))) return;
    await this.#authorize(user, info, audit);
    const path = url.pathname;
    if (!info.isResourceRequest) {
      if (
        path === '/healthz' ||
        path === '/livez' ||
        path === '/readyz' ||
        path.startsWith('/healthz/') ||
        path.startsWith('/livez/') ||
        path.startsWith('/readyz/')
      ) {
        const ok = path.startsWith('/readyz') ? (this.#options.ready?.() ?? true) : true;
        sendText(res, ok ? 200 : 500, ok ? 'ok' : '[-]informer-sync failed: reason withheld\nreadyz check failed');
        return;
      }
      if (path === '/version' || path === '/version/') {
        sendJSON(res, 200, this.#options.version);
        return;
      }
      if (await this.#options.services?.issuerDiscovery?.serve(req.method ?? 'GET', path, res, this.serverAddress)) return;
      if (path.startsWith('/openapi/') && this.#options.openapi) {
        if (this.#options.openapi.handle(req, res, url)) return;
      }
      const metrics = this.#options.services?.metrics?.available() ? METRICS_RESOURCES : [];
      if (serveDiscovery(req, res, path, this.#options.registry, [...reviewResources, ...metrics], this.serverAddress)) return;
      throw newPathNotFound();
    }

    const review = findReview(info.group, info.version, info.resource);
    if (review) {
      if (info.verb !== 'create') throw newMethodNotSupported({ group: info.group, resource: info.resource }, info.verb);
      const body = await decodeObjectBody(await readBody(req), req.headers['content-type']);
      decodeObject(bodyTypeOf(review), body, { fieldValidation: 'Ignore', warnings: [] });
      const { tokenReviewer } = this.#options.services ?? {};
      const answer = await answerReview(review, body, user, this.#options.authorizer, info.namespace, tokenReviewer);
      sendJSON(res, 201, answer);
      return;
    }
    if (info.group === METRICS_GROUP) {
      // as the aggregator answers for an APIService whose backend is not available
      const metrics = this.#options.services?.metrics;
      if (!metrics?.available()) throw newServiceUnavailable('service unavailable');
      metrics.serve(req, res, url, info);
      return;
    }
    // a Binding is not stored: it writes the pod it names
    const resource = info.group === '' && info.resource === 'bindings' ? 'pods' : info.resource;
    const store = this.#options.registry.lookup(info.group, info.version, resource);
    if (!store) throw newPathNotFound();
    if (store.type.namespaced && info.namespace === '' && info.name !== '' && info.verb !== 'list' && info.verb !== 'watch') {
      throw newBadRequest('the server could not find the requested resource');
    }
    await routeResource({ req, res, url, info, store, user, signal: this.#abort.signal, services: this.#options.services ?? {} });
  }
}
