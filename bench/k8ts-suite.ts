/**
 * The phases run against one live `k8ts server`: memory idle and after filling it with
 * ConfigMaps, then create / get / list / watch at each concurrency level.
 */
import { readFile } from 'node:fs/promises';
import { currentCredentials, parseKubeconfig } from '../src/pki/kubeconfig.js';
import { HttpsClient } from './https-client.js';
import { runLoad, type LoadResult } from './load.js';
import {
  configMapBody,
  configMapsPath,
  createConfigMaps,
  ensureNamespace,
  getPath,
  measure,
  type Bounds,
  type Operation,
  type Target,
} from './operations.js';
import { processMemory, type ProcessMemory } from './processes.js';
import { measureWatch, type WatchResult } from './watch-phase.js';

export interface SuiteSettings {
  levels: number[];
  bounds: Bounds;
  warmup: Bounds;
  /** ConfigMaps created before the "after N objects" memory reading. */
  fillObjects: number;
  /** ConfigMaps in the namespace the list phases read. */
  listObjects: number;
  watchCreators: number;
  watchBounds: Bounds;
}

export interface MeasuredOperation {
  operation: string;
  result: LoadResult;
}

export interface K8tsResults {
  idle: ProcessMemory;
  fill: LoadResult;
  afterFill: ProcessMemory;
  end: ProcessMemory;
  operations: MeasuredOperation[];
  watches: WatchResult[];
}

export type Log = (line: string) => void;

export const GET_NAME = 'bench-get';
export const CREATE_NAMESPACE = 'bench';
const LIST_NAMESPACE = 'bench-list';
const FILL_NAMESPACE = 'bench-fill';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The API server URL and client TLS material of the admin kubeconfig. */
export async function targetFromKubeconfig(path: string): Promise<Target> {
  const creds = currentCredentials(parseKubeconfig(await readFile(path, 'utf8')));
  const host = new URL(creds.server).hostname;
  if (host !== '127.0.0.1') throw new Error(`benchmarks talk to 127.0.0.1 only, kubeconfig says ${creds.server}`);
  return { url: creds.server, tls: { caPem: creds.caPem, certPem: creds.certPem, keyPem: creds.keyPem } };
}

/** Creates `count` ConfigMaps in `namespace` with 32 clients (bounded by count and 5 minutes). */
async function fill(target: Target, namespace: string, count: number): Promise<LoadResult> {
  const client = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: 32 });
  try {
    await ensureNamespace(client, namespace);
    return await runLoad({
      concurrency: 32,
      maxOps: count,
      maxMs: 300_000,
      op: (i) => client.expect([201], 'POST', configMapsPath(namespace), configMapBody(namespace, `fill-${i}`)),
    });
  } finally {
    client.close();
  }
}

function describe(r: LoadResult): string {
  const err = r.errors > 0 ? `, ${r.errors} errors (first: ${r.firstError ?? ''})` : '';
  return `${r.ops} ops in ${(r.elapsedMs / 1000).toFixed(1)} s = ${Math.round(r.throughput)} ops/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms${err}`;
}

export async function runK8tsSuite(pid: number, target: Target, settings: SuiteSettings, log: Log): Promise<K8tsResults> {
  await sleep(1000);
  const idle = processMemory(pid);
  log(`idle RSS ${idle.rssMiB.toFixed(1)} MiB`);

  const setup = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: 1 });
  try {
    await ensureNamespace(setup, CREATE_NAMESPACE);
    await setup.expect([201, 409], 'POST', configMapsPath(CREATE_NAMESPACE), configMapBody(CREATE_NAMESPACE, GET_NAME));
  } finally {
    setup.close();
  }

  const fillResult = await fill(target, FILL_NAMESPACE, settings.fillObjects);
  log(`fill ${settings.fillObjects} ConfigMaps: ${describe(fillResult)}`);
  await sleep(2000);
  const afterFill = processMemory(pid);
  log(`RSS after ${fillResult.ops} objects ${afterFill.rssMiB.toFixed(1)} MiB`);
  const listFill = await fill(target, LIST_NAMESPACE, settings.listObjects);
  if (listFill.errors > 0) log(`list namespace fill: ${describe(listFill)}`);

  const listPath = configMapsPath(LIST_NAMESPACE);
  const phases: { operation: string; make: (n: number) => Operation; warm?: (n: number) => Operation }[] = [
    {
      operation: 'create',
      make: (n) => createConfigMaps(CREATE_NAMESPACE, `c${n}`),
      warm: (n) => createConfigMaps(CREATE_NAMESPACE, `warm${n}`),
    },
    { operation: 'get', make: () => getPath('get', `${configMapsPath(CREATE_NAMESPACE)}/${GET_NAME}`) },
    { operation: `list limit=500 (storage, ${settings.listObjects} objs)`, make: () => getPath('list', `${listPath}?limit=500`) },
    { operation: `list no limit (cache, ${settings.listObjects} objs)`, make: () => getPath('list', listPath) },
  ];
  const operations: MeasuredOperation[] = [];
  for (const phase of phases) {
    for (const n of settings.levels) {
      const warmupOperation = phase.warm?.(n);
      const result = await measure(target, phase.make(n), {
        concurrency: n,
        bounds: settings.bounds,
        warmup: settings.warmup,
        ...(warmupOperation ? { warmupOperation } : {}),
      });
      operations.push({ operation: phase.operation, result });
      log(`${phase.operation} N=${n}: ${describe(result)}`);
    }
  }

  const watches: WatchResult[] = [];
  for (const n of settings.levels) {
    const w = await measureWatch(target, {
      namespace: `bench-watch-${n}`,
      watchers: n,
      creators: settings.watchCreators,
      bounds: settings.watchBounds,
    });
    watches.push(w);
    log(
      `watch W=${n}: ${w.delivered}/${w.expected} events, ${Math.round(w.eventsPerSecond)} events/s, p50 ${w.latency.p50.toFixed(2)} ms, p99 ${w.latency.p99.toFixed(2)} ms; creates ${describe(w.creates)}`,
    );
  }

  const end = processMemory(pid);
  return { idle, fill: fillResult, afterFill, end, operations, watches };
}
