/**
 * For tests and benchmarks: a bare dns-packet DNS server on UDP and TCP answering from a
 * function (no zone, no lookup) — the upstream resolver a test points --dns-upstream at, and
 * the baseline the DNS benchmark compares the cluster DNS server with. It counts the queries it
 * got; with `truncateUDP` every UDP answer goes back with TC and no records.
 */
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import dnsPacket, { type Answer, type Question } from 'dns-packet';

export interface StaticDnsServerOptions {
  host: string;
  /** Default 0: any free port. */
  port?: number;
  /** The records for a question; undefined: NXDOMAIN. */
  answer: (question: Question) => Answer[] | undefined;
  truncateUDP?: boolean;
}

export interface StaticDnsServer {
  readonly port: number;
  /** Queries received so far, by transport. */
  readonly queries: { udp: number; tcp: number };
  close(): Promise<void>;
}

function reply(message: Buffer, answer: StaticDnsServerOptions['answer'], truncate: boolean): Buffer | undefined {
  const query = dnsPacket.decode(message);
  const question = query.questions?.[0];
  if (!question) return undefined;
  const answers = answer(question);
  return dnsPacket.encode({
    id: query.id ?? 0,
    type: 'response',
    flags: dnsPacket.RECURSION_AVAILABLE | (truncate ? dnsPacket.TRUNCATED_RESPONSE : 0) | (answers ? 0 : 3),
    questions: [question],
    answers: truncate ? [] : (answers ?? []),
  });
}

export async function startStaticDnsServer(options: StaticDnsServerOptions): Promise<StaticDnsServer> {
  // port 0: the UDP port the kernel picks may be taken for TCP; try a few
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (options.port || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

async function startOnce(options: StaticDnsServerOptions): Promise<StaticDnsServer> {
  const queries = { udp: 0, tcp: 0 };
  const udp = createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (message, rinfo) => {
    queries.udp++;
    const out = reply(message, options.answer, options.truncateUDP === true);
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => udp.bind(options.port ?? 0, options.host, resolve));
  const port = udp.address().port;
  const connections = new Set<Socket>();
  const tcp = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + message.length);
        queries.tcp++;
        const out = reply(message, options.answer, false);
        if (!out) continue;
        const length = Buffer.alloc(2);
        length.writeUInt16BE(out.length);
        socket.write(Buffer.concat([length, out]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, options.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    throw err;
  });
  return {
    port,
    queries,
    close: async () => {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
