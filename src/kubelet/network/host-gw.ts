/**
 * The host-gw backend (flannel's): every other node's podCIDR is routed via that node's address,
 * which must be on a segment this node shares (the kernel refuses a next hop it cannot reach
 * directly). Nothing to encapsulate, so pods keep the segment's MTU.
 *
 *   hostGwRoutes(remotes): PodRoute[]
 *   new HostGwBackend({ run, mtu })
 */
import type { BackendSetup, LocalNode, NetworkCommandRunner, PodNetworkBackend, RemoteNode } from './interface.js';
import { flushRoutes, type PodRoute, syncRoutes } from './routes.js';
import { interfaceOf } from './links.js';

/** The route to each remote node's podCIDR: via its public address. */
export function hostGwRoutes(remotes: readonly RemoteNode[]): PodRoute[] {
  return remotes.map((r) => ({ dst: r.podCIDR, via: r.publicIP }));
}

export class HostGwBackend implements PodNetworkBackend {
  readonly type = 'host-gw';
  readonly #run: NetworkCommandRunner;

  constructor(options: { run: NetworkCommandRunner }) {
    this.#run = options.run;
  }

  async setup(local: LocalNode): Promise<BackendSetup> {
    const parent = await interfaceOf(this.#run, local.nodeIP);
    return {
      annotations: {
        'flannel.alpha.coreos.com/backend-type': 'host-gw',
        'flannel.alpha.coreos.com/backend-data': 'null',
        'flannel.alpha.coreos.com/public-ip': local.nodeIP,
        'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      },
      mtu: parent.mtu,
    };
  }

  async sync(remotes: readonly RemoteNode[]): Promise<void> {
    await syncRoutes(this.#run, hostGwRoutes(remotes));
  }

  async cleanup(): Promise<void> {
    await flushRoutes(this.#run);
  }
}
