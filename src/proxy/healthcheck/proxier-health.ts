/**
 * kube-proxy's own health server (upstream's ProxierHealthServer): `GET /healthz` and `/livez` on
 * --healthz-bind-address (0.0.0.0:10256) answer upstream's JSON body
 *
 *   {"lastUpdated": "2026-12-06 17:40:01.123 +0000 UTC","currentTime": "…"}
 *
 * (times as Go prints a time.Time) with 200 while the proxy keeps up, 503 when a sync fell due
 * more than the health timeout (2 × the sync period, as upstream) ago and none succeeded since.
 *
 *   new ProxierHealth({ healthTimeoutMs }): SyncHealth with status()
 *   startProxierHealthServer({ host, port, health }): Promise<HealthServer>
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SyncHealth } from '../interface.js';

export interface ProxierHealthOptions {
  /** How long a due sync may wait before the proxy is unhealthy. */
  healthTimeoutMs: number;
  /** Epoch milliseconds (tests pass a clock). */
  now?: () => number;
}

export interface ProxierHealthStatus {
  healthy: boolean;
  /** When the last sync succeeded (undefined: none yet). */
  lastUpdated: number | undefined;
  currentTime: number;
}

export class ProxierHealth implements SyncHealth {
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #lastUpdated: number | undefined;
  #oldestPending: number | undefined;

  constructor(options: ProxierHealthOptions) {
    this.#timeoutMs = options.healthTimeoutMs;
    this.#now = options.now ?? Date.now;
  }

  queued(): void {
    this.#oldestPending ??= this.#now();
  }

  synced(): void {
    this.#lastUpdated = this.#now();
    this.#oldestPending = undefined;
  }

  status(): ProxierHealthStatus {
    const currentTime = this.#now();
    const healthy = this.#oldestPending === undefined || currentTime - this.#oldestPending <= this.#timeoutMs;
    return { healthy, lastUpdated: this.#lastUpdated, currentTime };
  }
}

/** A time as Go's time.Time String() prints it in UTC (the zero time without one). */
export function goTimeString(ms: number | undefined): string {
  if (ms === undefined) return '0001-01-01 00:00:00 +0000 UTC';
  const iso = new Date(ms).toISOString(); // 2026-12-06T17:40:01.120Z
  const fraction = iso.slice(19, 23).replace(/\.?0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction} +0000 UTC`;
}

/** A listening health server. */
export interface HealthServer {
  /** The port it listens on (the one picked for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Headers every health answer carries, as upstream's. */
export function writeHealthJSON(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

export interface ProxierHealthServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  health: ProxierHealth;
}

export async function startProxierHealthServer(options: ProxierHealthServerOptions): Promise<HealthServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/healthz' && path !== '/livez') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('404 page not found\n');
      return;
    }
    const { healthy, lastUpdated, currentTime } = options.health.status();
    const body = `{"lastUpdated": ${JSON.stringify(goTimeString(lastUpdated))},"currentTime": ${JSON.stringify(goTimeString(currentTime))}}`;
    writeHealthJSON(res, healthy ? 200 : 503, body);
  });
  return listen(server, options.host, options.port);
}

/** Listens on host:port; rejects with the listen error (EADDRINUSE …). */
export function listen(server: Server, host: string, port: number): Promise<HealthServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
