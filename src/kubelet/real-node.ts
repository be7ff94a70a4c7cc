/**
 * The real node: this machine as a node of the cluster, on k8ts' own containerd (as k3s runs
 * its own). Everything lives under DATA/agent: containerd's config, root, state and socket
 * (containerd/), the pause image built here, image archives to import (images/*.tar), the CNI
 * conflist and host-local's leases, and static pod manifests (manifests/*.yaml, mirrored into
 * the API); pod volumes live under DATA/kubelet/pods/<uid>/volumes. The pod workers and
 * heartbeats are the node engine's (nodes.ts) with one CriRuntime; what is real-node specific is here:
 *
 *   1. write containerd's config (sandbox image = the locally built pause image) and start it, or
 *      use the CRI runtime already running at --container-runtime-endpoint (node-runtime.ts);
 *   2. wait until CRI answers status() (it says "server is not initialized yet" a moment);
 *   3. build and import the pause image (unless that runtime has its sandbox image), then every
 *      DATA/agent/images/*.tar;
 *   4. register the Node (host name, capacity, InternalIP, node info with containerd's version);
 *   5. once node IPAM sets spec.podCIDR, set up the pod network across nodes (network/: the
 *      bridge with its gateway, host-gw routes or the vxlan device, flannel's annotations), then
 *      write the bridge conflist (into the runtime's CNI conf dir: k8ts' containerd's, or
 *      --cni-conf-dir); only then do pods start.
 *
 * Containers log under DATA/log/pods (logs/: read by the kubelet server, rotated at 10 Mi).
 *
 * On shutdown the pod workers stop, then containerd is stopped and its containers are kept
 * running (their shims live on), as upstream's kubelet leaves pods running across restarts: the
 * next start adopts them (the kubelet finds sandboxes by pod uid). Removing everything is
 * teardownContainerd's job and `k8ts killall`'s (killall.ts; on a runtime k8ts did not start,
 * only this node's pods and conflist: external-runtime.ts).
 *
 *   startRealNode(options: RealNodeOptions, signal: AbortSignal): Promise<RealNode>
 */
import { mkdir, readdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InformerFactory } from '../client/informer-factory.js';
import type { Clientset } from '../client/interface.js';
import { DEFAULT_BRIDGE, writeConflist } from './cni/conflist.js';
import { containerdLayout } from './containerd/config.js';
import { firstHostIPv4, hostCapacity, hostInfo, hostNodeName } from './host-node.js';
import { recordExternalRuntime } from './external-runtime.js';
import { importImages } from './images/import.js';
import { writePauseImage } from './images/pause-image.js';
import { nodeResolvConf } from './dns.js';
import { nodeCgroupRoot } from './pod-cgroups.js';
import type { NodeDescription } from './node-status.js';
import { type NodeRuntime, openNodeRuntime } from './node-runtime.js';
import { type Nodes, startNodes } from './nodes.js';
import { createBackend, hostCommandRunner } from './network/backends.js';
import type { FlannelBackendType } from './network/interface.js';
import { PodNetwork } from './network/pod-network.js';
import type { GarbageCollectionPolicy } from './gc/node-gc.js';
import { machinePressure } from './node-pressure.js';
import { runtimeNotReadyMessage } from './runtime-readiness.js';
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
  /** --cluster-dns: the cluster DNS servers of ClusterFirst pods. */
  clusterDNS?: string[];
  /** --cluster-domain (default cluster.local). */
  clusterDomain?: string;
  /** How long containerd may take to answer CRI status() (default 60 s). */
  runtimeReadyTimeoutMs?: number;
  renewIntervalMs?: number;
  log?: (message: string) => void;
  /** A running CRI runtime's socket to use instead of starting k8ts' own containerd (--container-runtime-endpoint). */
  runtimeSocket?: string;
  /** That runtime's CNI conf dir, where the node's conflist goes (--cni-conf-dir; default /etc/cni/net.d). */
  cniConfDir?: string;
  /** The garbage collection flags (thresholds, periods); upstream's defaults without. */
  garbageCollection?: GarbageCollectionPolicy;
  /** The kubelet HTTPS server (on the node IP and loopback); none without. */
  kubeletServer?: { tls: KubeletServerTLS; port: number };
  /** --flannel-backend and the cluster CIDR: the pod network across nodes (none without, or with `none`). */
  podNetwork?: { backend: FlannelBackendType | 'none'; clusterCIDR: string };
  /** The local-path provisioner's own client; default the kubelet's. */
  localPathClientset?: Clientset;
}

export interface RealNode {
  readonly nodeName: string;
  /** The node's InternalIP (--node-ip, or the host's first IPv4). */
  readonly nodeIP: string;
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

/** The real node's kubelet root (upstream's /var/lib/kubelet): pod volumes under DATA/kubelet/pods/<uid>/volumes. */
export function kubeletRootDir(dataDir: string): string {
  return join(dataDir, 'kubelet');
}

/**
 * Imports the sandbox image (built here, under the name the runtime runs sandboxes from) unless the
 * runtime has it, then every DATA/agent/images/*.tar, through the runtime's containerd. A runtime
 * that is not containerd gets nothing imported: its images are its own business.
 */
async function importNodeImages(
  opened: NodeRuntime,
  files: ReturnType<typeof realNodeLayout>,
  log: (message: string) => void,
  signal: AbortSignal,
): Promise<void> {
  if (opened.runtimeName !== 'containerd') {
    log(`the runtime is ${opened.runtimeName}, not containerd: no images imported`);
    return;
  }
  const archives = await imageArchives(files.images);
  if (opened.own || !(await opened.runtime.imageStatus({ image: opened.sandboxImage }))) {
    await writePauseImage(files.pauseArchive, { name: opened.sandboxImage });
    archives.unshift(files.pauseArchive);
  }
  if (archives.length > 0) await importImages(archives, { address: opened.socket, signal });
}

/** A file system's size and free space (what the image GC compares with its thresholds). */
async function fsStats(dir: string): Promise<{ capacityBytes: number; availableBytes: number }> {
  const fs = await statfs(dir);
  return { capacityBytes: fs.blocks * fs.bsize, availableBytes: fs.bavail * fs.bsize };
}

/** Waits (up to 10 s) until the runtime has loaded the conflist just written and says NetworkReady. */
async function waitNetworkReady(runtime: NodeRuntime['runtime'], signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await runtimeNotReadyMessage(runtime)) !== undefined && Date.now() < deadline) await sleep(100, undefined, { signal });
}

/**
 * Sets up the pod network across nodes for the node's podCIDR and returns what the conflist then
 * says (ipMasq off, the network's MTU); undefined without one — or when it fails, said in the log:
 * the node's own pods still work then, with the bridge plugin's masquerade.
 */
async function startPodNetwork(
  options: RealNodeOptions,
  node: { nodeName: string; nodeIP: string; bridge: string; podCIDR: string },
  log: (message: string) => void,
  signal: AbortSignal,
): Promise<{ ipMasq: boolean; mtu: number } | undefined> {
  const net = options.podNetwork;
  if (!net || net.backend === 'none') return undefined;
  const network = new PodNetwork({
    clientset: options.clientset,
    informers: new InformerFactory({
      clientset: options.clientset,
      onError: (err) => log(`pod network: node informer: ${(err as Error).message}`),
    }),
    nodeName: node.nodeName,
    nodeIP: node.nodeIP,
    clusterCIDR: net.clusterCIDR,
    bridge: node.bridge,
    backend: createBackend(net.backend),
    run: hostCommandRunner,
    log,
  });
  try {
    const { mtu } = await network.start(node.podCIDR, signal);
    log(`pod network across nodes: ${net.backend}, cluster CIDR ${net.clusterCIDR}, MTU ${mtu}`);
    return { ipMasq: false, mtu };
  } catch (err) {
    log(`pod network across nodes (${net.backend}) not set up: ${(err as Error).message}`);
    return undefined;
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
  const opened = await openNodeRuntime(
    {
      layout,
      ...(options.runtimeSocket ? { runtimeSocket: options.runtimeSocket } : {}),
      ...(options.cniConfDir ? { cniConfDir: options.cniConfDir } : {}),
      readyTimeoutMs: options.runtimeReadyTimeoutMs ?? 60_000,
      log,
    },
    signal,
  );
  const { runtime } = opened;
  const stopRuntime = opened.close;
  try {
    // for `k8ts killall`: which runtime holds this node's pods, and where its conflist goes
    await recordExternalRuntime(options.dataDir, opened.own ? undefined : { socket: opened.socket, cniConfDir: opened.cniConfDir });
    await importNodeImages(opened, files, log, signal);
    const host = await hostInfo();
    const { machineID, ...nodeInfo } = host;
    const description: NodeDescription = {
      name: nodeName,
      nodeIP,
      capacity: await hostCapacity(options.dataDir),
      containerRuntimeVersion: `${opened.runtimeName}://${opened.runtimeVersion}`,
      instanceType: 'k8ts',
      machineID,
      host: nodeInfo,
    };
    const nodes = await startNodes(
      {
        clientset: options.clientset,
        ...(options.localPathClientset ? { localPathClientset: options.localPathClientset } : {}),
        nodes: [
          {
            description,
            runtime,
            runtimeName: opened.runtimeName,
            podCIDRWaitMs: Number.POSITIVE_INFINITY,
            kubeletRootDir: kubeletRootDir(options.dataDir),
            staticPodPath: join(files.dir, 'manifests'),
            health: async () => {
              const [notReady, pressure] = await Promise.all([runtimeNotReadyMessage(runtime), machinePressure(options.dataDir)]);
              return notReady === undefined ? pressure : { ...pressure, notReady };
            },
            // containerd 1.6 streams no container events: relist every second, as upstream's generic PLEG
            relistPeriodMs: 1000,
            garbageCollection: {
              ...options.garbageCollection,
              imageFsStats: () => fsStats(opened.imageFsDir),
              pinnedImages: [opened.sandboxImage],
            },
            podConfig: {
              clusterDNS: options.clusterDNS ?? [],
              ...(options.clusterDomain ? { clusterDomain: options.clusterDomain } : {}),
              resolvConf: await nodeResolvConf(),
              // the same pod directories as the volumes': DATA/kubelet/pods/<uid>
              podsDir: join(kubeletRootDir(options.dataDir), 'pods'),
              cgroupRoot: nodeCgroupRoot(options.dataDir),
              seccompProfileRoot: join(files.dir, 'seccomp'),
            },
            podLogsDir: join(options.dataDir, 'log', 'pods'),
            localPathDir: join(options.dataDir, 'storage'),
            onPodCIDR: async (podCIDR) => {
              const network = await startPodNetwork(options, { nodeName, nodeIP, bridge, podCIDR }, log, signal);
              await writeConflist(opened.cniConfDir, {
                podCIDRs: [podCIDR],
                ipamDataDir: opened.cniDataDir,
                bridge,
                name: bridge,
                ...network,
              });
              await waitNetworkReady(runtime, signal);
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
    return { nodeName, nodeIP, nodes, socket: opened.socket, done };
  } catch (err) {
    await stopRuntime().catch((e: Error) => log(`stopping containerd: ${e.message}`));
    throw err;
  }
}
