/**
 * The node DNS server's Prometheus metrics on port 9153 (kube-dns' `metrics` port), named as
 * CoreDNS names them: coredns_dns_requests_total by server, zone, proto, family and type, and
 * coredns_dns_responses_total by server, zone and rcode. The zone is the cluster domain for the
 * zone's own answers and "." for forwarded ones.
 *
 *   new DnsMetrics({ server: 'dns://10.0.0.5:53' }).observe({ zone, proto, type, reply })
 *   serveMetrics(metrics, host, port): Promise<MetricsServer>
 */
import { createServer } from 'node:http';

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

export interface DnsMetricsOptions {
  /** CoreDNS' server label, e.g. dns://10.0.0.5:53. */
  server: string;
}

export class DnsMetrics {
  readonly #server: string;
  readonly #family: string;
  /** Counts by `zone proto type` and by `zone rcode` (labels are spelled out when rendered). */
  readonly #requests = new Map<string, number>();
  readonly #responses = new Map<string, number>();

  constructor(options: DnsMetricsOptions) {
    this.#server = options.server;
    this.#family = options.server.includes('[') ? '2' : '1';
  }

  /** Counts one answered query: its zone (the cluster domain with a dot, or "."), transport, type and reply. */
  observe(o: { zone: string; proto: 'udp' | 'tcp'; type: string; reply: Buffer }): void {
    const request = `${o.zone} ${o.proto} ${o.type}`;
    this.#requests.set(request, (this.#requests.get(request) ?? 0) + 1);
    const rcode = RCODES[o.reply.length >= 4 ? o.reply.readUInt16BE(2) & 0xf : 2] ?? 'SERVFAIL';
    const response = `${o.zone} ${rcode}`;
    this.#responses.set(response, (this.#responses.get(response) ?? 0) + 1);
  }

  /** The Prometheus text exposition. */
  render(): string {
    const family = (name: string, help: string, samples: Map<string, number>, labels: (parts: string[]) => string): string[] => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} counter`,
      ...[...samples].map(([key, value]) => `${name}{${labels(key.split(' '))}} ${value}`),
    ];
    const server = `server="${this.#server}"`;
    return [
      ...family(
        'coredns_dns_requests_total',
        'Counter of DNS requests made per zone, protocol and family.',
        this.#requests,
        ([zone, proto, type]) => `${server},zone="${zone}",view="",proto="${proto}",family="${this.#family}",type="${type}"`,
      ),
      ...family(
        'coredns_dns_responses_total',
        'Counter of response status codes.',
        this.#responses,
        ([zone, rcode]) => `${server},zone="${zone}",view="",rcode="${rcode}",plugin=""`,
      ),
      '',
    ].join('\n');
  }
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves GET /metrics on `host`:`port` (0: any free port). */
export async function serveMetrics(metrics: DnsMetrics, host: string, port: number): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
