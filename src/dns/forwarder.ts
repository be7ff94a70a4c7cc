/**
 * Names outside the cluster go to the upstream resolvers (CoreDNS' `forward . /etc/resolv.conf`):
 * the query as the client sent it, under an id of the forwarder's, over UDP to each upstream in
 * turn until one answers (2 s each); a truncated answer is asked again over TCP. Answers go
 * through the response cache.
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import dnsPacket, { type DecodedPacket } from 'dns-packet';
import type { Upstream } from './interface.js';
import { ResponseCache } from './response-cache.js';

/** An upstream resolver's address. */
export interface UpstreamAddress {
  host: string;
  port: number;
}

export interface ForwarderOptions {
  upstreams: UpstreamAddress[];
  /** How long one upstream has to answer (default 2000 ms). */
  timeoutMs?: number;
  cache?: ResponseCache;
}

const TC_BIT = 0x0200;

/** One UDP query and its answer (the reply with the query's id), bounded by `timeoutMs`. */
function exchangeUDP(upstream: UpstreamAddress, query: Buffer, timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(upstream.host.includes(':') ? 'udp6' : 'udp4');
    const id = query.readUInt16BE(0);
    let finished = false;
    const finish = (err: Error | undefined, reply?: Buffer): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.close();
      if (err) reject(err);
      else resolve(reply as Buffer);
    };
    const onAbort = (): void => finish(new Error('aborted'));
    const timer = setTimeout(
      () => finish(new Error(`upstream ${upstream.host}:${upstream.port}: no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (err) => finish(err));
    socket.on('message', (reply) => {
      if (reply.length >= 12 && reply.readUInt16BE(0) === id) finish(undefined, reply);
    });
    socket.send(query, upstream.port, upstream.host, (err) => {
      if (err) finish(err);
    });
  });
}

/** One TCP query (2-byte length prefix, RFC 1035 4.2.2) and its answer. */
function exchangeTCP(upstream: UpstreamAddress, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(
      () => socket.destroy(new Error(`upstream ${upstream.host}:${upstream.port}: no TCP answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
    });
  });
}

export class Forwarder implements Upstream {
  readonly #upstreams: UpstreamAddress[];
  readonly #timeoutMs: number;
  readonly #cache: ResponseCache;

  constructor(options: ForwarderOptions) {
    this.#upstreams = options.upstreams;
    this.#timeoutMs = options.timeoutMs ?? 2000;
    this.#cache = options.cache ?? new ResponseCache();
  }

  async resolve(query: DecodedPacket, signal?: AbortSignal): Promise<Buffer> {
    const question = query.questions?.[0];
    const clientId = query.id ?? 0;
    if (question) {
      const cached = this.#cache.lookup(question, clientId);
      if (cached) return cached;
    }
    // the client's query (and its EDNS options) under a fresh id
    const raw = dnsPacket.encode({ ...query, id: randomInt(0, 0x10000) });
    let lastError: unknown = new Error('no upstream resolvers');
    for (const upstream of this.#upstreams) {
      try {
        let reply = await exchangeUDP(upstream, raw, this.#timeoutMs, signal);
        if (reply.readUInt16BE(2) & TC_BIT) reply = await exchangeTCP(upstream, raw, this.#timeoutMs);
        if (question) this.#cache.store(question, reply);
        const answer = Buffer.from(reply);
        answer.writeUInt16BE(clientId, 0);
        return answer;
      } catch (err) {
        lastError = err;
        if (signal?.aborted) break;
      }
    }
    throw lastError;
  }
}
