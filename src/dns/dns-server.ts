/**
 * The node's DNS server: UDP and TCP on one address and port (53 on the node IP). A question in
 * the cluster zone gets the zone's authoritative answer; any other goes to the upstream
 * resolvers. A UDP answer larger than the client takes (512 bytes, or its EDNS buffer size) goes
 * back truncated (TC, no records), and the client asks again over TCP (RFC 7766). The zone's
 * encoded answers are kept by query bytes (all but the id) until the zone's generation changes,
 * so a repeated question costs a map lookup instead of a lookup and an encoding. An ExternalName's
 * CNAME to a name outside the zone comes with the target's addresses from upstream.
 *
 *   new DnsServer({ zone, upstream }).listen(port, host): Promise<number>
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type OptAnswer, type Packet, type Question } from 'dns-packet';
import type { DnsMetrics } from './metrics.js';
import { canonicalName, inZone } from './names.js';
import { type ClusterZone, type Rcode, rcodeNumber, type Upstream, type ZoneAnswer } from './interface.js';

export interface DnsServerOptions {
  zone: ClusterZone;
  upstream: Upstream;
  /** Called with failures that answer SERVFAIL (an upstream that did not answer). */
  onError?: (err: unknown) => void;
  /** Counts every answer (metrics.ts). */
  metrics?: DnsMetrics;
}

const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const TC = dnsPacket.TRUNCATED_RESPONSE;
const RD = dnsPacket.RECURSION_DESIRED;
const RA = dnsPacket.RECURSION_AVAILABLE;
/** The EDNS buffer size the server offers (the DNS flag day 2020 value). */
const EDNS_BUFFER = 1232;
const TCP_IDLE_MS = 10_000;
/** How many encoded zone answers the server keeps (all are dropped when it is full). */
const MAX_KEPT_ANSWERS = 10_000;

function clientOpt(query: DecodedPacket): OptAnswer | undefined {
  return query.additionals?.find((a): a is OptAnswer => a.type === 'OPT');
}

/** The largest UDP response the client takes. */
function udpLimit(query: DecodedPacket): number {
  const opt = clientOpt(query);
  return opt ? Math.max(512, Math.min(opt.udpPayloadSize, 4096)) : 512;
}

function serverOpt(query: DecodedPacket): Answer[] {
  return clientOpt(query)
    ? [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_BUFFER, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
    : [];
}

/** A response to `query` with `rcode` and the given sections. */
function response(query: DecodedPacket, rcode: Rcode, flags: number, sections: Omit<ZoneAnswer, 'rcode'>): Packet {
  return {
    id: query.id ?? 0,
    type: 'response',
    flags: flags | ((query.flags ?? 0) & RD) | RA | rcodeNumber[rcode],
    questions: query.questions ?? [],
    answers: sections.answers,
    authorities: sections.authorities,
    additionals: [...sections.additionals, ...serverOpt(query)],
  };
}

const EMPTY = { answers: [], authorities: [], additionals: [] };

/** Where answers are encoded before being copied out: spares dns-packet's zero-filled allocation and its length pass. */
const scratch = Buffer.allocUnsafe(65535);
/** Records up to which a message surely fits the scratch buffer (a record takes at most ~530 bytes). */
const SCRATCH_RECORDS = 100;

/** dnsPacket.encode, through the scratch buffer when the message surely fits it. */
function encode(packet: Packet): Buffer {
  const records = (packet.answers?.length ?? 0) + (packet.authorities?.length ?? 0) + (packet.additionals?.length ?? 0);
  if (records > SCRATCH_RECORDS) return dnsPacket.encode(packet);
  dnsPacket.encode(packet, scratch, 0);
  return Buffer.from(scratch.subarray(0, dnsPacket.encode.bytes));
}

/** An answer that did not fit: the header with TC and the question, nothing else. */
function truncated(query: DecodedPacket, full: Buffer): Buffer {
  const flags = full.readUInt16BE(2) & 0x7fff;
  return dnsPacket.encode({ ...response(query, 'NOERROR', AA, EMPTY), flags: flags | TC });
}

function deliver(reply: Buffer | Promise<Buffer> | undefined, send: (reply: Buffer) => void): void {
  if (reply === undefined) return;
  if (Buffer.isBuffer(reply)) send(reply);
  else void reply.then(send);
}

export class DnsServer {
  readonly #zone: ClusterZone;
  readonly #upstream: Upstream;
  readonly #onError: (err: unknown) => void;
  readonly #abort = new AbortController();
  readonly #connections = new Set<TcpSocket>();
  readonly #metrics: DnsMetrics | undefined;
  readonly #kept = new Map<string, { reply: Buffer; type: string }>();
  #keptGeneration = -1;
  #udp: Socket | undefined;
  #tcp: Server | undefined;

  constructor(options: DnsServerOptions) {
    this.#zone = options.zone;
    this.#upstream = options.upstream;
    this.#onError = options.onError ?? (() => undefined);
    this.#metrics = options.metrics;
  }

  /** Listens on UDP and TCP `host`:`port` (0: a free port both have); resolves with the port. */
  async listen(port: number, host: string): Promise<number> {
    // port 0: the UDP port the kernel picks may be taken for TCP; try a few
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#listenOnce(port, host);
      } catch (err) {
        if (port !== 0 || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
  }

  async #listenOnce(port: number, host: string): Promise<number> {
    const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    udp.on('message', (msg, rinfo) => this.#onUDP(msg, rinfo));
    udp.on('error', (err) => this.#onError(err));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    this.#udp = udp;
    const bound = udp.address().port;
    const tcp = createServer((socket) => this.#onTCP(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(bound, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.#udp = undefined;
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      throw err;
    }
    this.#tcp = tcp;
    return bound;
  }

  /**
   * The response to one query message, or undefined to drop it (not a query, or too short to
   * answer). Over UDP, an answer larger than the client takes goes back truncated.
   */
  handle(message: Buffer, transport: 'udp' | 'tcp'): Buffer | Promise<Buffer> | undefined {
    if (this.#keptGeneration !== this.#zone.generation) {
      this.#kept.clear();
      this.#keptGeneration = this.#zone.generation;
    }
    const key = message.length >= 12 ? `${transport}${message.toString('latin1', 2)}` : '';
    const kept = this.#kept.get(key);
    if (kept) {
      const reply = Buffer.from(kept.reply);
      reply.writeUInt16BE(message.readUInt16BE(0), 0);
      return this.#count(transport, this.#zoneLabel(), kept.type, reply);
    }
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      if (message.length < 12 || message.readUInt16BE(2) & 0x8000) return undefined;
      return dnsPacket.encode({ id: message.readUInt16BE(0), type: 'response', flags: rcodeNumber.FORMERR, questions: [] });
    }
    if (query.type === 'response') return undefined;
    const question = query.questions?.[0];
    if ((((query.flags ?? 0) >> 11) & 0xf) !== 0) return dnsPacket.encode(response(query, 'NOTIMP', 0, EMPTY));
    if (!question || query.questions?.length !== 1) return dnsPacket.encode(response(query, 'FORMERR', 0, EMPTY));
    const limit = transport === 'udp' ? udpLimit(query) : 65535;
    const local = this.#zone.answer(question);
    const external = local && this.#externalTarget(question, local);
    if (local && external) {
      return this.#chase(query, local, external, limit).then((reply) => this.#count(transport, this.#zoneLabel(), question.type, reply));
    }
    if (local) {
      const full = encode(response(query, local.rcode, AA, local));
      const reply = full.length > limit ? truncated(query, full) : full;
      if (this.#kept.size >= MAX_KEPT_ANSWERS) this.#kept.clear();
      // the reply is this call's own (callers send it and do not change it); hits copy it before writing their id
      this.#kept.set(key, { reply, type: question.type });
      return this.#count(transport, this.#zoneLabel(), question.type, reply);
    }
    return this.#upstream
      .resolve(query, this.#abort.signal)
      .then(
        (full) => (full.length > limit ? truncated(query, full) : full),
        (err: unknown) => {
          this.#onError(err);
          return dnsPacket.encode(response(query, 'SERVFAIL', 0, EMPTY));
        },
      )
      .then((reply) => this.#count(transport, '.', question.type, reply));
  }

  /** The zone label of the zone's own answers in metrics: the domain with its dot. */
  #zoneLabel(): string {
    return this.#zone.domain ? `${this.#zone.domain}.` : '.';
  }

  #count(transport: 'udp' | 'tcp', zone: string, type: string, reply: Buffer): Buffer {
    this.#metrics?.observe({ zone, proto: transport, type, reply });
    return reply;
  }

  /** The target of an ExternalName's CNAME outside the zone, when the question wants addresses. */
  #externalTarget(question: Question, local: ZoneAnswer): string | undefined {
    if (question.type !== 'A' && question.type !== 'AAAA') return undefined;
    const last = local.answers.at(-1);
    if (last?.type !== 'CNAME') return undefined;
    return inZone(canonicalName(last.data), this.#zone.domain) ? undefined : last.data;
  }

  /**
   * The CNAME with the target's addresses from the upstream resolvers appended (CoreDNS resolves
   * external CNAME targets the same way); the CNAME alone when they do not answer.
   */
  async #chase(query: DecodedPacket, local: ZoneAnswer, target: string, limit: number): Promise<Buffer> {
    const question = query.questions?.[0] as Question;
    const ask = dnsPacket.decode(
      dnsPacket.encode({ id: query.id ?? 0, type: 'query', flags: RD, questions: [{ name: target, type: question.type, class: 'IN' }] }),
    );
    const found = await this.#upstream.resolve(ask, this.#abort.signal).then(
      (reply) => (dnsPacket.decode(reply).answers ?? []).filter((a) => a.type !== 'OPT'),
      (err: unknown) => {
        this.#onError(err);
        return [];
      },
    );
    const full = dnsPacket.encode(response(query, local.rcode, AA, { ...local, answers: [...local.answers, ...found] }));
    return full.length > limit ? truncated(query, full) : full;
  }

  #onUDP(message: Buffer, rinfo: RemoteInfo): void {
    const udp = this.#udp;
    const send = (reply: Buffer): void => udp?.send(reply, rinfo.port, rinfo.address);
    deliver(this.handle(message, 'udp'), send);
  }

  #onTCP(socket: TcpSocket): void {
    this.#connections.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('close', () => this.#connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    const send = (reply: Buffer): void => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(reply.length);
      if (!socket.destroyed) socket.write(Buffer.concat([length, reply]));
    };
    socket.on('data', (chunk) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + message.length);
        deliver(this.handle(message, 'tcp'), send);
      }
    });
  }

  /** Stops answering: closes both sockets, open TCP connections and pending upstream queries. */
  async close(): Promise<void> {
    this.#abort.abort();
    for (const socket of this.#connections) socket.destroy();
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    await Promise.all([
      udp ? new Promise<void>((resolve) => udp.close(() => resolve())) : undefined,
      tcp ? new Promise<void>((resolve) => tcp.close(() => resolve())) : undefined,
    ]);
  }
}
