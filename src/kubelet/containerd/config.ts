/**
 * The private containerd of a node: where its files live under the agent's data dir and the
 * config it runs with. Everything it keeps, runc's state and the pods' network namespaces
 * included, stays under that dir; no other containerd, CNI config or /var/run/netns is touched.
 *
 *   containerdLayout(dir: string): ContainerdLayout
 *   containerdConfig(layout: ContainerdLayout, options: ContainerdConfigOptions): string   // TOML
 *   writeContainerdConfig(layout: ContainerdLayout, options: ContainerdConfigOptions): Promise<void>
 *   canLowerOOMScoreAdj(): Promise<boolean>
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CNI_BIN_DIR = '/usr/lib/cni';
/** Unix socket paths are limited to 107 bytes; containerd also listens on `<socket>.ttrpc`. */
const MAX_SOCKET_PATH = 107 - '.ttrpc'.length;

export interface ContainerdLayout {
  /** DATA/agent/containerd */
  dir: string;
  config: string;
  /** containerd's root: content, snapshots, metadata. */
  root: string;
  /** containerd's state: task bundles, runc state, sandboxes' shm and network namespaces. */
  state: string;
  /** The gRPC (and CRI) socket. */
  socket: string;
  /** containerd's stdout and stderr. */
  log: string;
  /** The PID of the containerd we started, so a restarted agent finds a stray one. */
  pidFile: string;
  /** The CRI plugin's CNI conf dir, where the agent writes its conflist. */
  cniConfDir: string;
  /** host-local's leases. */
  cniDataDir: string;
}

export function containerdLayout(dir: string): ContainerdLayout {
  const socket = join(dir, 'containerd.sock');
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    throw new Error(`containerd's socket path ${socket} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter data dir`);
  }
  return {
    dir,
    config: join(dir, 'config.toml'),
    root: join(dir, 'root'),
    state: join(dir, 'state'),
    socket,
    log: join(dir, 'containerd.log'),
    pidFile: join(dir, 'containerd.pid'),
    cniConfDir: join(dir, 'cni', 'net.d'),
    cniDataDir: join(dir, 'cni', 'ipam'),
  };
}

export interface ContainerdConfigOptions {
  /** The locally imported sandbox image (see images/pause-image.ts). */
  sandboxImage: string;
  /** Where the CNI plugins are (default CNI_BIN_DIR, Debian's containernetworking-plugins). */
  cniBinDir?: string;
  /**
   * Clamp containers' oom_score_adj to containerd's own. Needed where no process may lower it
   * (no CAP_SYS_RESOURCE, as in some VMs and containers): runc fails every sandbox otherwise.
   * writeContainerdConfig decides it from canLowerOOMScoreAdj() when unset.
   */
  restrictOOMScoreAdj?: boolean;
}

/** Plugins a node does not use; fewer plugins, quicker start. The opt plugin would create /opt/containerd. */
const DISABLED_PLUGINS = [
  'io.containerd.internal.v1.opt',
  'io.containerd.snapshotter.v1.aufs',
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.snapshotter.v1.zfs',
  'io.containerd.tracing.processor.v1.otlp',
  'io.containerd.internal.v1.tracing',
];

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

/** A TOML basic string (JSON's escapes are TOML's). */
const str = (s: string) => JSON.stringify(s);

export function containerdConfig(layout: ContainerdLayout, options: ContainerdConfigOptions): string {
  return `# Written by k8ts for its own containerd; rewritten at every start.
version = 2
root = ${str(layout.root)}
state = ${str(layout.state)}
# Without the CRI plugin this is no node: fail instead of serving without it.
required_plugins = ["io.containerd.grpc.v1.cri"]
disabled_plugins = [${DISABLED_PLUGINS.map(str).join(', ')}]

[grpc]
  address = ${str(layout.socket)}

[${CRI}]
  sandbox_image = ${str(options.sandboxImage)}
  netns_mounts_under_state_dir = true
  restrict_oom_score_adj = ${options.restrictOOMScoreAdj ?? false}
  # exec, attach and port-forward URLs: loopback only, a free port, only the kubelet dials them
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_tls_streaming = false
  [${CRI}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${CRI}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${CRI}.containerd.runtimes.runc.options]
        Root = ${str(join(layout.state, 'runc'))}
        SystemdCgroup = false
  [${CRI}.cni]
    bin_dir = ${str(options.cniBinDir ?? CNI_BIN_DIR)}
    conf_dir = ${str(layout.cniConfDir)}
    max_conf_num = 1
`;
}

/** Creates the layout's directories and writes the config (through a temporary file and a rename). */
export async function writeContainerdConfig(layout: ContainerdLayout, options: ContainerdConfigOptions): Promise<void> {
  for (const dir of [layout.root, layout.state, layout.cniConfDir, layout.cniDataDir]) await mkdir(dir, { recursive: true, mode: 0o711 });
  const restrictOOMScoreAdj = options.restrictOOMScoreAdj ?? !(await canLowerOOMScoreAdj());
  const tmp = `${layout.config}.tmp`;
  await writeFile(tmp, containerdConfig(layout, { ...options, restrictOOMScoreAdj }));
  await rename(tmp, layout.config);
}

const CAP_SYS_RESOURCE = 24n;

/** Whether this process (and so the containerd it starts) holds CAP_SYS_RESOURCE. */
export async function canLowerOOMScoreAdj(): Promise<boolean> {
  const status = await readFile('/proc/self/status', 'utf8');
  const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return eff !== undefined && ((BigInt(`0x${eff}`) >> CAP_SYS_RESOURCE) & 1n) === 1n;
}
