/**
 * One TCP listener of the userspace proxier (upstream's tcpProxySocket): accepts connections on
 * ip:port and splices each to the endpoint the balancer names, trying the next one when a dial
 * fails (upstream's endpointDialTimeouts); half-closes pass through. Connections outlive a
 * `close()` of the listener, as upstream's do; `destroy()` ends them too.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Destination } from './round-robin.js';

export interface ProxySocketOptions {
  ip: string;
  port: number;
  /** The destination of new traffic from a client; undefined: none (the client is reset). */
  pick: (clientIP: string) => Destination | undefined;
  log: (message: string) => void;
}

/** Upstream's endpointDialTimeouts: one dial per entry, each with a longer timeout. */
const DIAL_TIMEOUTS_MS = [250, 500, 1000, 2000];

export class TcpProxySocket {
  readonly #server: Server;
  readonly #options: ProxySocketOptions;
  readonly #connections = new Set<Socket>();

  private constructor(server: Server, options: ProxySocketOptions) {
    this.#server = server;
    this.#options = options;
  }

  /** Listens on ip:port (rejects with the bind error, e.g. EADDRINUSE). */
  static async listen(options: ProxySocketOptions): Promise<TcpProxySocket> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const proxy = new TcpProxySocket(server, options);
    server.on('connection', (client) => proxy.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.ip, port: options.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => options.log(`userspace proxy ${options.ip}:${options.port}: ${err.message}`));
    return proxy;
  }

  /** Stops accepting; open connections go on. */
  close(): void {
    this.#server.close();
  }

  /** Stops accepting and ends every open connection. */
  destroy(): void {
    this.close();
    for (const socket of this.#connections) socket.destroy();
    this.#connections.clear();
  }

  #track(socket: Socket): void {
    this.#connections.add(socket);
    socket.once('close', () => this.#connections.delete(socket));
  }

  #accept(client: Socket): void {
    this.#track(client);
    client.on('error', () => client.destroy());
    this.#dial(client, 0);
  }

  #dial(client: Socket, attempt: number): void {
    const destination = this.#options.pick(client.remoteAddress ?? '');
    const timeoutMs = DIAL_TIMEOUTS_MS[attempt];
    if (!destination || timeoutMs === undefined || client.destroyed) {
      if (!client.destroyed) client.resetAndDestroy();
      return;
    }
    const backend = connect({ host: destination.ip, port: destination.port, allowHalfOpen: true });
    const timer = setTimeout(() => backend.destroy(new Error(`dial timeout after ${timeoutMs} ms`)), timeoutMs);
    const failed = (err: Error): void => {
      clearTimeout(timer);
      this.#options.log(
        `userspace proxy ${this.#options.ip}:${this.#options.port}: dial ${destination.ip}:${destination.port}: ${err.message}`,
      );
      this.#dial(client, attempt + 1);
    };
    backend.once('error', failed);
    backend.once('connect', () => {
      clearTimeout(timer);
      backend.off('error', failed);
      this.#track(backend);
      backend.on('error', () => backend.destroy());
      // a side that closes (or fails) takes the other with it; ends travel through pipe()
      backend.once('close', () => client.destroy());
      client.once('close', () => backend.destroy());
      client.pipe(backend);
      backend.pipe(client);
      client.resume();
    });
  }
}
