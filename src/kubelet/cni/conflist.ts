/**
 * The CNI network of a node: the conflist the agent writes into containerd's CNI conf dir for
 * the node's podCIDR(s). bridge (isGateway, ipMasq, hairpinMode) with host-local IPAM, then
 * portmap for hostPorts. Loopback is not listed: containerd's CRI plugin sets up `lo` itself
 * with the loopback plugin from its bin_dir. cniVersion 1.0.0 (Debian's plugins speak 0.1.0 …
 * 1.0.0). With a pod network across nodes (kubelet/network), the bridge plugin's ipMasq is off (the
 * network masquerades only what leaves the cluster CIDR) and pods get the network's MTU.
 *
 *   CONFLIST_FILE = '10-k8ts.conflist'
 *   bridgeConflist(options: BridgeNetworkOptions): CniConflist
 *   writeConflist(dir: string, options: BridgeNetworkOptions): Promise<string>   // the file written
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CONFLIST_FILE = '10-k8ts.conflist';
export const DEFAULT_BRIDGE = 'k8ts0';
export const DEFAULT_NETWORK = 'k8ts';

export interface BridgeNetworkOptions {
  /** The node's pod CIDRs (one per IP family), e.g. ["10.244.1.0/24"]. */
  podCIDRs: string[];
  /** Where host-local keeps its leases: under the agent's data dir, so a wiped data dir leaves none. */
  ipamDataDir: string;
  /** The Linux bridge (at most 15 characters; default DEFAULT_BRIDGE). */
  bridge?: string;
  /** The network's name; the CNI plugins put it in their iptables comments (default DEFAULT_NETWORK). */
  name?: string;
  /** The bridge plugin masquerades what leaves the podCIDR (default true; off under a pod network across nodes). */
  ipMasq?: boolean;
  /** The MTU of the bridge and the pods' interfaces (default: the plugin's, the bridge's). */
  mtu?: number;
}

export interface CniConflist {
  cniVersion: string;
  name: string;
  plugins: Record<string, unknown>[];
}

export function bridgeConflist(options: BridgeNetworkOptions): CniConflist {
  const bridge = options.bridge ?? DEFAULT_BRIDGE;
  if (bridge.length > 15) throw new Error(`bridge name ${bridge} is longer than 15 characters`);
  if (options.podCIDRs.length === 0) throw new Error('the CNI network needs at least one pod CIDR');
  const families = options.podCIDRs.map((cidr) => (cidr.includes(':') ? '::/0' : '0.0.0.0/0'));
  return {
    cniVersion: '1.0.0',
    name: options.name ?? DEFAULT_NETWORK,
    plugins: [
      {
        type: 'bridge',
        bridge,
        isGateway: true,
        ipMasq: options.ipMasq ?? true,
        hairpinMode: true,
        ...(options.mtu ? { mtu: options.mtu } : {}),
        ipam: {
          type: 'host-local',
          ranges: options.podCIDRs.map((subnet) => [{ subnet }]),
          routes: [...new Set(families)].map((dst) => ({ dst })),
          dataDir: options.ipamDataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/** Writes the conflist as `dir/CONFLIST_FILE` through a temporary file and a rename, so containerd never reads half of it. */
export async function writeConflist(dir: string, options: BridgeNetworkOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, CONFLIST_FILE);
  // A dot name with another extension: libcni only loads *.conf, *.conflist and *.json.
  const tmp = join(dir, `.${CONFLIST_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(bridgeConflist(options), null, 2)}\n`);
  await rename(tmp, file);
  return file;
}
