/** A small HTTPS client for tests, authenticated with a kubeconfig's client certificate. */
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface KubeconfigTLS {
  server: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

interface KubeconfigFile {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

export function readKubeconfig(path: string): KubeconfigTLS {
  const kc = parse(readFileSync(path, 'utf8')) as KubeconfigFile;
  const cluster = kc.clusters[0]?.cluster;
  const user = kc.users[0]?.user;
  if (!cluster || !user) throw new Error(`kubeconfig ${path} has no cluster or user`);
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
    cert: Buffer.from(user['client-certificate-data'], 'base64'),
    key: Buffer.from(user['client-key-data'], 'base64'),
  };
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = unknown>(): T;
}

export class ApiClient {
  readonly #tls: KubeconfigTLS;
  readonly #agent: Agent;

  constructor(kubeconfig: string, options: { anonymous?: boolean; maxSockets?: number } = {}) {
    this.#tls = readKubeconfig(kubeconfig);
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 8,
      ca: this.#tls.ca,
      ...(options.anonymous ? {} : { cert: this.#tls.cert, key: this.#tls.key }),
    });
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(path, this.#tls.server);
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.#agent,
          headers: {
            // Node sends DELETE bodies unframed unless told their length
            ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
            Accept: 'application/json',
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.end(payload);
      else req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
