/**
 * UDP conntrack cleanup, as upstream kube-proxy's iptables mode does it after each sync. A UDP
 * "connection" lives on in the kernel's conntrack table as long as its client keeps sending, and
 * keeps the DNAT (or the REJECT) of the rules it first met; so, for the UDP service ports a sync
 * changed:
 *
 *   - an endpoint that served and is gone: delete the entries that still DNAT to it through the
 *     service port's cluster IPs, external IPs, load balancer IPs and node port;
 *   - a service port that goes from no serving endpoint to some: delete the entries for its
 *     cluster, external and load balancer IPs and node port, so clients stop hitting the REJECT.
 *
 * Done with Debian's `conntrack` tool (package conntrack), an optional tool: a node without it
 * logs once and skips the cleanup.
 *
 *   staleConntrackFilters(previous, state, changed): string[][]   conntrack argument lists
 *   new Conntrack({ run?, log? }).clear(filters): Promise<void>
 */
import { CommandError, runCommand } from '../../kubelet/command.js';
import type { Endpoint, ProxyState, ServicePort } from '../interface.js';

/** What the proxier knew of a UDP service port at its last sync. */
export interface UDPServicePortSnapshot {
  port: ServicePort;
  endpoints: readonly Endpoint[];
}

const serving = (eps: readonly Endpoint[] | undefined): Endpoint[] => (eps ?? []).filter((ep) => ep.serving);

/** The addresses a service port is reached on (cluster, external and load balancer IPs). */
const serviceIPs = (port: ServicePort): string[] => [...port.clusterIPs, ...port.externalIPs, ...port.loadBalancerIPs];

/**
 * The `conntrack` argument lists that delete the stale UDP entries of the `changed` service
 * ports, given what the previous sync knew of them (upstream's DeletedUDPEndpoints and
 * NewlyActiveUDPServices); each filter once.
 */
export function staleConntrackFilters(
  previous: ReadonlyMap<string, UDPServicePortSnapshot>,
  state: ProxyState,
  changed: Iterable<string>,
): string[][] {
  const filters = new Map<string, string[]>();
  const add = (args: string[]): void => {
    filters.set(args.join(' '), args);
  };
  for (const key of changed) {
    const before = previous.get(key);
    const now = state.services.get(key);
    const nowUDP = now?.protocol === 'UDP' ? now : undefined;
    const endpoints = nowUDP ? (state.endpoints.get(key) ?? []) : [];
    if (before) {
      // the addresses clients reached the gone endpoints on: the Service's as it is, else as it was
      const port = nowUDP ?? before.port;
      // an endpoint that stopped serving counts as gone (upstream's detectStaleConntrackEntries):
      // otherwise its entries outlive it when it is removed later, no longer serving
      const still = new Set(serving(endpoints).map((ep) => `${ep.ip}:${ep.port}`));
      for (const ep of serving(before.endpoints)) {
        if (still.has(`${ep.ip}:${ep.port}`)) continue;
        for (const ip of serviceIPs(port)) add(['-D', '--orig-dst', ip, '--dst-nat', ep.ip, '-p', 'udp']);
        if (port.nodePort !== undefined) add(['-D', '-p', 'udp', '--dport', String(port.nodePort), '--dst-nat', ep.ip]);
      }
    }
    if (nowUDP && serving(endpoints).length > 0 && serving(before?.endpoints).length === 0) {
      for (const ip of serviceIPs(nowUDP)) add(['-D', '--orig-dst', ip, '-p', 'udp']);
      if (nowUDP.nodePort !== undefined) add(['-D', '-p', 'udp', '--dport', String(nowUDP.nodePort)]);
    }
  }
  return [...filters.values()];
}

/** What the next sync compares with: the snapshot of the UDP service ports among `changed`, updated in place. */
export function rememberUDPServicePorts(snapshot: Map<string, UDPServicePortSnapshot>, state: ProxyState, changed: Iterable<string>): void {
  for (const key of changed) {
    const port = state.services.get(key);
    if (port?.protocol === 'UDP') snapshot.set(key, { port, endpoints: state.endpoints.get(key) ?? [] });
    else snapshot.delete(key);
  }
}

export interface ConntrackOptions {
  /** Runs `conntrack ARGS` (default: the machine's, in this process's network namespace). */
  run?: (args: string[]) => Promise<void>;
  log?: (message: string) => void;
}

const hostConntrack = async (args: string[]): Promise<void> => {
  await runCommand('conntrack', args);
};

/** The conntrack tool; without it (not installed) the cleanup is skipped, logged once. */
export class Conntrack {
  readonly #run: (args: string[]) => Promise<void>;
  readonly #log: (message: string) => void;
  #missing = false;

  constructor(options: ConntrackOptions = {}) {
    this.#run = options.run ?? hostConntrack;
    this.#log = options.log ?? ((m: string) => console.error(m));
  }

  /** Deletes the entries each filter matches; a filter matching nothing is no error. */
  async clear(filters: readonly string[][]): Promise<void> {
    for (const args of filters) {
      if (this.#missing) return;
      try {
        await this.#run(args);
      } catch (err) {
        if (notInstalled(err)) {
          this.#missing = true;
          this.#log('service proxy: conntrack not found (apt-get install conntrack): stale UDP conntrack entries are not cleaned up');
        } else if (!nothingDeleted(err)) {
          this.#log(`service proxy: conntrack ${args.join(' ')}: ${(err as Error).message}`);
        }
      }
    }
  }
}

function notInstalled(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  return (err as { code?: unknown }).code === 'ENOENT' || cause?.code === 'ENOENT';
}

/** conntrack -D exits 1 saying "0 flow entries have been deleted" when nothing matched. */
function nothingDeleted(err: unknown): boolean {
  return err instanceof CommandError && err.exitCode === 1 && err.stderr.includes('0 flow entries');
}
