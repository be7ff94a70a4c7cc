/**
 * The CRI runtime a real node runs on, as the kubelet's --container-runtime-endpoint picks it:
 * k8ts' own containerd under DATA/agent/containerd, started and supervised here (as k3s runs
 * its own), or a runtime already running at a unix socket (no supervisor; k8ts neither starts
 * nor stops it). Either way the node gets a CriRuntime that answered status(), the socket
 * (images are imported through it when the runtime is containerd), the runtime's CNI conf dir
 * where the node's conflist goes, and the sandbox image the runtime uses.
 *
 *   openNodeRuntime(options: NodeRuntimeOptions, signal: AbortSignal): Promise<NodeRuntime>
 *   sandboxImageOf(status: RuntimeStatus): string | undefined
 *   containerdRootOf(status: RuntimeStatus): string | undefined
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type ContainerdLayout, writeContainerdConfig } from './containerd/config.js';
import { ContainerdSupervisor } from './containerd/supervisor.js';
import { PAUSE_IMAGE } from './images/pause-image.js';
import { CriRuntime } from './runtime/cri/cri-runtime.js';
import type { RuntimeStatus } from './runtime/interface.js';

/** containerd's default CNI conf dir: where a conflist goes for a runtime k8ts did not start. */
export const DEFAULT_CNI_CONF_DIR = '/etc/cni/net.d';

export interface NodeRuntimeOptions {
  /** k8ts' own containerd's files (under DATA/agent/containerd); its cniDataDir keeps host-local's leases either way. */
  layout: ContainerdLayout;
  /** The socket of a running CRI runtime to use instead of starting containerd (--container-runtime-endpoint). */
  runtimeSocket?: string;
  /** Where that runtime's CRI plugin reads CNI configs (--cni-conf-dir; default DEFAULT_CNI_CONF_DIR). */
  cniConfDir?: string;
  /** How long the runtime may take to answer CRI status(). */
  readyTimeoutMs: number;
  log: (message: string) => void;
}

export interface NodeRuntime {
  runtime: CriRuntime;
  /** The runtime's socket. */
  socket: string;
  /** Whether k8ts started this runtime (and so supervises it). */
  own: boolean;
  /** The runtime's name and version, e.g. containerd / 1.6.20~ds1. */
  runtimeName: string;
  runtimeVersion: string;
  /** The CRI plugin's CNI conf dir. */
  cniConfDir: string;
  /** host-local's leases. */
  cniDataDir: string;
  /** The image the runtime runs sandboxes from (it must be present: nothing is pulled for it). */
  sandboxImage: string;
  /** A directory on the runtime's image file system (k8ts' containerd's root; for another runtime, containerd's default root when it exists, else /). */
  imageFsDir: string;
  /** Closes the connection; stops k8ts' own containerd, keeping its containers for the next start to adopt. */
  close(): Promise<void>;
}

/** A string field of containerd's CRI config, from a verbose status() (info.config is its JSON). */
function criConfigField(status: RuntimeStatus, field: string): string | undefined {
  try {
    const value = (JSON.parse(status.info?.['config'] ?? '{}') as Record<string, unknown>)[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The sandbox image of a containerd's CRI config. */
export const sandboxImageOf = (status: RuntimeStatus): string | undefined => criConfigField(status, 'sandboxImage');

/** containerd's root (its image file system) in its CRI config. */
export const containerdRootOf = (status: RuntimeStatus): string | undefined => criConfigField(status, 'containerdRootDir');

/** Polls CRI status() until it answers, bounded by `timeoutMs`; returns the verbose status. */
async function waitRuntimeReady(runtime: CriRuntime, socket: string, timeoutMs: number, signal: AbortSignal): Promise<RuntimeStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal.throwIfAborted();
    try {
      return await runtime.status(true);
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`the CRI runtime at ${socket} did not answer in ${timeoutMs} ms: ${(err as Error).message}`);
    }
    await sleep(100, undefined, { signal });
  }
}

export async function openNodeRuntime(options: NodeRuntimeOptions, signal: AbortSignal): Promise<NodeRuntime> {
  const { layout } = options;
  let supervisor: ContainerdSupervisor | undefined;
  if (options.runtimeSocket === undefined) {
    await writeContainerdConfig(layout, { sandboxImage: PAUSE_IMAGE });
    supervisor = new ContainerdSupervisor({ layout, log: (m) => options.log(`containerd: ${m}`) });
    await supervisor.start();
  }
  const socket = options.runtimeSocket ?? layout.socket;
  const runtime = new CriRuntime({ endpoint: `unix://${socket}` });
  const close = async (): Promise<void> => {
    runtime.close();
    await supervisor?.stop({ keepContainers: true });
  };
  try {
    const status = await waitRuntimeReady(runtime, socket, options.readyTimeoutMs, signal);
    const version = await runtime.version('v1');
    return {
      runtime,
      socket,
      own: supervisor !== undefined,
      runtimeName: version.runtimeName,
      runtimeVersion: version.runtimeVersion,
      cniConfDir: supervisor ? layout.cniConfDir : (options.cniConfDir ?? DEFAULT_CNI_CONF_DIR),
      cniDataDir: layout.cniDataDir,
      sandboxImage: supervisor ? PAUSE_IMAGE : (sandboxImageOf(status) ?? PAUSE_IMAGE),
      imageFsDir: supervisor ? layout.root : (containerdRootOf(status) ?? '/'),
      close,
    };
  } catch (err) {
    await close().catch((e: Error) => options.log(`stopping containerd: ${e.message}`));
    throw err;
  }
}
