/**
 * The pod startup phase of `npm run bench` (real containers: root, containerd, runc, the CNI
 * plugins, busybox-static; otherwise one line says why it is skipped). Two measurements of the
 * same N busybox pods with the image present, started one after another (each alone: the latency
 * of one pod) and then all at once (a burst: the node's throughput shows in the latency):
 *
 *   k8ts   a `k8ts server --disable-agent` and a `k8ts agent --runtime containerd` (its own
 *          containerd) on this machine; each pod's latency is from its create request to the
 *          watch event that shows it Running with its container ready (upstream's pod startup
 *          SLI, minus image pulls). The agent process' RSS and CPU per pod are read from /proc.
 *   floor  the same sandbox and container started directly through our CriRuntime on a private
 *          containerd (RunPodSandbox, CreateContainer, StartContainer), no Kubernetes around it.
 *
 * Targets: k8ts p99 ≤ 1.5 s, k8ts p50 ≤ 2 × the floor's p50. Everything started is stopped and
 * removed (`k8ts killall` for the agent's node).
 *
 *   runPodStartupPhase(options: PodStartupOptions): Promise<PhaseOutcome>
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpsClientset } from '../src/client/rest.js';
import { startTestContainerd } from '../src/kubelet/containerd/testing/test-containerd.js';
import { containerdUnavailable } from '../src/kubelet/containerd/testing/test-containerd.js';
import { BUSYBOX_IMAGE, writeBusyboxImage } from '../src/kubelet/images/busybox-image.js';
import { killNode } from '../src/kubelet/killall.js';
import { realNodeLayout } from '../src/kubelet/real-node.js';
import { CriRuntime } from '../src/kubelet/runtime/cri/cri-runtime.js';
import type { PodSandboxConfig } from '../src/kubelet/runtime/interface.js';
import type { KubeObject } from '../src/machinery/object.js';
import { agentReady, nodeReady } from '../test/support/nodes.js';
import { startServer, type TestServer } from '../test/support/server.js';
import type { PhaseOutcome } from './api-phase.js';
import { processMemory, stopChild } from './processes.js';
import { fixed, versusTarget } from './report.js';
import { type LatencySummary, summarize } from './stats.js';

export interface PodStartupOptions {
  entry: string;
  pods: number;
  log: (line: string) => void;
}

const PODS = { group: '', version: 'v1', resource: 'pods' };
const CLUSTER_CIDR = '10.247.0.0/16';
const NODE = 'k8ts-bench-node';
const TIMEOUT_MS = 120_000;

interface AgentUsage {
  rssMiB: number;
  peakMiB: number;
  cpuMsPerPod: number;
}

type Mode = 'one after another' | 'at once';
const MODES: Mode[] = ['one after another', 'at once'];

interface Measured {
  k8ts: Partial<Record<Mode, LatencySummary>>;
  floor: Partial<Record<Mode, LatencySummary>>;
  /** Over both runs of k8ts. */
  agent?: AgentUsage;
}

/** Runs `start(i)` for i < n one after another or all at once; returns their latencies. */
async function batch(mode: Mode, n: number, start: (i: number) => Promise<number>): Promise<number[]> {
  if (mode === 'at once') return Promise.all(Array.from({ length: n }, (_, i) => start(i)));
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await start(i));
  return out;
}

function sleeper(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'main', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  };
}

const running = (p: KubeObject): boolean => {
  const status = (p['status'] ?? {}) as Record<string, unknown>;
  const cs = ((status['containerStatuses'] ?? []) as Record<string, unknown>[])[0];
  return status['phase'] === 'Running' && cs?.['ready'] === true;
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs = TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts `k8ts agent --runtime containerd` against the server; resolves at its ready line. */
async function startAgent(entry: string, kubeconfig: string, dataDir: string, bridge: string): Promise<ChildProcess> {
  const args = [
    'agent',
    '--runtime',
    'containerd',
    '--kubeconfig',
    kubeconfig,
    '--data-dir',
    dataDir,
    '--node-name',
    NODE,
    '--cni-bridge',
    bridge,
    // the machine's ports 80 and 443 are not the bench's to take
    '--disable-ingress',
    // on the machine's own network: no service proxy (its iptables rules would be the machine's),
    // no DNS server on its address, no VXLAN device or routes of the pod network across nodes
    '--disable-kube-proxy',
    '--disable-dns',
    '--flannel-backend',
    'none',
  ];
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  await agentReady(child, TIMEOUT_MS);
  return child;
}

/** N pods created at once through the API; each one's create → Running (watch) latency. */
async function measureK8ts(options: PodStartupOptions, m: Measured): Promise<void> {
  const { log } = options;
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-agent-'));
  const bridge = `k8tsb${randomBytes(2).toString('hex')}`;
  let server: TestServer | undefined;
  let agent: ChildProcess | undefined;
  let client: HttpsClientset | undefined;
  const watching = new AbortController();
  try {
    await mkdir(realNodeLayout(dataDir).images, { recursive: true });
    await writeBusyboxImage(join(realNodeLayout(dataDir).images, 'busybox.tar'));
    server = await startServer({ args: ['--disable-agent', '--cluster-cidr', CLUSTER_CIDR] });
    agent = await startAgent(options.entry, server.kubeconfig, dataDir, bridge);
    client = HttpsClientset.fromKubeconfig(server.kubeconfig);
    const pods = client.resource(PODS);
    await nodeReady(client, NODE, TIMEOUT_MS);
    // warm-up: the first sandbox creates the bridge
    await pods.create('default', sleeper('warmup'));
    await until('the warm-up pod Running', async () => running(await pods.get('default', 'warmup')));
    log('node Ready, warm-up pod Running');

    /** Resolvers of the pods waited for, by name; the watch resolves each with its latency. */
    const waiting = new Map<string, { sentAt: number; resolve: (ms: number) => void }>();
    pods.watch(
      'default',
      {},
      (e) => {
        const w = waiting.get(e.object.metadata?.name ?? '');
        if (!w || !running(e.object)) return;
        waiting.delete(e.object.metadata?.name ?? '');
        w.resolve(performance.now() - w.sentAt);
      },
      watching.signal,
    );
    await new Promise((r) => setTimeout(r, 500)); // the watch is open
    const pid = agent.pid as number;
    const before = processMemory(pid);
    for (const mode of MODES) {
      const prefix = mode === 'at once' ? 'burst' : 'single';
      const latencies = await batch(mode, options.pods, async (i) => {
        const name = `${prefix}-${i}`;
        const ran = new Promise<number>((resolve, reject) => {
          waiting.set(name, { sentAt: performance.now(), resolve });
          setTimeout(() => reject(new Error(`pod ${name} not Running in time`)), TIMEOUT_MS).unref();
        });
        await pods.create('default', sleeper(name));
        return ran;
      });
      const summary = summarize(Float64Array.from(latencies));
      m.k8ts[mode] = summary;
      log(`k8ts, ${mode}: ${latencies.length} pods Running, p50 ${fixed(summary.p50, 0)} ms, p99 ${fixed(summary.p99, 0)} ms`);
    }
    const after = processMemory(pid);
    m.agent = {
      rssMiB: after.rssMiB,
      peakMiB: after.peakMiB,
      cpuMsPerPod: ((after.cpuSeconds - before.cpuSeconds) * 1000) / (2 * options.pods),
    };
  } finally {
    watching.abort();
    client?.close();
    if (agent) await stopChild(agent, 60_000);
    await killNode({ dataDir, report: () => undefined }).catch((e: Error) => log(`killall: ${e.message}`));
    await server?.stop();
    await server?.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The same N sandboxes and containers started at once straight through CRI. */
async function measureFloor(options: PodStartupOptions, m: Measured): Promise<void> {
  const containerd = await startTestContainerd();
  const runtime = new CriRuntime({ endpoint: `unix://${containerd.socket}` });
  try {
    const start = async (name: string): Promise<number> => {
      const t0 = performance.now();
      const config: PodSandboxConfig = {
        metadata: { name, namespace: 'default', uid: `floor-${name}`, attempt: 0 },
        hostname: name,
        logDirectory: join(containerd.dir, 'logs', name),
      };
      const sandboxId = await runtime.runPodSandbox(config);
      const id = await runtime.createContainer(
        sandboxId,
        { metadata: { name: 'main', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '3600'], logPath: 'main/0.log' },
        config,
      );
      await runtime.startContainer(id);
      return performance.now() - t0;
    };
    await start('warmup');
    for (const mode of MODES) {
      const latencies = await batch(mode, options.pods, (i) => start(`${mode === 'at once' ? 'burst' : 'single'}-${i}`));
      const summary = summarize(Float64Array.from(latencies));
      m.floor[mode] = summary;
      options.log(
        `floor, ${mode}: ${latencies.length} sandboxes+containers started, p50 ${fixed(summary.p50, 0)} ms, p99 ${fixed(summary.p99, 0)} ms`,
      );
    }
  } finally {
    runtime.close();
    await containerd.stop();
  }
}

export async function runPodStartupPhase(options: PodStartupOptions): Promise<PhaseOutcome> {
  const unavailable = await containerdUnavailable().catch((e: Error) => e.message);
  if (unavailable) {
    console.log(`\npod startup: skipped — ${unavailable}`);
    return { failed: false, print: () => console.log(`skipped: ${unavailable}`) };
  }
  console.log(
    `\npod startup: ${options.pods} busybox pods one after another, then at once, image present; k8ts (server + agent on containerd) against CRI directly`,
  );
  const m: Measured = { k8ts: {}, floor: {} };
  let failed = false;
  for (const [what, measure] of [
    ['floor', measureFloor],
    ['k8ts', measureK8ts],
  ] as const) {
    try {
      await measure(options, m);
    } catch (err) {
      failed = true;
      options.log(`${what} failed: ${(err as Error).message}`);
    }
  }
  return {
    failed,
    print() {
      const line = (s: LatencySummary | undefined) =>
        s ? `p50 ${fixed(s.p50, 0)} ms, p99 ${fixed(s.p99, 0)} ms, mean ${fixed(s.mean, 0)} ms, max ${fixed(s.max, 0)} ms` : 'not measured';
      for (const mode of MODES) {
        const k = m.k8ts[mode];
        const f = m.floor[mode];
        console.log(`${options.pods} pods ${mode} (busybox, image present):`);
        console.log(versusTarget(`  k8ts create → Running (watch): ${line(k)}`, k ? k.p99 <= 1500 : undefined, 'p99 ≤ 1500 ms'));
        console.log(`  floor (CRI RunPodSandbox + CreateContainer + StartContainer): ${line(f)}`);
        const ratio = k && f ? k.p50 / f.p50 : Number.NaN;
        console.log(versusTarget(`  k8ts p50 / floor p50: ${fixed(ratio, 2)}×`, Number.isNaN(ratio) ? undefined : ratio <= 2, '≤ 2×'));
      }
      if (m.agent) {
        console.log(
          `agent process: RSS ${fixed(m.agent.rssMiB, 0)} MiB (peak ${fixed(m.agent.peakMiB, 0)} MiB), CPU ${fixed(m.agent.cpuMsPerPod, 1)} ms per pod`,
        );
      }
    },
  };
}
