/**
 * The benchmark client: keep-alive HTTPS over node:https with one socket per concurrent
 * worker (maxSockets = concurrency), authenticating with the admin client certificate; the
 * agent is the client's one-origin agent, so the benchmark spends as little CPU as k8ts' own
 * clients do on each request.
 */
import { type Agent, request } from 'node:https';
import { OriginAgent } from '../src/client/transport.js';

export interface TlsCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface Reply {
  status: number;
  body: string;
  /** The Retry-After header (seconds), when the reply had one. */
  retryAfter?: number;
}

export interface HttpsClientOptions {
  /** https://127.0.0.1:PORT */
  baseUrl: string;
  tls: TlsCredentials;
  /** Sockets kept open; the number of concurrent workers. */
  maxSockets: number;
  /** Per-request timeout; defaults to 30 s. */
  timeoutMs?: number;
}

export class HttpsClient {
  readonly #agent: Agent;
  readonly #host: string;
  readonly #port: number;
  readonly #timeoutMs: number;

  constructor(options: HttpsClientOptions) {
    const url = new URL(options.baseUrl);
    this.#host = url.hostname.replace(/^\[|\]$/g, '');
    this.#port = Number(url.port || 443);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#agent = new OriginAgent({
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      ca: options.tls.caPem,
      cert: options.tls.certPem,
      key: options.tls.keyPem,
    });
  }

  /** One request; resolves with the status and the whole body, rejects on network errors only. */
  request(method: string, path: string, body?: string): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const headers: Record<string, string | number> = { Accept: 'application/json' };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const req = request({ host: this.#host, port: this.#port, method, path, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        const retryAfter = Number(res.headers['retry-after']);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ...(Number.isFinite(retryAfter) && res.headers['retry-after'] !== undefined ? { retryAfter } : {}),
          }),
        );
        res.on('error', reject);
      });
      req.setTimeout(this.#timeoutMs, () => req.destroy(new Error(`${method} ${path}: no reply in ${this.#timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Like request, but throws unless the status is one of `expected`. */
  async expect(expected: readonly number[], method: string, path: string, body?: string): Promise<Reply> {
    const reply = await this.request(method, path, body);
    if (!expected.includes(reply.status)) {
      throw new Error(`${method} ${path}: HTTP ${reply.status}: ${reply.body.slice(0, 200)}`);
    }
    return reply;
  }

  /** Closes every kept-alive socket. */
  close(): void {
    this.#agent.destroy();
  }
}
