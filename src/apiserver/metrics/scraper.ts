/**
 * The metrics scraper (metrics-server's scraper): every --metric-resolution it fetches each
 * Ready node's /stats/summary from its kubelet with the apiserver's kubelet-client certificate
 * (its addresses tried in the preferred order, connections kept alive), and
 * stores the round: per node and container the cumulative CPU counter (usageCoreNanoSeconds)
 * and the memory working set, stamped with the time the answer arrived (the Summary's own times
 * are whole seconds). A node that fails or times out is left out of the round.
 */
import { Agent, request } from 'node:https';
import { asObj, objs, str } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import { type KubeletClientConfig, type KubeletEndpoint, kubeletEndpoint, NEXT_ADDRESS } from '../kubelet/kubelet-connection.js';
import type { MetricsBatch, MetricsPoint, MetricsStorage } from './metrics-storage.js';

export interface MetricsScraperOptions {
  kubelet: KubeletClientConfig;
  /** The nodes to scrape (the watch cache's). */
  nodes: () => readonly KubeObject[];
  storage: MetricsStorage;
  /** --metric-resolution: the time between rounds (metrics-server's default 15 s). */
  resolutionMs: number;
  /** --kubelet-request-timeout (metrics-server's default 10 s). */
  timeoutMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS_PER_SERVER = 16;

function isReady(node: KubeObject): boolean {
  return objs(asObj(node['status'])?.['conditions']).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

function time(v: unknown): number {
  const t = Date.parse(str(v));
  return Number.isNaN(t) ? 0 : t;
}

function point(stats: Record<string, unknown>, at: number, startTime: number): MetricsPoint | undefined {
  const cpu = asObj(stats['cpu'])?.['usageCoreNanoSeconds'];
  const memory = asObj(stats['memory'])?.['workingSetBytes'];
  if (typeof cpu !== 'number' || typeof memory !== 'number') return undefined;
  return { timestamp: at, cumulativeCpuNs: cpu, memoryBytes: memory, startTime };
}

/** Adds one node's Summary to the batch. */
export function addSummary(batch: MetricsBatch, nodeName: string, summary: unknown, at: number): void {
  const s = asObj(summary) ?? {};
  const node = asObj(s['node']);
  const np = node && point(node, at, 0);
  if (np) batch.nodes.set(nodeName, np);
  for (const pod of objs(s['pods'])) {
    const ref = asObj(pod['podRef']) ?? {};
    const containers = new Map<string, MetricsPoint>();
    for (const c of objs(pod['containers'])) {
      const cp = point(c, at, time(c['startTime']));
      if (cp) containers.set(str(c['name']), cp);
    }
    if (containers.size > 0) batch.pods.set(`${str(ref['namespace'])}/${str(ref['name'])}`, containers);
  }
}

export class MetricsScraper {
  readonly #o: MetricsScraperOptions;

  /** Kept-alive TLS connections with the kubelet-client certificate: simulated nodes share one kubelet server. */
  readonly #agent: Agent;

  constructor(options: MetricsScraperOptions) {
    this.#o = options;
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: MAX_CONNECTIONS_PER_SERVER,
      cert: options.kubelet.cert,
      key: options.kubelet.key,
      rejectUnauthorized: false,
    });
  }

  /** Scrapes every Ready node once and stores the round. */
  async scrape(): Promise<void> {
    const batch: MetricsBatch = { nodes: new Map(), pods: new Map() };
    const now = this.#o.now ?? Date.now;
    await Promise.all(
      this.#o
        .nodes()
        .filter(isReady)
        .map(async (node) => {
          const name = node.metadata.name ?? '';
          try {
            const summary = await this.#summary(node);
            addSummary(batch, name, summary, now());
          } catch (err) {
            this.#o.log?.(`metrics: unable to fetch metrics from node ${name}: ${(err as Error).message}`);
          }
        }),
    );
    this.#o.storage.store(batch);
  }

  /** Scrapes every resolution until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.#agent.destroy(), { once: true });
    while (!signal.aborted) {
      const started = Date.now();
      await this.scrape();
      const wait = Math.max(0, this.#o.resolutionMs - (Date.now() - started));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
  }

  async #summary(node: KubeObject): Promise<unknown> {
    const endpoint = kubeletEndpoint(node, this.#o.kubelet.preferredAddressTypes);
    let last: Error | undefined;
    for (const host of endpoint.hosts) {
      try {
        return await this.#get(host, endpoint);
      } catch (err) {
        last = err as Error;
        if (!NEXT_ADDRESS.has((err as NodeJS.ErrnoException).code ?? '')) break;
      }
    }
    throw last ?? new Error('no preferred addresses found; known addresses: []');
  }

  #get(host: string, endpoint: KubeletEndpoint): Promise<unknown> {
    const timeoutMs = this.#o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.#agent,
          host,
          port: endpoint.port,
          method: 'GET',
          path: '/stats/summary',
          // simulated nodes share one kubelet server, which tells them apart by the Host header; no
          // SNI from it, so that their requests share the kept-alive connections
          servername: '',
          headers: { host: `${endpoint.nodeName}:${endpoint.port}`, accept: 'application/json' },
          timeout: timeoutMs,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`request failed, status: "${res.statusCode} ${res.statusMessage ?? ''}"`));
            try {
              resolve(JSON.parse(body));
            } catch (err) {
              reject(err);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`context deadline exceeded (Client.Timeout exceeded after ${timeoutMs} ms)`)));
      req.on('error', reject);
      req.end();
    });
  }
}
