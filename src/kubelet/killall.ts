/**
 * `k8ts killall` (as k3s' k3s-killall.sh): removes everything a real node under a data dir runs
 * or set up on the machine, for a clean stop or before deleting the data dir. In order: the
 * k8ts server or agent that runs the node's containerd (SIGTERM, as its service would be
 * stopped), that containerd, every container and shim it ran and their cgroups, every mount
 * under the data dir, the CNI bridge and the iptables rules of the node's CNI network (named in
 * its conflist), the pod network across nodes (routes, VXLAN device, masquerade and forward
 * rules of that bridge: network/cleanup.ts), host-local's IP allocations, and the service
 * proxy's iptables chains and jumps and its nftables table (kube-proxy's, named as upstream's: the
 * machine has one node's), the userspace proxy's k8ts-svc0 device and the node-local DNS cache's k8ts-dns0. A node on a runtime k8ts did not start
 * (--container-runtime-endpoint) leaves that runtime running, without this node's pod sandboxes
 * and containers and without the conflist the node wrote into its CNI conf dir
 * (external-runtime.ts). Everything else is found from the data dir's own files (PID file
 * checked against the command line, runc state, the conflist, the external runtime's record, the
 * pod directories), so nothing that belongs to another containerd, bridge, network or node is
 * touched. Each thing removed is reported in one line.
 *
 *   killNode(options: KillNodeOptions): Promise<void>
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFLIST_FILE } from './cni/conflist.js';
import { cleanupCniNetwork } from './containerd/testing/cni-cleanup.js';
import { killStrayContainerd, teardownContainerd } from './containerd/teardown.js';
import { forgetExternalRuntime, readExternalRuntime, removeNodePodsFromRuntime } from './external-runtime.js';
import { unmountUnder } from './mounts.js';
import { hostCommandRunner } from './network/backends.js';
import { cleanupPodNetwork } from './network/cleanup.js';
import { realNodeLayout } from './real-node.js';
import { removeProxyRules } from '../proxy/iptables/cleanup.js';
import { removeNftablesRules } from '../proxy/nftables/cleanup.js';
import { removeNodeLocalDNSDevice } from '../dns/node-local-dns.js';
import { removeServiceDevice } from '../proxy/userspace/service-addresses.js';

export interface KillNodeOptions {
  dataDir: string;
  report: (line: string) => void;
  /** How long the k8ts process gets after SIGTERM before SIGKILL (default 60 s). */
  stopTimeoutMs?: number;
}

const argvOf = async (pid: number): Promise<string[]> =>
  ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')) || '').split('\0').filter(Boolean);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The parent PID of a process (field 4 of /proc/PID/stat). */
async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : Number.NaN;
  return Number.isInteger(ppid) && ppid > 1 ? ppid : undefined;
}

/** Whether argv is `… k8ts(.js) server|agent …`. */
function isK8tsNode(argv: string[]): boolean {
  const at = argv.findIndex((a) => /^k8ts(\.js|\.mjs)?$/.test(basename(a)));
  return at >= 0 && (argv[at + 1] === 'server' || argv[at + 1] === 'agent');
}

/** The k8ts server/agent processes of this data dir: the parent of its containerd, and any naming it with --data-dir. */
async function k8tsProcesses(dataDir: string, containerdPid: number | undefined): Promise<number[]> {
  const found = new Set<number>();
  const parent = containerdPid ? await parentOf(containerdPid) : undefined;
  if (parent && isK8tsNode(await argvOf(parent))) found.add(parent);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const argv = await argvOf(Number(entry));
    const at = argv.indexOf('--data-dir');
    const dir = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
    if (dir === dataDir && isK8tsNode(argv)) found.add(Number(entry));
  }
  return [...found];
}

async function stopProcess(pid: number, timeoutMs: number, report: (line: string) => void): Promise<void> {
  const what = (await argvOf(pid)).find((a) => a === 'server' || a === 'agent') ?? 'process';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  report(`stopped k8ts ${what} (pid ${pid})`);
}

/** The CNI network's name and bridge from the node's conflist, if it wrote one. */
async function cniNetwork(confDir: string): Promise<{ name: string; bridge: string } | undefined> {
  const text = await readFile(join(confDir, CONFLIST_FILE), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const conf = JSON.parse(text) as { name?: string; plugins?: { type?: string; bridge?: string }[] };
  const bridge = conf.plugins?.find((p) => p.type === 'bridge')?.bridge;
  return conf.name && bridge ? { name: conf.name, bridge } : undefined;
}

export async function killNode(options: KillNodeOptions): Promise<void> {
  const { dataDir, report } = options;
  const layout = realNodeLayout(dataDir).containerd;
  const pidText = await readFile(layout.pidFile, 'utf8').catch(() => '');
  const containerdPid = Number(pidText.trim()) || undefined;
  for (const pid of await k8tsProcesses(dataDir, containerdPid)) await stopProcess(pid, options.stopTimeoutMs ?? 60_000, report);
  const external = await readExternalRuntime(dataDir);
  if (external) await removeNodePodsFromRuntime(dataDir, external, report);
  const killed = await killStrayContainerd(layout);
  if (killed) report(`killed containerd (pid ${killed})`);
  await teardownContainerd(layout, { report });
  await unmountUnder(dataDir, { report });
  const confDir = external?.cniConfDir ?? layout.cniConfDir;
  const network = await cniNetwork(confDir);
  if (external && network) {
    await rm(join(confDir, CONFLIST_FILE), { force: true });
    report(`removed CNI config ${join(confDir, CONFLIST_FILE)}`);
  }
  if (external) await forgetExternalRuntime(dataDir);
  if (network) {
    // the shared CNI-HOSTPORT-* chains may be anyone's: they stay
    await cleanupCniNetwork({ ...network, hostportChainsExisted: true }, report);
    await cleanupPodNetwork({ run: hostCommandRunner, bridge: network.bridge, report });
    const leases = join(layout.cniDataDir, network.name);
    if ((await readdir(leases).catch(() => [])).length > 0) {
      await rm(leases, { recursive: true, force: true });
      report(`removed IP allocations ${leases}`);
    }
  }
  await removeProxyRules({ report }).catch((err: unknown) =>
    report(`could not remove the service proxy's iptables rules: ${(err as Error).message}`),
  );
  await removeNftablesRules({ report }).catch((err: unknown) => {
    // a node without nft has no nftables rules either
    if ((err as { cause?: { code?: unknown } }).cause?.code !== 'ENOENT') {
      report(`could not remove the service proxy's nftables table: ${(err as Error).message}`);
    }
  });
  await removeNodeLocalDNSDevice(report);
  await removeServiceDevice({ report });
}
