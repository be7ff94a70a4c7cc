/**
 * The userspace proxier (seed 001; upstream's pkg/proxy/userspace): a proxy per service port
 * inside the agent, no iptables. Cluster IPs and external IPs are local addresses on the service
 * device (service-addresses.ts); the proxier listens on clusterIP:port and externalIP:port,
 * 0.0.0.0:nodePort (so 127.0.0.1 too) and loadBalancerIP:port when that address is the node's
 * (closing connections from outside the Service's loadBalancerSourceRanges at once), and sends each new connection or UDP session to the next endpoint in turn (round-robin.ts).
 * A service port without usable endpoints has no listener, so its clients are refused (as is any
 * address of the service CIDR nobody listens on); a Service that goes away closes its listeners
 * and gives up its addresses. Connections already open keep their endpoint, as upstream's did.
 */
import { networkInterfaces } from 'node:os';
import { type Cidr, cidrContains, parseCidr } from '../../apiserver/allocators/cidr.js';
import type { Endpoint, Proxier, ProxyState, ServicePort, SyncOptions, SyncResult } from '../interface.js';
import { RoundRobinBalancer, type TrafficScope } from './round-robin.js';
import type { ServiceAddresses } from './service-addresses.js';
import { TcpProxySocket } from './tcp-proxy.js';
import { UdpProxySocket } from './udp-proxy.js';

export interface UserspaceProxierOptions {
  /** The node's service addresses (a ServiceDevice in production). */
  addresses: ServiceAddresses;
  /** Where node ports listen (upstream's --nodeport-addresses; 0.0.0.0 by default). */
  nodePortAddresses?: readonly string[];
  /** --udp-timeout in milliseconds. */
  udpIdleTimeoutMs?: number;
  /** Whether an address is the node's (the network interfaces' by default): load balancer IPs. */
  isLocalAddress?: (ip: string) => boolean;
  now?: () => number;
  log?: (message: string) => void;
}

/** One address a service port is reached on. */
export interface Binding {
  protocol: 'TCP' | 'UDP';
  ip: string;
  port: number;
  /** The service port (ServicePort.key). */
  key: string;
  scope: TrafficScope;
  /** A load balancer IP's loadBalancerSourceRanges: only clients in one are served. */
  sourceRanges?: readonly Cidr[];
}

interface Listener {
  binding: Binding;
  socket: TcpProxySocket | UdpProxySocket;
}

export const bindingId = (b: Pick<Binding, 'protocol' | 'ip' | 'port'>): string =>
  `${b.protocol} ${b.ip.includes(':') ? `[${b.ip}]` : b.ip}:${b.port}`;

/** Every address each service port is reached on (SCTP is not proxied in userspace, as upstream). */
export function desiredBindings(
  services: Iterable<ServicePort>,
  nodePortAddresses: readonly string[],
  isLocal: (ip: string) => boolean,
): Binding[] {
  const out: Binding[] = [];
  for (const sp of services) {
    if (sp.protocol === 'SCTP') continue;
    const at = (ip: string, port: number, scope: TrafficScope, sourceRanges?: readonly Cidr[]) =>
      out.push({ protocol: sp.protocol as 'TCP' | 'UDP', ip, port, key: sp.key, scope, ...(sourceRanges ? { sourceRanges } : {}) });
    const ranges = sp.loadBalancerSourceRanges?.length ? sp.loadBalancerSourceRanges.map(parseCidr) : undefined;
    for (const ip of sp.clusterIPs) at(ip, sp.port, 'internal');
    for (const ip of sp.externalIPs) at(ip, sp.port, 'external');
    for (const ip of sp.loadBalancerIPs) if (isLocal(ip)) at(ip, sp.port, 'external', ranges);
    if (sp.nodePort) for (const ip of nodePortAddresses) at(ip, sp.nodePort, 'external');
  }
  return out;
}

/** The addresses the service device holds: cluster IPs and external IPs. */
export function serviceAddresses(services: Iterable<ServicePort>): Set<string> {
  const out = new Set<string>();
  for (const sp of services) for (const ip of [...sp.clusterIPs, ...sp.externalIPs]) out.add(ip);
  return out;
}

/** Whether a binding serves a client (a load balancer IP only those in its source ranges). */
export const servesClient = (binding: Binding, clientIP: string): boolean =>
  !binding.sourceRanges || binding.sourceRanges.some((r) => cidrContains(r, clientIP.replace(/^::ffff:/, '')));

/** Whether an address is on one of the node's network interfaces. */
function isNodeAddress(ip: string): boolean {
  return Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === ip));
}

export class UserspaceProxier implements Proxier {
  readonly mode = 'userspace' as const;
  readonly #options: UserspaceProxierOptions;
  readonly #balancer: RoundRobinBalancer;
  readonly #listeners = new Map<string, Listener>();
  readonly #log: (message: string) => void;
  /** Bindings that failed to open, by id: logged once, retried every sync. */
  readonly #failed = new Set<string>();
  #synced = false;

  constructor(options: UserspaceProxierOptions) {
    this.#options = options;
    this.#balancer = new RoundRobinBalancer(options.now ? { now: options.now } : {});
    this.#log = options.log ?? (() => {});
  }

  async sync(state: ProxyState, changed: ReadonlySet<string>, options: SyncOptions = {}): Promise<SyncResult> {
    const started = performance.now();
    const kind = options.full || !this.#synced ? 'full' : 'partial';
    for (const key of kind === 'full' ? state.services.keys() : changed) {
      const sp = state.services.get(key);
      if (sp) this.#balancer.update(sp, state.endpoints.get(key) ?? ([] as Endpoint[]));
      else this.#balancer.remove(key);
    }
    if (kind === 'full') this.#balancer.retain(state.services);
    const local = this.#options.isLocalAddress ?? isNodeAddress;
    const wanted = new Map<string, Binding>();
    for (const b of desiredBindings(state.services.values(), this.#options.nodePortAddresses ?? ['0.0.0.0'], local)) {
      if (this.#balancer.hasEndpoints(b.key, b.scope)) wanted.set(bindingId(b), b);
    }
    for (const [id, listener] of this.#listeners) {
      const want = wanted.get(id);
      if (!want) {
        listener.socket.close();
        this.#listeners.delete(id);
        continue;
      }
      // the same address may now serve another service port
      listener.binding = want;
    }
    for (const id of this.#failed) if (!wanted.has(id)) this.#failed.delete(id);
    await this.#options.addresses.ensure(serviceAddresses(state.services.values()));
    for (const [id, binding] of wanted) if (!this.#listeners.has(id)) await this.#open(id, binding);
    this.#synced = true;
    return { kind, durationMs: performance.now() - started };
  }

  async cleanup(): Promise<void> {
    for (const listener of this.#listeners.values()) listener.socket.destroy();
    this.#listeners.clear();
    this.#failed.clear();
    this.#synced = false;
    await this.#options.addresses.cleanup();
  }

  async #open(id: string, binding: Binding): Promise<void> {
    const listener = { binding } as Listener;
    const options = {
      ip: binding.ip,
      port: binding.port,
      // the listener's current binding: a sync may hand the address to another service port
      pick: (clientIP: string) =>
        servesClient(listener.binding, clientIP) ? this.#balancer.next(listener.binding.key, listener.binding.scope, clientIP) : undefined,
      log: this.#log,
    };
    try {
      listener.socket =
        binding.protocol === 'TCP'
          ? await TcpProxySocket.listen(options)
          : await UdpProxySocket.listen({
              ...options,
              ...(this.#options.udpIdleTimeoutMs ? { idleTimeoutMs: this.#options.udpIdleTimeoutMs } : {}),
            });
    } catch (err) {
      if (!this.#failed.has(id)) this.#log(`userspace proxy: ${binding.key}: cannot listen on ${id}: ${(err as Error).message}`);
      this.#failed.add(id);
      return;
    }
    this.#failed.delete(id);
    this.#listeners.set(id, listener);
  }
}
