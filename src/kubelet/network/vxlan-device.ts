/**
 * The VXLAN device of the vxlan backend: created once and kept across restarts, so its MAC
 * (published as the node's VtepMAC) stays the one other nodes know; recreated only when its VNI,
 * port or local address differ from what is asked.
 *
 *   ensureVxlanDevice(run, spec): Promise<{ mac: string; mtu: number }>
 */
import type { NetworkCommandRunner } from './interface.js';
import { interfaceOf, type Link, linkOf } from './links.js';

/** VXLAN's encapsulation: outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14) bytes. */
export const VXLAN_OVERHEAD = 50;

export interface VxlanDeviceSpec {
  name: string;
  vni: number;
  port: number;
  /** The node IP: the tunnel's source and the interface it rides on. */
  local: string;
  /** The device's own address (flannel's: the podCIDR's network address, /32). */
  address: string;
}

/** Creates (or keeps) the VXLAN device, gives it its address and the MTU of its parent minus VXLAN_OVERHEAD, and sets it up. */
export async function ensureVxlanDevice(run: NetworkCommandRunner, spec: VxlanDeviceSpec): Promise<{ mac: string; mtu: number }> {
  const parent = await interfaceOf(run, spec.local);
  let link = await linkOf(run, spec.name);
  const data = link?.linkinfo?.info_data;
  if (link && (link.linkinfo?.info_kind !== 'vxlan' || data?.id !== spec.vni || data.port !== spec.port || data.local !== spec.local)) {
    await run('ip', ['link', 'del', spec.name]);
    link = undefined;
  }
  if (!link) {
    await run('ip', [
      ...['link', 'add', spec.name, 'type', 'vxlan', 'id', String(spec.vni)],
      ...['local', spec.local, 'dev', parent.name, 'dstport', String(spec.port), 'nolearning'],
    ]);
  }
  const mtu = parent.mtu - VXLAN_OVERHEAD;
  await run('ip', ['link', 'set', spec.name, 'mtu', String(mtu)]);
  await run('ip', ['addr', 'replace', `${spec.address}/32`, 'dev', spec.name]);
  // only the one address: a podCIDR that changed leaves no stale one
  const [current] = JSON.parse(await run('ip', ['-j', 'addr', 'show', 'dev', spec.name])) as Link[];
  for (const a of current?.addr_info ?? []) {
    if (a.family === 'inet' && a.local !== spec.address) await run('ip', ['addr', 'del', `${a.local}/32`, 'dev', spec.name]);
  }
  await run('ip', ['link', 'set', spec.name, 'up']);
  const created = await linkOf(run, spec.name);
  if (!created) throw new Error(`the VXLAN device ${spec.name} vanished`);
  return { mac: created.address, mtu };
}
