/**
 * The vxlan backend (flannel's): one VXLAN device, VXLAN_DEVICE (VNI 1, UDP 8472 as flannel.1),
 * whose address is the podCIDR's network address and whose MAC each node publishes as its
 * VtepMAC. For every remote node: a route to its podCIDR via its VTEP gateway (the remote's
 * podCIDR network address) onlink on the device, a permanent neighbour entry gateway → VtepMAC,
 * and an FDB entry VtepMAC → the remote's public IP — so the kernel encapsulates a pod's packet
 * straight to the right node, with no learning and no multicast.
 *
 *   vxlanPlan(remotes): VxlanPlan
 *   new VxlanBackend({ run })
 */
import { nthAddress, parseCidr } from '../../apiserver/allocators/cidr.js';
import type { BackendSetup, LocalNode, NetworkCommandRunner, PodNetworkBackend, RemoteNode } from './interface.js';
import { flushRoutes, type PodRoute, syncRoutes } from './routes.js';
import { ensureVxlanDevice } from './vxlan-device.js';

export const VXLAN_DEVICE = 'k8ts.1';
export const VXLAN_VNI = 1;
export const VXLAN_PORT = 8472;

export interface VxlanPlan {
  routes: PodRoute[];
  /** Permanent neighbour entries on the device: the remote VTEP gateway's address → its VtepMAC. */
  neighbours: { ip: string; mac: string }[];
  /** FDB entries on the device: VtepMAC → the remote node's address. */
  fdb: { mac: string; dst: string }[];
}

/** The VTEP gateway of a podCIDR: its network address (flannel's). */
export const vtepGateway = (podCIDR: string): string => nthAddress(parseCidr(podCIDR), 0);

/** What the device needs for the remotes that published a VtepMAC. */
export function vxlanPlan(remotes: readonly RemoteNode[]): VxlanPlan {
  const plan: VxlanPlan = { routes: [], neighbours: [], fdb: [] };
  for (const r of remotes) {
    if (!r.vtepMAC) continue;
    const gateway = vtepGateway(r.podCIDR);
    plan.routes.push({ dst: r.podCIDR, via: gateway, dev: VXLAN_DEVICE, onlink: true });
    plan.neighbours.push({ ip: gateway, mac: r.vtepMAC });
    plan.fdb.push({ mac: r.vtepMAC, dst: r.publicIP });
  }
  return plan;
}

interface KernelNeighbour {
  dst: string;
  lladdr?: string;
}

interface KernelFdbEntry {
  mac: string;
  dst?: string;
}

export class VxlanBackend implements PodNetworkBackend {
  readonly type = 'vxlan';
  readonly #run: NetworkCommandRunner;

  constructor(options: { run: NetworkCommandRunner }) {
    this.#run = options.run;
  }

  async setup(local: LocalNode): Promise<BackendSetup> {
    const device = await ensureVxlanDevice(this.#run, {
      name: VXLAN_DEVICE,
      vni: VXLAN_VNI,
      port: VXLAN_PORT,
      local: local.nodeIP,
      address: vtepGateway(local.podCIDR),
    });
    return {
      annotations: {
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/backend-data': JSON.stringify({ VNI: VXLAN_VNI, VtepMAC: device.mac }),
        'flannel.alpha.coreos.com/public-ip': local.nodeIP,
        'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      },
      mtu: device.mtu,
    };
  }

  async sync(remotes: readonly RemoteNode[]): Promise<void> {
    const run = this.#run;
    const plan = vxlanPlan(remotes);
    // as flannel: the FDB and neighbour entries first, then the route that uses them
    const fdb = JSON.parse((await run('bridge', ['-j', 'fdb', 'show', 'dev', VXLAN_DEVICE])) || '[]') as KernelFdbEntry[];
    for (const e of fdb) {
      if (e.dst && !plan.fdb.some((w) => w.mac === e.mac && w.dst === e.dst)) {
        await run('bridge', ['fdb', 'del', e.mac, 'dev', VXLAN_DEVICE, 'dst', e.dst, 'self']);
      }
    }
    for (const e of plan.fdb) {
      if (!fdb.some((g) => g.mac === e.mac && g.dst === e.dst)) {
        await run('bridge', ['fdb', 'replace', e.mac, 'dev', VXLAN_DEVICE, 'dst', e.dst, 'self', 'permanent']);
      }
    }
    const neighbours = JSON.parse((await run('ip', ['-j', 'neigh', 'show', 'dev', VXLAN_DEVICE])) || '[]') as KernelNeighbour[];
    for (const n of neighbours) {
      if (!plan.neighbours.some((w) => w.ip === n.dst)) await run('ip', ['neigh', 'del', n.dst, 'dev', VXLAN_DEVICE]);
    }
    for (const n of plan.neighbours) {
      if (!neighbours.some((g) => g.dst === n.ip && g.lladdr === n.mac)) {
        await run('ip', ['neigh', 'replace', n.ip, 'lladdr', n.mac, 'dev', VXLAN_DEVICE, 'nud', 'permanent']);
      }
    }
    await syncRoutes(run, plan.routes);
  }

  async cleanup(): Promise<void> {
    await flushRoutes(this.#run);
    await this.#run('ip', ['link', 'del', VXLAN_DEVICE]).catch(() => undefined);
  }
}
