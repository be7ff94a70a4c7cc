/**
 * The node's links as the pod network needs them: the interface holding the node IP (its MTU
 * bounds the pods'), a link by name, and the CNI bridge with its gateway address. The bridge
 * plugin creates the bridge and gives it the podCIDR's first address only when the first pod
 * starts; routes from other nodes must reach this node's podCIDR before that (and a node's
 * own host must reach it too), so the bridge is made here as soon as the podCIDR is known, the
 * way the plugin would make it (it then finds and keeps it).
 *
 *   interfaceOf(run, ip): Promise<{ name: string; mtu: number }>
 *   linkOf(run, name): Promise<Link | undefined>
 *   ensureBridgeGateway(run, bridge, podCIDR): Promise<string>   // the gateway address
 */
import { nthAddress, parseCidr } from '../../apiserver/allocators/cidr.js';
import type { NetworkCommandRunner } from './interface.js';

/** What `ip -d -j link/addr show` says of a link (the fields used here). */
export interface Link {
  ifname: string;
  mtu: number;
  address: string;
  addr_info?: { family: string; local: string }[];
  linkinfo?: { info_kind?: string; info_data?: { id?: number; local?: string; port?: number } };
}

/** The interface that has `ip` (the node IP). */
export async function interfaceOf(run: NetworkCommandRunner, ip: string): Promise<{ name: string; mtu: number }> {
  const links = JSON.parse(await run('ip', ['-j', 'addr', 'show'])) as Link[];
  const link = links.find((l) => (l.addr_info ?? []).some((a) => a.family === 'inet' && a.local === ip));
  if (!link) throw new Error(`no interface has the node IP ${ip}`);
  return { name: link.ifname, mtu: link.mtu };
}

export async function linkOf(run: NetworkCommandRunner, name: string): Promise<Link | undefined> {
  const out = await run('ip', ['-d', '-j', 'link', 'show', name]).catch(() => undefined);
  return out ? (JSON.parse(out) as Link[])[0] : undefined;
}

/** Creates the bridge unless it exists, gives it the podCIDR's first address (the pods' gateway) and sets it up. */
export async function ensureBridgeGateway(run: NetworkCommandRunner, bridge: string, podCIDR: string): Promise<string> {
  const cidr = parseCidr(podCIDR);
  const gateway = nthAddress(cidr, 1);
  if (!(await linkOf(run, bridge))) await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await run('ip', ['addr', 'replace', `${gateway}/${cidr.prefix}`, 'dev', bridge]);
  await run('ip', ['link', 'set', bridge, 'up']);
  return gateway;
}
