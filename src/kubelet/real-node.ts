/**
 * The real node: this machine as a node of the cluster, on k8ts' own containerd (as k3s runs
 * its own). Everything lives under DATA/agent: containerd's config, root, state and socket
 * (containerd/), the pause image built here, image archives to import (images/*.tar), the CNI
 * conflist and host-local's leases. The pod workers and heartbeats are the node engine's
 * (nodes.ts) with one CriRuntime; what is real-node specific is here:
 *
 *   1. write containerd's config (sandbox image = the locally built pause image) and start it;
 *   2. wait until CRI answers status() (it says "server is not initialized yet" a moment);
 *   3. build and import the pause image, then every DATA/agent/images/*.tar;
 *   4. register the Node (host name, capacity, InternalIP, node info with containerd's version);
 *   5. once node IPAM sets spec.podCIDR, write the bridge conflist; only then do pods start.
 *
 * Containers log under DATA/log/pods (logs/: read by the kubelet server, rotated at 10 Mi).
 *
 * On shutdown the pod workers stop, then containerd is stopped and its containers are kept
 * running (their shims live on), as upstream's kubelet leaves pods running across restarts: the
 * next start adopts them (the kubelet finds sandboxes by pod uid). Removing everything is
 * teardownContainerd's job (and a future `k8ts killall`).
 *
 *   startRealNode(options: RealNodeOptions, signal: AbortSignal): Promise<RealNode>
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clientset } from '../client/interface.js';
import { DEFAULT_BRIDGE, writeConflist } from './cni/conflist.js';
import { containerdLayout, writeContainerdConfig } from './containerd/config.js';
import { ContainerdSupervisor } from './containerd/supervisor.js';
import { firstHostIPv4, hostCapacity, hostInfo, hostNodeName } from './host-node.js';
import { importImages } from './images/import.js';
import { PAUSE_IMAGE, writePauseImage } from './images/pause-image.js';
import type { NodeDescription } from './node-status.js';
import { type Nodes, startNodes } from './nodes.js';
import { CriRuntime } from './runtime/cri/cri-runtime.js';
import { runContainerLogManager } from './logs/container-log-manager.js';
import type { KubeletServerTLS } from './server/kubelet-server.js';

export interface RealNodeOptions {
  clientset: Clientset;
  /** The server's (or agent's) --data-dir; the node keeps everything under DATA/agent. */
  dataDir: string;
  /** Default: the host name, lowercased. */
  nodeName?: string;
  /** Default: the host's first non-internal IPv4 address. */
  nodeIP?: string;
  /** The pod network's Linux bridge, also the CNI network's name (default k8ts0). */
  cniBridge?: string;
  /** How long containerd may take to answer CRI status() (default 60 s). */
  runtimeReadyTimeoutMs?: number;
  renewIntervalMs?: number;
  log?: (message: string) => void;
  /** The kubelet HTTPS server (on the node IP and loopback); none without. */
  kubeletServer?: { tls: KubeletServerTLS; port: number };
}

export interface RealNode {
  readonly nodeName: string;
  readonly nodes: Nodes;
  /** containerd's socket. */
  readonly socket: string;
  /** Resolves once the signal aborted, the pod workers returned and containerd stopped. */
  readonly done: Promise<void>;
}

/** The files of the real node under DATA/agent. */
export function realNodeLayout(dataDir: string) {
  const dir = join(dataDir, 'agent');
  return { dir, images: join(dir, 'images'), pauseArchive: join(dir, 'pause.tar'), containerd: containerdLayout(join(dir, 'containerd')) };
}

/** Polls CRI status() until it answers, bounded by `timeoutMs`. */
async function waitRuntimeReady(runtime: CriRuntime, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal.throwIfAborted();
    try {
      await runtime.status();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`containerd's CRI did not answer in ${timeoutMs} ms: ${(err as Error).message}`);
    }
    await sleep(100, undefined, { signal });
  }
}

/** The image archives users drop into DATA/agent/images (air-gap, as k3s does). */
async function imageArchives(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  return (await readdir(dir))
    .filter((f) => f.endsWith('.tar'))
    .sort()
    .map((f) => join(dir, f));
}

export async function startRealNode(options: RealNodeOptions, signal: AbortSignal): Promise<RealNode> {
  const log = options.log ?? ((m: string) => console.error(`k8ts node: ${m}`));
  const files = realNodeLayout(options.dataDir);
  const layout = files.containerd;
  const nodeName = options.nodeName ?? hostNodeName();
  const nodeIP = options.nodeIP ?? firstHostIPv4() ?? '127.0.0.1';
  const bridge = options.cniBridge ?? DEFAULT_BRIDGE;

  await mkdir(files.dir, { recursive: true, mode: 0o711 });
  await writeContainerdConfig(layout, { sandboxImage: PAUSE_IMAGE });
  const supervisor = new ContainerdSupervisor({ layout, log: (m) => log(`containerd: ${m}`) });
  await supervisor.start();
  const runtime = new CriRuntime({ endpoint: `unix://${layout.socket}` });
  const stopRuntime = async (): Promise<void> => {
    runtime.close();
    await supervisor.stop({ keepContainers: true });
  };
  try {
    await waitRuntimeReady(runtime, options.runtimeReadyTimeoutMs ?? 60_000, signal);
    await writePauseImage(files.pauseArchive);
    await importImages([files.pauseArchive, ...(await imageArchives(files.images))], { address: layout.socket, signal });
    const version = await runtime.version('v1');
    const host = await hostInfo();
    const { machineID, ...nodeInfo } = host;
    const description: NodeDescription = {
      name: nodeName,
      nodeIP,
      capacity: await hostCapacity(options.dataDir),
      containerRuntimeVersion: `containerd://${version.runtimeVersion}`,
      instanceType: 'k8ts',
      machineID,
      host: nodeInfo,
    };
    const nodes = await startNodes(
      {
        clientset: options.clientset,
        nodes: [
          {
            description,
            runtime,
            runtimeName: 'containerd',
            podCIDRWaitMs: Number.POSITIVE_INFINITY,
            podLogsDir: join(options.dataDir, 'log', 'pods'),
            onPodCIDR: async (podCIDR) => {
              await writeConflist(layout.cniConfDir, { podCIDRs: [podCIDR], ipamDataDir: layout.cniDataDir, bridge, name: bridge });
              log(`pod network ${podCIDR} on bridge ${bridge}`);
            },
          },
        ],
        ...(options.renewIntervalMs ? { renewIntervalMs: options.renewIntervalMs } : {}),
        ...(options.kubeletServer
          ? { kubeletServer: { ...options.kubeletServer, hosts: [nodeIP, '127.0.0.1'], dataDir: options.dataDir } }
          : {}),
        onError: log,
      },
      signal,
    );
    const rotation = runContainerLogManager({ runtime, onError: log }, signal);
    const done = Promise.all([nodes.done, rotation])
      .then(() => undefined)
      .finally(stopRuntime);
    return { nodeName, nodes, socket: layout.socket, done };
  } catch (err) {
    await stopRuntime().catch((e: Error) => log(`stopping containerd: ${e.message}`));
    throw err;
  }
}
