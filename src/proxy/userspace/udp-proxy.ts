/**
 * One UDP socket of the userspace proxier (upstream's udpProxySocket): datagrams from a client
 * (address and port) go to the endpoint the balancer picked for that client's session, replies
 * come back from the service's address; a session idle for `idleTimeoutMs` (upstream's
 * --udp-timeout, 250 ms by default) is forgotten and its socket closed.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ProxySocketOptions } from './tcp-proxy.js';
import type { Destination } from './round-robin.js';

export const DEFAULT_UDP_IDLE_TIMEOUT_MS = 250;

interface Session {
  backend: Socket;
  destination: Destination;
  idle: NodeJS.Timeout;
}

export class UdpProxySocket {
  readonly #socket: Socket;
  readonly #options: ProxySocketOptions & { idleTimeoutMs: number };
  readonly #sessions = new Map<string, Session>();

  private constructor(socket: Socket, options: ProxySocketOptions & { idleTimeoutMs: number }) {
    this.#socket = socket;
    this.#options = options;
  }

  /** Binds ip:port (rejects with the bind error). */
  static async listen(options: ProxySocketOptions & { idleTimeoutMs?: number }): Promise<UdpProxySocket> {
    const socket = createSocket(isIPv6(options.ip) ? 'udp6' : 'udp4');
    const proxy = new UdpProxySocket(socket, { ...options, idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_UDP_IDLE_TIMEOUT_MS });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: options.ip, port: options.port, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (err) => options.log(`userspace proxy udp ${options.ip}:${options.port}: ${err.message}`));
    socket.on('message', (msg, client) => proxy.#forward(msg, client));
    return proxy;
  }

  /** Closes the socket and every session (replies come from the socket: sessions cannot outlive it). */
  close(): void {
    this.#socket.close();
    for (const key of [...this.#sessions.keys()]) this.#end(key);
  }

  destroy(): void {
    this.close();
  }

  #forward(msg: Buffer, client: RemoteInfo): void {
    const key = `${client.address}|${client.port}`;
    const session = this.#sessions.get(key) ?? this.#open(key, client);
    if (!session) return; // nowhere to send it: dropped, as upstream drops it
    session.idle.refresh();
    session.backend.send(msg, session.destination.port, session.destination.ip);
  }

  #open(key: string, client: RemoteInfo): Session | undefined {
    const destination = this.#options.pick(client.address);
    if (!destination) return undefined;
    const backend = createSocket(isIPv6(destination.ip) ? 'udp6' : 'udp4');
    const idle = setTimeout(() => this.#end(key), this.#options.idleTimeoutMs);
    const session: Session = { backend, destination, idle };
    backend.on('error', (err) => {
      this.#options.log(
        `userspace proxy udp ${this.#options.ip}:${this.#options.port}: ${destination.ip}:${destination.port}: ${err.message}`,
      );
      this.#end(key);
    });
    backend.on('message', (reply, from) => {
      if (from.address !== destination.ip || from.port !== destination.port) return;
      idle.refresh();
      this.#socket.send(reply, client.port, client.address, () => undefined);
    });
    this.#sessions.set(key, session);
    return session;
  }

  #end(key: string): void {
    const session = this.#sessions.get(key);
    if (!session) return;
    this.#sessions.delete(key);
    clearTimeout(session.idle);
    session.backend.close();
  }
}
