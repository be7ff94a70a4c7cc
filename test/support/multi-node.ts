/**
 * A cluster of several real nodes for end-to-end tests, each on a "host" of its own: a segment
 * of network namespaces (support/netns.ts createNetnsSegment), a `k8ts server --disable-agent` on
 * the machine bound to the segment's bridge address (so the kubeconfig it writes, which the agents
 * use, names that address), and in each namespace a `k8ts agent --runtime containerd` with its
 * own data dir, containerd, node name, node IP (its segment address), CNI bridge and
 * `--flannel-backend`. `stop()` — call it in after(), it is bounded — stops the agents (SIGTERM),
 * runs `k8ts killall` for each inside its namespace, removes what the node left (containerd,
 * containers, cgroups, mounts), checks the namespace has no pod network left, deletes the
 * namespaces, the bridge and the server, and returns what was still there (assert it is empty).
 *
 *   startMultiNodeCluster(options): Promise<MultiNodeCluster>
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpsClientset } from '../../src/client/rest.js';
import { runCommand } from '../../src/kubelet/command.js';
import { killStrayContainerd, teardownContainerd } from '../../src/kubelet/containerd/teardown.js';
import { writeBusyboxImage } from '../../src/kubelet/images/busybox-image.js';
import { removeNodeCgroups } from '../../src/kubelet/pod-cgroups.js';
import { realNodeLayout } from '../../src/kubelet/real-node.js';
import { createNetnsSegment, type NetnsHost, type NetnsSegment } from './netns.js';
import { agentReady } from './nodes.js';
import { leftovers } from './real-node-server.js';
import { REPO, startServer, type TestServer } from './server.js';

export interface ClusterNode {
  name: string;
  /** The namespace the agent runs in; its address is the node IP. */
  host: NetnsHost;
  dataDir: string;
  bridge: string;
  agent: ChildProcess;
  /** The agent's command line (as run in the namespace). */
  argv: string[];
  /** Everything the agent wrote to stderr so far. */
  stderr(): string;
}

export interface MultiNodeCluster {
  server: TestServer;
  client: HttpsClientset;
  segment: NetnsSegment;
  nodes: ClusterNode[];
  /** Stops the agent of a node (SIGTERM), bounded. */
  stopAgent(node: ClusterNode): Promise<void>;
  /** Stops the agent of a node and starts it again with the same flags; resolves once it is ready. */
  restartAgent(node: ClusterNode): Promise<void>;
  stop(): Promise<string[]>;
}

export interface MultiNodeClusterOptions {
  /** The segment's /24 (e.g. 10.238.254.0/24). */
  subnet: string;
  /** The cluster CIDR (a /16 no other test uses). */
  clusterCIDR: string;
  /** --flannel-backend of every agent. */
  backend: 'host-gw' | 'vxlan';
  /** How many nodes (default 2); named `<namePrefix>-0`, `-1`, … */
  nodes?: number;
  namePrefix: string;
}

/** The pod network a node's namespace may still have: routes of proto 88, the VXLAN device, K8TS chains. */
async function podNetworkLeft(host: NetnsHost): Promise<string[]> {
  const left: string[] = [];
  const routes = (await host.exec('ip', ['route', 'show', 'proto', '88'])).trim();
  if (routes) left.push(`${host.name}: routes ${routes}`);
  if ((await host.exec('ip', ['-o', 'link', 'show'])).includes(': k8ts.1:')) left.push(`${host.name}: device k8ts.1`);
  for (const table of ['nat', 'filter']) {
    for (const line of (await host.exec('iptables-save', ['-t', table])).split('\n')) {
      if (line.includes('K8TS-POSTRTG') || line.includes('K8TS-FWD')) left.push(`${host.name}: iptables -t ${table} ${line}`);
    }
  }
  return left;
}

export async function startMultiNodeCluster(options: MultiNodeClusterOptions): Promise<MultiNodeCluster> {
  const segment = await createNetnsSegment({ subnet: options.subnet });
  const nodes: ClusterNode[] = [];
  let server: TestServer | undefined;
  let client: HttpsClientset | undefined;
  const stopAgent = async (node: ClusterNode): Promise<void> => {
    const child = node.agent;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  };
  const spawnAgent = async (node: ClusterNode): Promise<void> => {
    const [file, ...args] = node.argv;
    const agent = spawn(file as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    agent.stderr.on('data', (d: Buffer) => (err += d.toString()));
    node.agent = agent;
    node.stderr = () => err;
    await agentReady(agent, 120_000);
  };
  const stop = async (): Promise<string[]> => {
    const left: string[] = [];
    client?.close();
    for (const node of nodes) {
      await stopAgent(node);
      // k8ts killall in the node's namespace: the agent's containers, bridge, pod network and rules
      await runCommand('timeout', [
        '90',
        ...node.host.command([process.execPath, join(REPO, 'bin', 'k8ts.js'), 'killall', '--data-dir', node.dataDir]),
      ]).catch((err: Error) => left.push(`k8ts killall on ${node.name}: ${err.message}`));
      left.push(...(await podNetworkLeft(node.host)));
      const layout = realNodeLayout(node.dataDir).containerd;
      await killStrayContainerd(layout);
      await teardownContainerd(layout);
      left.push(...(await removeNodeCgroups(node.dataDir)).map((c) => `cgroup ${c}`));
      left.push(...(await leftovers(node.dataDir, node.bridge)));
      await rm(node.dataDir, { recursive: true, force: true });
    }
    await segment.remove();
    if (server) {
      const timer = setTimeout(() => void server?.kill(), 45_000);
      await server.stop();
      clearTimeout(timer);
      await server.cleanup();
    }
    return left;
  };
  try {
    server = await startServer({ args: ['--disable-agent', '--cluster-cidr', options.clusterCIDR, '--bind-address', segment.hostIP] });
    client = HttpsClientset.fromKubeconfig(server.kubeconfig);
    for (let i = 0; i < (options.nodes ?? 2); i++) {
      const host = await segment.addHost();
      const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-agent-'));
      const images = realNodeLayout(dataDir).images;
      await mkdir(images, { recursive: true });
      await writeBusyboxImage(join(images, 'busybox.tar'));
      const name = `${options.namePrefix}-${i}`;
      const bridge = `k8tsp${host.name.slice(-6)}`;
      const argv = [
        ...[process.execPath, join(REPO, 'bin', 'k8ts.js'), 'agent', '--runtime', 'containerd', '--kubeconfig', server.kubeconfig],
        ...['--data-dir', dataDir, '--node-name', name, '--node-ip', host.ip, '--cni-bridge', bridge, '--kubelet-port', '0'],
        ...['--flannel-backend', options.backend, '--cluster-cidr', options.clusterCIDR],
      ];
      const node: ClusterNode = {
        name,
        host,
        dataDir,
        bridge,
        argv: host.command(argv),
        agent: undefined as unknown as ChildProcess,
        stderr: () => '',
      };
      nodes.push(node);
      await spawnAgent(node);
    }
  } catch (err) {
    const left = await stop();
    throw new Error(`${(err as Error).message}${left.length ? `; left behind: ${left.join('; ')}` : ''}`);
  }
  const restartAgent = async (node: ClusterNode): Promise<void> => {
    await stopAgent(node);
    await spawnAgent(node);
  };
  return { server, client: client as HttpsClientset, segment, nodes, stopAgent, restartAgent, stop };
}
