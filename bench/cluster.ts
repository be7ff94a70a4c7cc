/**
 * A benchmark cluster on 127.0.0.1: one `k8ts server` process (API server, controller manager,
 * scheduler) and, for startCluster, one `k8ts agent --runtime fake` process running N simulated
 * nodes, each started by us and stopped by PID; the data dir is removed on stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HttpsClient } from './https-client.js';
import { targetFromKubeconfig } from './k8ts-suite.js';
import type { Target } from './operations.js';
import { stopChild } from './processes.js';
import { controlPlaneOnly } from '../test/support/server.js';

export interface ServerOptions {
  /** bin/k8ts.js */
  entry: string;
  /** Extra Node.js flags for the server process (e.g. --cpu-prof). */
  serverNodeArgs?: string[];
  /** Extra `k8ts server` flags. */
  serverArgs?: string[];
  log?: (line: string) => void;
}

export interface Server {
  target: Target;
  kubeconfig: string;
  dataDir: string;
  server: ChildProcess;
  /** SIGTERM the process by PID (SIGKILL after a grace period), then remove the data dir. */
  stop(): Promise<void>;
}

export interface ClusterOptions extends ServerOptions {
  nodes: number;
  /** Node name prefix of the agent's nodes. */
  nodePrefix?: string;
  /** Extra Node.js flags for the agent process. */
  agentNodeArgs?: string[];
  /** How long the nodes may take to register and become Ready. */
  readyTimeoutMs?: number;
}

export interface Cluster extends Server {
  agent: ChildProcess;
  /** ms from spawning the agent until every node reported Ready. */
  nodesReadyMs: number;
  /** SIGTERM both processes by PID (SIGKILL after a grace period), then remove the data dir. */
  stop(): Promise<void>;
}

/** A /10 leaves room for 16,384 node /24s (the default /16 has 256). */
const CLUSTER_CIDR = '100.64.0.0/10';
const START_TIMEOUT_MS = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function spawnLogged(args: string[], name: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer): void => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (err) => keep(Buffer.from(`${name}: ${err.message}\n`)));
  return { child, output: () => out };
}

async function waitForLine(child: ChildProcess, output: () => string, pattern: RegExp, name: string): Promise<RegExpExecArray> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    const m = pattern.exec(output());
    if (m) return m;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited early: ${output().slice(-1000)}`);
    if (performance.now() > deadline) throw new Error(`${name} not ready in ${START_TIMEOUT_MS} ms: ${output().slice(-1000)}`);
    await sleep(20);
  }
}

interface NodeList {
  items: { status?: { conditions?: { type: string; status: string }[] } }[];
  metadata?: { continue?: string };
}

/** Counts nodes whose Ready condition is True (paged lists of 500). */
export async function countReadyNodes(client: HttpsClient): Promise<number> {
  let ready = 0;
  let token = '';
  for (let page = 0; page < 1000; page++) {
    const path = `/api/v1/nodes?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const list = JSON.parse((await client.expect([200], 'GET', path)).body) as NodeList;
    for (const n of list.items) if (n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready++;
    token = list.metadata?.continue ?? '';
    if (!token) break;
  }
  return ready;
}

/** Starts one `k8ts server` on 127.0.0.1 (random port, its own data dir) and waits for it to be ready. */
export async function startServer(options: ServerOptions): Promise<Server> {
  const log = options.log ?? (() => undefined);
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-cluster-'));
  const serverArgs = [
    ...(options.serverNodeArgs ?? []),
    options.entry,
    'server',
    '--data-dir',
    dataDir,
    '--secure-port',
    '0',
    '--bind-address',
    '127.0.0.1',
    '--cluster-cidr',
    CLUSTER_CIDR,
    ...controlPlaneOnly(options.serverArgs ?? []),
  ];
  const server = spawnLogged(serverArgs, 'k8ts server');
  const stop = async (): Promise<void> => {
    await stopChild(server.child, 30_000);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const ready = await waitForLine(server.child, server.output, /k8ts ready: (\S+)\s+export KUBECONFIG=(\S+)/, 'k8ts server');
    const kubeconfig = ready[2] as string;
    const target = await targetFromKubeconfig(kubeconfig);
    log(`server pid ${server.child.pid}: ${target.url}`);
    return { target, kubeconfig, dataDir, server: server.child, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => undefined);
  const started = await startServer(options);
  const { target, kubeconfig, dataDir } = started;
  let agent: ReturnType<typeof spawnLogged> | undefined;
  const stop = async (): Promise<void> => {
    if (agent) await stopChild(agent.child);
    await started.stop();
  };
  try {
    const t0 = performance.now();
    agent = spawnLogged(
      [
        ...(options.agentNodeArgs ?? []),
        options.entry,
        'agent',
        '--runtime',
        'fake',
        '--nodes',
        String(options.nodes),
        '--kubeconfig',
        kubeconfig,
        '--node-name-prefix',
        options.nodePrefix ?? 'p-',
        '--events',
        'false',
        '--kubelet-port',
        '0',
      ],
      'k8ts agent',
    );
    await waitForLine(agent.child, agent.output, /k8ts agent ready:/, 'k8ts agent');
    log(`agent pid ${agent.child.pid}: ${options.nodes} nodes registered after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const client = new HttpsClient({ baseUrl: target.url, tls: target.tls, maxSockets: 1 });
    const deadline = t0 + (options.readyTimeoutMs ?? 120_000);
    try {
      let ready = 0;
      while (ready < options.nodes) {
        if (performance.now() > deadline) throw new Error(`only ${ready}/${options.nodes} nodes Ready in time`);
        if (agent.child.exitCode !== null) throw new Error(`k8ts agent exited: ${agent.output().slice(-1000)}`);
        ready = await countReadyNodes(client);
        if (ready < options.nodes) await sleep(500);
      }
    } finally {
      client.close();
    }
    const nodesReadyMs = performance.now() - t0;
    log(`${options.nodes} nodes Ready after ${(nodesReadyMs / 1000).toFixed(1)} s`);
    return { target, kubeconfig, dataDir, server: started.server, agent: agent.child, nodesReadyMs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
