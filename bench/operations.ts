/**
 * The measured operations (create, get, list) as closed-loop phases against any target that
 * speaks the same HTTPS: the k8ts API server or the baseline echo server.
 */
import { HttpsClient, type TlsCredentials } from './https-client.js';
import { runLoad, type LoadResult } from './load.js';

export interface Target {
  /** https://127.0.0.1:PORT */
  url: string;
  tls: TlsCredentials;
}

export interface Bounds {
  maxMs: number;
  maxOps: number;
}

/** An operation: `run(client, i)` performs request number i and throws on a wrong status. */
export interface Operation {
  label: string;
  run(client: HttpsClient, i: number): Promise<unknown>;
}

export const configMapsPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/configmaps`;

/** A small ConfigMap, as the create body. */
export function configMapBody(namespace: string, name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { app: 'bench' } },
    data: { key: 'value', index: name },
  });
}

/** POST a new ConfigMap named `<prefix>-<i>`. */
export function createConfigMaps(namespace: string, prefix: string): Operation {
  const path = configMapsPath(namespace);
  return {
    label: 'create',
    run: (client, i) => client.expect([201], 'POST', path, configMapBody(namespace, `${prefix}-${i}`)),
  };
}

/** GET one path, expecting 200. */
export function getPath(label: string, path: string): Operation {
  return { label, run: (client) => client.expect([200], 'GET', path) };
}

export async function ensureNamespace(client: HttpsClient, name: string): Promise<void> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await client.expect([201, 409], 'POST', '/api/v1/namespaces', body);
}

export interface MeasureOptions {
  concurrency: number;
  bounds: Bounds;
  /** Unmeasured operations first (JIT, TLS sessions, caches). */
  warmup?: Bounds;
  /** A different operation for the warm-up (e.g. creates under other names). */
  warmupOperation?: Operation;
}

/** A fresh keep-alive client with `concurrency` sockets, an optional warm-up, then the phase. */
export async function measure(target: Target, operation: Operation, options: MeasureOptions): Promise<LoadResult> {
  const client = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: options.concurrency });
  try {
    if (options.warmup) {
      const warm = options.warmupOperation ?? operation;
      await runLoad({ concurrency: options.concurrency, ...options.warmup, op: (i) => warm.run(client, i) });
    }
    return await runLoad({ concurrency: options.concurrency, ...options.bounds, op: (i) => operation.run(client, i) });
  } finally {
    client.close();
  }
}
