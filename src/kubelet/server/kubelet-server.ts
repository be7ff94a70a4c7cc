/**
 * The kubelet's HTTPS server (upstream pkg/kubelet/server): one per node engine, serving every
 * kubelet the engine runs. It authenticates the caller (authorize.ts: only the apiserver's
 * kubelet-client certificate), matches the path against its routes (interface.ts is the seam
 * other modules add routes through), resolves the pod a route names and hands over; HTTP
 * Upgrade requests go to routes that take them. It listens on the node IP and on loopback, on
 * one port (`--kubelet-port`, 0 = any free port).
 *
 *   const server = new KubeletServer({ tls, nodes });
 *   server.routes.add(route);
 *   await server.listen(10250, ['192.0.2.2', '127.0.0.1']);
 */
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { authorizeKubeletRequest } from './authorize.js';
import { type KubeletRouteContext, KubeletHttpError, type NodeDirectory } from './interface.js';
import { RouteTable } from './route-table.js';
import { registerKubeletRoutes } from './routes.js';

export interface KubeletServerTLS {
  cert: string;
  key: string;
  /** The CA that signs the clients allowed in (the apiserver's kubelet-client certificate). */
  clientCA: string;
}

export interface KubeletServerOptions {
  tls: KubeletServerTLS;
  nodes: NodeDirectory;
  onError?: (message: string) => void;
}

export class KubeletServer {
  readonly routes = new RouteTable();
  readonly #o: KubeletServerOptions;
  readonly #servers: Server[] = [];
  #port = 0;

  constructor(options: KubeletServerOptions) {
    this.#o = options;
  }

  /** The port it listens on (after listen). */
  get port(): number {
    return this.#port;
  }

  /**
   * Listens on every host on one port: `port` 0 takes a free port on the first host and the same
   * one on the others (tried again with a new port when another host has it taken).
   */
  async listen(port: number, hosts: string[]): Promise<number> {
    const unique = [...new Set(hosts)];
    for (let attempt = 0; ; attempt++) {
      try {
        let chosen = port;
        for (const host of unique) {
          const server = this.#newServer();
          this.#servers.push(server);
          chosen = await listenOn(server, chosen, host);
        }
        this.#port = chosen;
        return chosen;
      } catch (err) {
        await this.close();
        if (port !== 0 || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
  }

  async close(): Promise<void> {
    const servers = this.#servers.splice(0);
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }

  #newServer(): Server {
    const { tls } = this.#o;
    const server = createServer(
      { cert: tls.cert, key: tls.key, ca: tls.clientCA, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        this.#dispatch(req, { res }).catch((err: unknown) => this.#fail(res, err));
      },
    );
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      this.#dispatch(req, { upgrade: { socket, head } }).catch((err: unknown) => failUpgrade(socket, err, this.#report));
    });
    server.on('tlsClientError', () => undefined);
    return server;
  }

  readonly #report = (message: string): void => (this.#o.onError ?? ((m: string) => console.error(m)))(message);

  async #dispatch(req: IncomingMessage, answer: Pick<KubeletRouteContext, 'res' | 'upgrade'>): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const method = req.method ?? 'GET';
    authorizeKubeletRequest(req.socket as TLSSocket, method, url.pathname);
    const { found, methodAllowed } = this.routes.match(method, url.pathname);
    if (!found) throw new KubeletHttpError(methodAllowed ? 404 : 405, methodAllowed ? '404 page not found' : 'Method Not Allowed');
    if (answer.upgrade && !found.route.upgrade) throw new KubeletHttpError(400, 'this path does not take an upgrade');
    const { nodes } = this.#o;
    const ctx: KubeletRouteContext = { req, url, params: found.params, nodes, ...answer };
    const { namespace, pod, uid } = found.params;
    if (namespace !== undefined && pod !== undefined) {
      const target = nodes.pod(namespace, pod);
      if (!target || (uid !== undefined && target.pod.metadata.uid !== uid)) {
        throw new KubeletHttpError(404, `pod "${pod}" does not exist`);
      }
      ctx.target = target;
    } else {
      const node = nodeFor(req, nodes);
      if (node) ctx.node = node;
    }
    await found.route.serve(ctx);
  }

  #fail(res: ServerResponse, err: unknown): void {
    if (!(err instanceof KubeletHttpError)) this.#report(`kubelet server: ${(err as Error).message}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = err instanceof KubeletHttpError ? err.status : 500;
    const body = `${(err as Error).message}\n`;
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}

/** The node of a node-level request: the Host header's name when it is one of the engine's nodes, else the only node. */
function nodeFor(req: IncomingMessage, nodes: NodeDirectory) {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const named = nodes.kubelet(host);
  if (named) return named;
  const only = nodes.nodeNames.length === 1 ? nodes.nodeNames[0] : undefined;
  return only === undefined ? undefined : nodes.kubelet(only);
}

function failUpgrade(socket: Duplex, err: unknown, report: (m: string) => void): void {
  if (!(err instanceof KubeletHttpError)) report(`kubelet server: ${(err as Error).message}`);
  if (socket.destroyed || !socket.writable) return;
  const status = err instanceof KubeletHttpError ? err.status : 500;
  const body = `${(err as Error).message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Where and with what the engine's kubelet server listens. */
export interface KubeletServerConfig {
  tls: KubeletServerTLS;
  /** --kubelet-port; 0: any free port. */
  port: number;
  /** The addresses it binds (the node IP, loopback); the first is where simulated nodes say it is. */
  hosts: string[];
  /** The node's data directory (real nodes): /stats/summary's node.fs. */
  dataDir?: string;
}

/** Starts the server with every route (routes.ts); it closes when `signal` aborts. */
export async function startKubeletServer(
  config: KubeletServerConfig,
  nodes: NodeDirectory,
  signal: AbortSignal,
  onError?: (message: string) => void,
): Promise<KubeletServer> {
  const server = new KubeletServer({ tls: config.tls, nodes, ...(onError ? { onError } : {}) });
  registerKubeletRoutes(server.routes, config.dataDir ? { dataDir: config.dataDir } : {});
  await server.listen(config.port, config.hosts);
  signal.addEventListener('abort', () => void server.close(), { once: true });
  return server;
}
