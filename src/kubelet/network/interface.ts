/**
 * The pod network across nodes, as flannel makes it: each node's pods live in its spec.podCIDR
 * behind the node's CNI bridge, and a backend makes every other node's podCIDR reachable from
 * here. `host-gw` routes it via the other node's address (the nodes share an L2 segment);
 * `vxlan` tunnels it through a VXLAN device (VNI 1, UDP 8472, as flannel.1) whose VTEP MAC each
 * node publishes in flannel's Node annotations. Each backend passes the conformance suite in
 * testing/.
 */

/** Runs a program (ip, bridge, iptables …) and returns its stdout; throws when it exits non-zero. */
export type NetworkCommandRunner = (file: string, args: string[]) => Promise<string>;

/** The backends `--flannel-backend` names (`none`: no pod network across nodes). */
export type FlannelBackendType = 'host-gw' | 'vxlan';

/** This node, once it has its podCIDR. */
export interface LocalNode {
  name: string;
  /** The node's InternalIP: the address other nodes send to (flannel's public-ip). */
  nodeIP: string;
  /** spec.podCIDR, e.g. 10.244.1.0/24. */
  podCIDR: string;
}

/** Another node of the cluster, as its Node object describes it. */
export interface RemoteNode {
  name: string;
  podCIDR: string;
  /** flannel.alpha.coreos.com/public-ip, else the InternalIP. */
  publicIP: string;
  /** flannel.alpha.coreos.com/backend-type (undefined: not annotated yet). */
  backendType?: string;
  /** VtepMAC of flannel.alpha.coreos.com/backend-data (vxlan). */
  vtepMAC?: string;
}

/** What setting up the local side gives the node. */
export interface BackendSetup {
  /** The annotations to publish on this node's Node (flannel's shape). */
  annotations: Record<string, string>;
  /** The MTU pods get (the VXLAN device's for vxlan: the parent's minus 50 bytes of encapsulation). */
  mtu: number;
}

/** One way of reaching the other nodes' pods. */
export interface PodNetworkBackend {
  readonly type: FlannelBackendType;
  /** Prepares this node's side (vxlan: the device and its address); idempotent across restarts. */
  setup(local: LocalNode): Promise<BackendSetup>;
  /**
   * Makes every remote node's podCIDR reachable and removes what was programmed for nodes that
   * are not listed any more (found again from the kernel, so a restart loses nothing).
   */
  sync(remotes: readonly RemoteNode[]): Promise<void>;
  /** Removes everything the backend made: its routes, neighbours, FDB entries and devices. */
  cleanup(): Promise<void>;
}
