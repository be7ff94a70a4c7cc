/**
 * What the two measuring halves of the service proxy phase share (proxy-sync-iptables.ts,
 * proxy-sync-nftables.ts, run by proxy-sync-child.ts inside the bench's network namespace): the
 * synthetic cluster they sync — S Services × E endpoints, one port each, one in ten a NodePort,
 * half the endpoints on this node — and the change a partial sync is measured with (one endpoint
 * of one Service replaced by a new pod IP); the rounds they run and the shape of what they
 * measure; the CPU time of the programs a sync ran.
 *
 *   syntheticState(services, endpoints): SyntheticState
 *   childrenCpuMs(): Promise<number>
 */
import { readFile } from 'node:fs/promises';
import type { Endpoint, ProxyState, ServicePort } from '../src/proxy/interface.js';
import type { LatencySummary } from './stats.js';

/** The syncs one mode is measured with. */
export interface SyncRounds {
  services: number;
  endpoints: number;
  /** Partial syncs measured. */
  rounds: number;
  /** Full syncs measured (slow with iptables-nft: seconds each at 1,000 × 10). */
  fullRounds: number;
  log: (line: string) => void;
}

/** One kind of sync: its time as the proxier reports it, and the part the program it ran took. */
export interface Measured {
  sync: LatencySummary;
  /** iptables-restore's or nft's time within each sync (a sum when a sync ran several). */
  restore: LatencySummary;
  /** The mean CPU time per sync of the programs it ran (childrenCpuMs): the machine's load left out. */
  cpuMs: number;
}

const ipOf = (base: number, i: number): string => {
  const n = base + i;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
};
const SERVICE_BASE = (10 << 24) | (96 << 16);
const POD_BASE = (10 << 24) | (244 << 16);

export interface SyntheticState {
  state: ProxyState;
  /** Every service port's key. */
  all: Set<string>;
  /** Replaces one endpoint of one Service (which one follows `round`); returns the changed key. */
  replaceOneEndpoint(round: number): string;
}

export function syntheticState(services: number, endpoints: number): SyntheticState {
  const ports = new Map<string, ServicePort>();
  const endpointsOf = new Map<string, Endpoint[]>();
  for (let s = 0; s < services; s++) {
    const key = `bench/svc-${s}:http`;
    ports.set(key, {
      key,
      namespace: 'bench',
      name: `svc-${s}`,
      portName: 'http',
      protocol: 'TCP',
      clusterIPs: [ipOf(SERVICE_BASE, s + 10)],
      port: 80,
      ...(s % 10 === 0 ? { nodePort: 30000 + s } : {}),
      externalIPs: [],
      loadBalancerIPs: [],
      externalPolicyLocal: false,
      internalPolicyLocal: false,
    });
    endpointsOf.set(
      key,
      Array.from({ length: endpoints }, (_, e) => ({
        ip: ipOf(POD_BASE, s * endpoints + e + 2),
        port: 8080,
        ready: true,
        serving: true,
        terminating: false,
        isLocal: e % 2 === 0,
      })),
    );
  }
  let fresh = services * endpoints + 10;
  return {
    state: { services: ports, endpoints: endpointsOf },
    all: new Set(ports.keys()),
    replaceOneEndpoint(round) {
      const key = `bench/svc-${round % services}:http`;
      const eps = endpointsOf.get(key) ?? [];
      eps[0] = { ...(eps[0] as Endpoint), ip: ipOf(POD_BASE, fresh++) };
      return key;
    },
  };
}

/**
 * CPU time in ms that this process's finished children (and theirs) used: /proc/self/stat's
 * cutime + cstime, in clock ticks of 10 ms. The difference around some syncs is what their
 * iptables-restore or nft cost, however busy the machine's other processes keep it.
 */
export async function childrenCpuMs(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  // the fields after "pid (comm) ": state is field 3, cutime 16, cstime 17
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}
