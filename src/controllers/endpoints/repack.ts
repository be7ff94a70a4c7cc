import { cloneJson } from '../../machinery/clone.js';
/**
 * RepackSubsets (upstream pkg/api/v1/endpoints): merges subsets so that addresses sharing the
 * same set of ports share one subset; not-ready trumps ready for an address on a port; the
 * result is sorted (addresses by IP then target uid; ports and subsets in a stable order).
 */

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

const addressKey = (a: EndpointAddress): string => `${a.ip}|${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort): string => `${p.name ?? ''}|${p.port}|${p.protocol ?? ''}|${p.appProtocol ?? ''}`;
const SENTINEL: EndpointPort = { port: -1 };

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>();
  const ports = new Map<string, EndpointPort>();
  /** port key → (address key → ready) */
  const byPort = new Map<string, Map<string, boolean>>();
  const mapAddress = (addr: EndpointAddress, port: EndpointPort, ready: boolean): void => {
    const ak = addressKey(addr);
    if (!allAddrs.has(ak)) allAddrs.set(ak, addr);
    const pk = portKey(port);
    ports.set(pk, port);
    let set = byPort.get(pk);
    if (!set) byPort.set(pk, (set = new Map()));
    // not ready always trumps ready
    if (set.get(ak) !== false) set.set(ak, ready);
  };
  for (const ss of subsets) {
    for (const port of ss.ports?.length ? ss.ports : [SENTINEL]) {
      for (const a of ss.addresses ?? []) mapAddress(a, port, true);
      for (const a of ss.notReadyAddresses ?? []) mapAddress(a, port, false);
    }
  }
  // ports that have the same address set share a subset
  const groups = new Map<string, { addrs: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const [pk, addrs] of byPort) {
    const key = [...addrs]
      .map(([a, r]) => `${a}=${r}`)
      .sort()
      .join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs, ports: [] }));
    const port = ports.get(pk)!;
    if (port.port !== -1) g.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [ak, r] of g.addrs) (r ? ready : notReady).push(cloneJson(allAddrs.get(ak)!));
    const ss: EndpointSubset = {};
    if (ready.length > 0) ss.addresses = ready.sort(compareAddresses);
    if (notReady.length > 0) ss.notReadyAddresses = notReady.sort(compareAddresses);
    if (g.ports.length > 0) ss.ports = g.ports.map((p) => cloneJson(p)).sort((a, b) => compareKeys(portKey(a), portKey(b)));
    out.push(ss);
  }
  const first = (ss: EndpointSubset): string =>
    `${ss.addresses?.[0] ? addressKey(ss.addresses[0]) : ''}/${ss.notReadyAddresses?.[0] ? addressKey(ss.notReadyAddresses[0]) : ''}/${(ss.ports ?? []).map(portKey).join(',')}`;
  return out.sort((a, b) => compareKeys(first(a), first(b)));
}
