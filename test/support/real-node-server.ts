/**
 * A `k8ts server --runtime containerd` for end-to-end tests with real containers: a test-only
 * cluster CIDR and bridge, the busybox image (built from the host's busybox-static) dropped into
 * DATA/agent/images, a node named `nodeName`. `stop()` — call it in after(), it is bounded —
 * stops the server, removes every container, mount, bridge and iptables rule it made, and
 * returns what was still left on the machine (assert it is empty).
 *
 * With `netns`, the server runs in a network namespace of the test's (support/netns.ts): the node's
 * iptables rules, bridge, ports 53/80/443 and node ports are the namespace's, the apiserver listens
 * on the namespace's address, and removing the namespace removes the node's network.
 *
 *   realNodeUnavailableForTests(): Promise<string | undefined>  // skip reason; throws under CI=true
 *   startRealNodeServer(options): Promise<RealNodeServer>
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpsClientset } from '../../src/client/rest.js';
import { runCommand } from '../../src/kubelet/command.js';
import { cleanupCniNetwork, hostportChainsExist } from '../../src/kubelet/containerd/testing/cni-cleanup.js';
import { containerdUnavailable } from '../../src/kubelet/containerd/testing/test-containerd.js';
import { killStrayContainerd, teardownContainerd } from '../../src/kubelet/containerd/teardown.js';
import { writeBusyboxImage } from '../../src/kubelet/images/busybox-image.js';
import { unmountUnder } from '../../src/kubelet/mounts.js';
import { kubeletRootDir, realNodeLayout } from '../../src/kubelet/real-node.js';
import { removeNodeCgroups } from '../../src/kubelet/pod-cgroups.js';
import { createNetnsHost, type NetnsHost } from './netns.js';
import { makeDataDir, startServer, type TestServer } from './server.js';

export { containerdUnavailable as realNodeUnavailableForTests };

export interface RealNodeServer {
  server: TestServer;
  client: HttpsClientset;
  dataDir: string;
  nodeName: string;
  bridge: string;
  /** containerd's socket (for ctr and CRI checks). */
  socket: string;
  /** The network namespace the server runs in (RealNodeServerOptions.netns). */
  netns?: NetnsHost;
  /**
   * Stops the server with SIGTERM (its containers keep running) and starts it again on the same
   * data dir, flags and port; `server` and `client` are the new ones afterwards.
   */
  restart(): Promise<void>;
  /** Stops and cleans up; returns what of this server's was still on the machine. */
  stop(): Promise<string[]>;
}

export interface RealNodeServerOptions {
  /** Default k8ts-e2e-node. */
  nodeName?: string;
  /** A /16 no other test uses, e.g. 10.251.0.0/16. */
  clusterCIDR: string;
  /** More server flags. */
  args?: string[];
  /** Called with DATA/agent/images before the server starts (drop more image archives there). */
  prepareImages?: (imagesDir: string) => Promise<void>;
  /** Run the server in a network namespace joined to the machine on this /30 (e.g. 10.250.255.0/30). */
  netns?: { subnet: string };
}

/**
 * What of a data dir and bridge is still on the machine: processes, mounts, the bridge, iptables
 * rules. Pods' volume mounts (tmpfs: secrets, projected ServiceAccount tokens) outlive the node as
 * upstream's do, and every pod has one since ServiceAccount admission: they are unmounted here,
 * not reported.
 */
export async function leftovers(dataDir: string, bridge: string): Promise<string[]> {
  await unmountUnder(kubeletRootDir(dataDir)).catch(() => undefined);
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((e) => /^\d+$/.test(e))) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    if (cmdline.includes(dataDir)) found.push(`process ${pid}: ${cmdline}`);
  }
  for (const line of (await readFile('/proc/self/mountinfo', 'utf8')).split('\n')) if (line.includes(dataDir)) found.push(`mount ${line}`);
  if ((await runCommand('ip', ['-o', 'link', 'show'])).stdout.includes(`: ${bridge}:`)) found.push(`bridge ${bridge}`);
  for (const table of ['nat', 'filter']) {
    for (const line of (await runCommand('iptables-save', ['-t', table])).stdout.split('\n')) {
      if (line.includes(`"${bridge}"`)) found.push(`iptables -t ${table} ${line}`);
    }
  }
  return found;
}

export async function startRealNodeServer(options: RealNodeServerOptions): Promise<RealNodeServer> {
  const nodeName = options.nodeName ?? 'k8ts-e2e-node';
  const bridge = `k8tst${randomBytes(2).toString('hex')}`;
  const dataDir = await makeDataDir();
  const netns = options.netns ? await createNetnsHost(options.netns) : undefined;
  const hostportChainsExisted = netns ? false : await hostportChainsExist();
  const files = realNodeLayout(dataDir);
  await mkdir(files.images, { recursive: true });
  await writeBusyboxImage(join(files.images, 'busybox.tar'));
  await options.prepareImages?.(files.images);
  let server: TestServer | undefined;
  const stop = async (): Promise<string[]> => {
    if (server) {
      // bounded: SIGTERM, then SIGKILL after 45 s
      const timer = setTimeout(() => void server?.kill(), 45_000);
      await server.stop();
      clearTimeout(timer);
    }
    // the server keeps its containers across restarts (real-node.ts): remove them for good here
    const layout = files.containerd;
    await killStrayContainerd(layout);
    await teardownContainerd(layout);
    // in a namespace, the bridge and every iptables rule go with it
    if (netns) await netns.remove();
    else await cleanupCniNetwork({ name: bridge, bridge, hostportChainsExisted });
    const cgroups = await removeNodeCgroups(dataDir);
    const left = [...(await leftovers(dataDir, bridge)), ...cgroups.map((c) => `cgroup ${c}`)];
    await server?.cleanup();
    return left;
  };
  const args = [
    '--runtime',
    'containerd',
    '--cluster-cidr',
    options.clusterCIDR,
    '--cni-bridge',
    bridge,
    '--node-name',
    nodeName,
    // tests run in parallel: any free port for the kubelet server
    '--kubelet-port',
    '0',
    ...(netns ? ['--bind-address', netns.ip] : []),
    // on the machine itself, no pod network across nodes: its VXLAN device and routes would be the machine's
    ...(netns || options.args?.includes('--flannel-backend') ? [] : ['--flannel-backend', 'none']),
    // the ingress takes ports 80 and 443, the service proxy programs the node's iptables, the DNS
    // server listens on the node's address: only a namespace's, never the machine's
    ...(netns ? [] : ['--disable-ingress', '--disable-kube-proxy', '--disable-dns']),
    ...(options.args ?? []),
  ];
  const wrap = netns ? { wrap: netns.command } : {};
  try {
    server = await startServer({ dataDir, args, ...wrap });
  } catch (err) {
    await stop();
    throw err;
  }
  const started: RealNodeServer = {
    server,
    client: HttpsClientset.fromKubeconfig(server.kubeconfig),
    dataDir,
    nodeName,
    bridge,
    socket: files.containerd.socket,
    ...(netns ? { netns } : {}),
    restart: async () => {
      const port = Number(new URL(started.server.url).port);
      started.client.close();
      await started.server.stop();
      server = await startServer({ dataDir, args, port, ...wrap });
      started.server = server;
      started.client = HttpsClientset.fromKubeconfig(server.kubeconfig);
    },
    stop: async () => {
      started.client.close();
      return stop();
    },
  };
  return started;
}
