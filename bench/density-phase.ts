/**
 * Density: a k8ts server plus a `k8ts agent` process with N simulated nodes; D Deployments of R
 * replicas are created at once and the run lasts until every pod is Running (two watches count
 * bound and Running pods), bounded by `maxMs`. Meanwhile a separate client samples a GET and a
 * LIST of a small resource every 100 ms. Optionally the server runs under `node --cpu-prof`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCluster } from './cluster.js';
import { summarizeCpuProfile, type CpuProfile, type ProfileSummary } from './cpu-profile.js';
import { HttpsClient } from './https-client.js';
import type { LoadResult } from './load.js';
import { startLatencyProbe, type ProbeResult } from './latency-probe.js';
import { configMapBody, configMapsPath, ensureNamespace } from './operations.js';
import { watchPodProgress } from './pod-progress.js';
import { processMemory, type ProcessMemory } from './processes.js';
import { createMany, deploymentBody, deploymentsPath, podsPath } from './workloads.js';

export interface DensityOptions {
  entry: string;
  nodes: number;
  deployments: number;
  replicas: number;
  maxMs: number;
  cpuProfile: boolean;
  log: (line: string) => void;
}

export interface DensityResult {
  nodes: number;
  pods: number;
  nodesReadyMs: number;
  deployments: LoadResult;
  /** Pods that existed at the end (1 + remainingItemCount of a limit=1 list). */
  created: number;
  bound: number;
  running: number;
  completed: boolean;
  /** First Deployment create sent → last pod Running (or the deadline). */
  elapsedMs: number;
  podsPerSecond: number;
  probe: ProbeResult;
  serverMemory: ProcessMemory;
  agentMemory: ProcessMemory;
  /** CPU seconds each process used from the first Deployment POST to the end of the run. */
  serverCpuSeconds: number;
  agentCpuSeconds: number;
  /** With --cpu-prof: the server's threads. */
  profiles?: ThreadProfile[];
}

const NAMESPACE = 'density';
const PROBE_NAMESPACE = 'density-probe';

async function countPods(client: HttpsClient, namespace: string): Promise<number> {
  const reply = await client.request('GET', `${podsPath(namespace)}?limit=1`);
  if (reply.status !== 200) return Number.NaN;
  const list = JSON.parse(reply.body) as { items: unknown[]; metadata?: { remainingItemCount?: number } };
  return list.items.length + (list.metadata?.remainingItemCount ?? 0);
}

/** One thread's CPU profile: the API server's, or the components' worker thread's. */
export interface ThreadProfile {
  thread: string;
  summary: ProfileSummary;
}

/**
 * The server's profiles, one per thread (node names them CPU.<date>.<time>.<pid>.<thread>.<n>),
 * with bundle positions mapped through the bundle's source map (dist/*.mjs.map) when present.
 */
async function readProfiles(dir: string, entry: string, role: 'server' | 'agent'): Promise<ThreadProfile[]> {
  const files = existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort() : [];
  const out: ThreadProfile[] = [];
  for (const file of files) {
    const raw = await readFile(join(dir, file), 'utf8');
    const main = file.split('.')[4] === '0';
    const thread = role === 'agent' ? 'agent' : main ? 'API server thread' : 'components thread';
    // K8TS_BENCH_PROFILE_OUT=prefix keeps the raw profiles (for Chrome DevTools or speedscope)
    const keep = process.env.K8TS_BENCH_PROFILE_OUT;
    if (keep) await writeFile(`${keep}.${role}.${out.length}.cpuprofile`, raw);
    const profile = JSON.parse(raw) as CpuProfile;
    const bundle = profile.nodes.some((n) => n.callFrame.url.endsWith('k8ts-components.mjs')) ? 'k8ts-components.mjs' : 'k8ts.mjs';
    const mapFile = join(dirname(entry), '..', 'dist', `${bundle}.map`);
    const sourceMap = existsSync(mapFile) ? (JSON.parse(await readFile(mapFile, 'utf8')) as SourceMapPayload) : undefined;
    out.push({ thread, summary: summarizeCpuProfile(profile, { top: 15, ...(sourceMap ? { sourceMap } : {}) }) });
  }
  return out;
}

export async function measureDensity(options: DensityOptions): Promise<DensityResult> {
  const { log } = options;
  const total = options.deployments * options.replicas;
  const profileDir = options.cpuProfile ? await mkdtemp(join(tmpdir(), 'k8ts-bench-prof-')) : undefined;
  try {
    const cluster = await startCluster({
      entry: options.entry,
      nodes: options.nodes,
      log,
      ...(profileDir
        ? {
            serverNodeArgs: ['--cpu-prof', '--cpu-prof-dir', join(profileDir, 'server')],
            agentNodeArgs: ['--cpu-prof', '--cpu-prof-dir', join(profileDir, 'agent')],
          }
        : {}),
    });
    let result: Omit<DensityResult, 'profiles'>;
    try {
      const client = new HttpsClient({ baseUrl: cluster.target.url, tls: cluster.target.tls, maxSockets: 8 });
      try {
        await ensureNamespace(client, NAMESPACE);
        await ensureNamespace(client, PROBE_NAMESPACE);
        for (let i = 0; i < 10; i++) {
          await client.expect([201], 'POST', configMapsPath(PROBE_NAMESPACE), configMapBody(PROBE_NAMESPACE, `probe-${i}`));
        }
        const bound = await watchPodProgress(cluster.target, NAMESPACE, 'spec.nodeName!=');
        const running = await watchPodProgress(cluster.target, NAMESPACE, 'status.phase=Running');
        const probe = startLatencyProbe(cluster.target, {
          getPath: `${configMapsPath(PROBE_NAMESPACE)}/probe-0`,
          listPath: configMapsPath(PROBE_NAMESPACE),
        });
        const cpuAtStart = {
          server: processMemory(cluster.server.pid as number).cpuSeconds,
          agent: processMemory(cluster.agent.pid as number).cpuSeconds,
        };
        const t0 = performance.now();
        const deadline = t0 + options.maxMs;
        let completed = false;
        let deployments: LoadResult;
        let probeResult: ProbeResult;
        try {
          deployments = await createMany(client, {
            count: options.deployments,
            concurrency: 8,
            maxMs: options.maxMs,
            path: deploymentsPath(NAMESPACE),
            body: (i) => deploymentBody(NAMESPACE, `dep-${i}`, options.replicas),
          });
          log(`created ${deployments.ops} Deployments × ${options.replicas} in ${(deployments.elapsedMs / 1000).toFixed(1)} s`);
          completed = await running.waitFor(total, deadline, (n) => log(`${bound.count} bound, ${n} Running of ${total}`));
        } finally {
          probeResult = await probe.stop();
          bound.close();
          running.close();
        }
        const elapsedMs = (completed ? running.lastAt : performance.now()) - t0;
        const serverMemory = processMemory(cluster.server.pid as number);
        const agentMemory = processMemory(cluster.agent.pid as number);
        const created = await countPods(client, NAMESPACE);
        result = {
          nodes: options.nodes,
          pods: total,
          nodesReadyMs: cluster.nodesReadyMs,
          deployments,
          created,
          bound: bound.count,
          running: running.count,
          completed,
          elapsedMs,
          podsPerSecond: (running.count * 1000) / elapsedMs,
          probe: probeResult,
          serverMemory,
          agentMemory,
          serverCpuSeconds: serverMemory.cpuSeconds - cpuAtStart.server,
          agentCpuSeconds: agentMemory.cpuSeconds - cpuAtStart.agent,
        };
      } finally {
        client.close();
      }
    } finally {
      await cluster.stop();
    }
    const profiles = profileDir
      ? [
          ...(await readProfiles(join(profileDir, 'server'), options.entry, 'server')),
          ...(await readProfiles(join(profileDir, 'agent'), options.entry, 'agent')),
        ]
      : undefined;
    return { ...result, ...(profiles ? { profiles } : {}) };
  } finally {
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  }
}
