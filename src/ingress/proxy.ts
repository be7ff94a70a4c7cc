/**
 * The ingress' reverse proxy: routes each request by Host and path through the current routing
 * table (read per request, so a new table applies at once and open client connections stay
 * open), picks a ready endpoint and forwards to it over a keep-alive agent, streaming both bodies
 * as they come. It adds ingress-nginx's forwarding headers — X-Forwarded-For (the client's
 * address, as ingress-nginx without use-forwarded-headers), X-Real-IP, X-Forwarded-Proto, -Host,
 * -Port — and drops hop-by-hop headers. Upgrade requests (WebSocket) become a tunnel between
 * the client's socket and the endpoint's once it answers 101. A request without a body whose
 * endpoint fails before answering goes to the next endpoint (3 tries), as ingress-nginx retries.
 *
 *   new IngressProxy({ router: () => Router, picker: EndpointPicker, agent? })
 *   proxy.serve(server)  // an http or https server's requests and upgrades
 */
import {
  Agent,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { sendError, sendErrorOnSocket } from './error-pages.js';
import type { EndpointAddress, EndpointPicker, Router } from './interface.js';

/** Headers that belong to one connection (RFC 9110 §7.6.1), not forwarded either way. */
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TRIES = 3;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export interface IngressProxyOptions {
  /** The current routing table. */
  router: () => Router;
  picker: EndpointPicker;
  /** Default: a keep-alive agent. */
  agent?: Agent;
}

export class IngressProxy {
  readonly #o: IngressProxyOptions;
  readonly #agent: Agent;
  /** Open upgrade tunnels' client sockets (the HTTP server no longer tracks them). */
  readonly #tunnels = new Set<Duplex>();

  constructor(options: IngressProxyOptions) {
    this.#o = options;
    this.#agent = options.agent ?? new Agent({ keepAlive: true, maxFreeSockets: 256 });
  }

  /** Handles the requests and upgrades of `server` (node:http or node:https). */
  serve<S extends Server>(server: S): S {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handleRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    return server;
  }

  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const backend = this.#o.router().route(req.headers.host ?? '', req.url ?? '/').backend;
    if (!backend) return sendError(res, 404);
    const headers = forwardedHeaders(req);
    // a request without a body may go to the next endpoint when one fails to connect or answer
    // (ingress-nginx's proxy_next_upstream error, 3 tries)
    const retryable = RETRYABLE_METHODS.has(req.method ?? '') && !req.headers['content-length'] && !req.headers['transfer-encoding'];
    let current: ClientRequest | undefined;
    res.on('close', () => {
      if (!res.writableFinished) current?.destroy();
    });
    const attempt = (triesLeft: number): void => {
      const endpoint = this.#o.picker.pick(backend);
      if (!endpoint) return sendError(res, 503);
      const upstream = request({ host: endpoint.ip, port: endpoint.port, method: req.method, path: req.url, headers, agent: this.#agent });
      current = upstream;
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      });
      upstream.on('error', () => {
        if (res.headersSent || res.destroyed) res.destroy();
        else if (retryable && triesLeft > 1) attempt(triesLeft - 1);
        else sendError(res, 502);
      });
      if (retryable) upstream.end();
      else req.pipe(upstream);
    };
    attempt(TRIES);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const endpoint = this.#endpoint(req);
    if (typeof endpoint === 'number') return sendErrorOnSocket(socket, endpoint);
    const headers = forwardedHeaders(req);
    headers['connection'] = 'Upgrade';
    headers['upgrade'] = req.headers.upgrade ?? '';
    const upstream = request({ host: endpoint.ip, port: endpoint.port, method: req.method, path: req.url, headers });
    upstream.on('upgrade', (answer, tunnel, upstreamHead) => {
      socket.write(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n${rawHeaderLines(answer.rawHeaders)}\r\n`);
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) tunnel.write(head);
      this.#tunnels.add(socket);
      socket.on('close', () => this.#tunnels.delete(socket));
      tunnel.on('error', () => socket.destroy());
      socket.on('close', () => tunnel.destroy());
      tunnel.on('close', () => socket.destroy());
      tunnel.pipe(socket);
      socket.pipe(tunnel);
    });
    // the endpoint declined the upgrade: its answer goes back as it is
    upstream.on('response', (answer) => {
      socket.write(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n${rawHeaderLines(answer.rawHeaders)}\r\n`);
      answer.pipe(socket);
    });
    upstream.on('error', () => sendErrorOnSocket(socket, 502));
    upstream.end();
  }

  /** Closes the keep-alive sockets to endpoints and every upgrade tunnel. */
  close(): void {
    this.#agent.destroy();
    for (const socket of this.#tunnels) socket.destroy();
  }

  #endpoint(req: IncomingMessage): EndpointAddress | 404 | 503 {
    const route = this.#o.router().route(req.headers.host ?? '', req.url ?? '/');
    if (!route.backend) return 404;
    return this.#o.picker.pick(route.backend) ?? 503;
  }
}

/** The request's headers for the endpoint: without hop-by-hop ones, with the X-Forwarded-* set. */
export function forwardedHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const socket = req.socket as Socket & { encrypted?: boolean };
  const headers = withoutHopByHop(req.headers);
  // a dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; nginx names them a.b.c.d
  const remote = socket.remoteAddress ?? '';
  const client = remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
  const host = req.headers.host ?? '';
  headers['x-real-ip'] = client;
  headers['x-forwarded-for'] = client;
  headers['x-forwarded-host'] = host;
  headers['x-forwarded-port'] = String(socket.localPort ?? '');
  headers['x-forwarded-proto'] = socket.encrypted ? 'https' : 'http';
  headers['x-forwarded-scheme'] = headers['x-forwarded-proto'];
  return headers;
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  // headers that the Connection header names are hop-by-hop too
  const connection = headers.connection;
  const named =
    connection && connection !== 'keep-alive' && connection !== 'close'
      ? connection
          .toLowerCase()
          .split(',')
          .map((h) => h.trim())
      : undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named?.includes(name)) out[name] = value;
  }
  return out;
}

function rawHeaderLines(raw: string[]): string {
  let lines = '';
  for (let i = 0; i + 1 < raw.length; i += 2) lines += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return lines;
}
