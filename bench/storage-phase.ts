/**
 * The storage phase: N claims of the default class local-path (WaitForFirstConsumer), each used
 * by one pod, on simulated nodes (an agent process): the time until every claim is Bound and
 * every pod Running — the scheduler's VolumeBinding, the agents' local-path provisioner and the
 * PV controller in one path — then, after deleting pods and claims, until every provisioned PV
 * is gone (reclaim Delete). Bounded by maxMs; prints claims bound per second.
 */
import { performance } from 'node:perf_hooks';
import type { PhaseOutcome } from './api-phase.js';
import { startCluster } from './cluster.js';
import { HttpsClient } from './https-client.js';
import { fixed, renderTable } from './report.js';
import { createMany, podsPath } from './workloads.js';

export interface StoragePhaseOptions {
  entry: string;
  nodes: number;
  claims: number;
  maxMs: number;
  log: (line: string) => void;
}

interface StorageResult {
  bindMs: number;
  reclaimMs: number;
}

const NS = 'default';
const CLAIMS = `/api/v1/namespaces/${NS}/persistentvolumeclaims`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function claimBody(i: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: `data-${i}` },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
}

function podBody(i: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `user-${i}` },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        { name: 'c', image: 'busybox', resources: { requests: { cpu: '10m' } }, volumeMounts: [{ name: 'd', mountPath: '/d' }] },
      ],
      volumes: [{ name: 'd', persistentVolumeClaim: { claimName: `data-${i}` } }],
    },
  });
}

async function count(client: HttpsClient, path: string, match: (item: Record<string, unknown>) => boolean): Promise<number> {
  const list = JSON.parse((await client.expect([200], 'GET', path)).body) as { items: Record<string, unknown>[] };
  return list.items.filter(match).length;
}

const phase = (o: Record<string, unknown>) => (o['status'] as { phase?: string } | undefined)?.phase;

async function until(what: string, deadline: number, check: () => Promise<boolean>, progress: () => Promise<string>): Promise<void> {
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what}: not in time (${await progress()})`);
    await sleep(250);
  }
}

async function measure(options: StoragePhaseOptions): Promise<StorageResult> {
  const cluster = await startCluster({ entry: options.entry, nodes: options.nodes, log: options.log });
  const client = new HttpsClient({ baseUrl: cluster.target.url, tls: cluster.target.tls, maxSockets: 16 });
  try {
    const deadline = performance.now() + options.maxMs;
    const state = async (): Promise<string> => {
      const pvs = JSON.parse((await client.expect([200], 'GET', '/api/v1/persistentvolumes')).body) as { items: Record<string, unknown>[] };
      const phases = new Map<string, number>();
      for (const v of pvs.items) phases.set(String(phase(v)), (phases.get(String(phase(v))) ?? 0) + 1);
      const claims = await count(client, CLAIMS, () => true);
      return `${claims} claims, PVs ${[...phases].map(([p, c]) => `${p}=${c}`).join(' ') || 'none'}`;
    };
    const n = options.claims;
    const t0 = performance.now();
    await createMany(client, { count: n, concurrency: 16, maxMs: options.maxMs, path: CLAIMS, body: claimBody });
    await createMany(client, { count: n, concurrency: 16, maxMs: options.maxMs, path: podsPath(NS), body: podBody });
    await until(
      'claims Bound and pods Running',
      deadline,
      async () => {
        const bound = await count(client, CLAIMS, (c) => phase(c) === 'Bound');
        const running = await count(client, podsPath(NS), (p) => phase(p) === 'Running');
        return bound === n && running === n;
      },
      state,
    );
    const bindMs = performance.now() - t0;
    options.log(`${n} claims Bound, ${n} pods Running after ${fixed(bindMs / 1000)} s`);
    const t1 = performance.now();
    await client.expect([200], 'DELETE', `${podsPath(NS)}?gracePeriodSeconds=0`);
    await until('pods gone', deadline, async () => (await count(client, podsPath(NS), () => true)) === 0, state);
    await client.expect([200], 'DELETE', CLAIMS);
    await until(
      'provisioned PVs deleted',
      deadline,
      async () => (await count(client, '/api/v1/persistentvolumes', () => true)) === 0,
      state,
    );
    const reclaimMs = performance.now() - t1;
    options.log(`every PV reclaimed ${fixed(reclaimMs / 1000)} s after deleting the pods`);
    return { bindMs, reclaimMs };
  } finally {
    client.close();
    await cluster.stop();
  }
}

export async function runStoragePhase(options: StoragePhaseOptions): Promise<PhaseOutcome> {
  console.log(
    `\nstorage: ${options.claims} local-path claims, one pod each, on ${options.nodes} simulated nodes, ≤ ${options.maxMs / 1000} s`,
  );
  let result: StorageResult | undefined;
  let error: string | undefined;
  try {
    result = await measure(options);
  } catch (err) {
    error = (err as Error).message;
    options.log(`storage failed: ${error}`);
  }
  return {
    failed: result === undefined,
    print: () => {
      if (!result) return console.log(`storage: no results (${error ?? 'unknown error'})`);
      const perSecond = options.claims / (result.bindMs / 1000);
      console.log(
        renderTable(
          [{ title: 'what' }, { title: 'seconds', right: true }, { title: 'claims/s', right: true }],
          [
            [`${options.claims} claims provisioned + bound, pods Running`, fixed(result.bindMs / 1000), fixed(perSecond)],
            [`pods and claims deleted → PVs reclaimed`, fixed(result.reclaimMs / 1000), fixed(options.claims / (result.reclaimMs / 1000))],
          ],
        ),
      );
    },
  };
}
