/**
 * The service proxy's contract: what every proxy mode (iptables/, nftables/, userspace/) is given and
 * does. A ServiceChangeTracker (built from the Service and EndpointSlice informers) turns the
 * API objects into a ProxyState — one entry per service port, upstream's ServicePortName — and
 * tells which service ports changed since the last sync; the proxy runner batches those changes
 * and calls `sync`. Each mode makes traffic to a service port reach its endpoints as upstream's
 * kube-proxy does, and passes the conformance suite in testing/.
 */

/** The protocols a Service port may have. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** One port of one Service, as the proxy programs it. */
export interface ServicePort {
  /** upstream's ServicePortName: `namespace/name:portName` (portName may be empty). */
  key: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: Protocol;
  /** spec.clusterIPs without "None" (a headless Service has no entry in ProxyState). */
  clusterIPs: string[];
  port: number;
  /** spec.ports[].nodePort (NodePort and LoadBalancer Services). */
  nodePort?: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip. */
  loadBalancerIPs: string[];
  /** spec.loadBalancerSourceRanges (IPv4 CIDRs): only these sources reach the load balancer IPs; absent or empty: any. */
  loadBalancerSourceRanges?: string[];
  /** sessionAffinity ClientIP: its timeoutSeconds (default 10800); undefined for None. */
  stickySeconds?: number;
  /** externalTrafficPolicy Local (NodePort, externalIPs, load balancer IPs). */
  externalPolicyLocal: boolean;
  /** internalTrafficPolicy Local (cluster IPs). */
  internalPolicyLocal: boolean;
  /** spec.healthCheckNodePort (LoadBalancer with externalTrafficPolicy Local). */
  healthCheckNodePort?: number;
}

/** One endpoint of a service port, from the EndpointSlices of its Service. */
export interface Endpoint {
  ip: string;
  port: number;
  /** conditions.ready (true when unset, as upstream reads it). */
  ready: boolean;
  /** conditions.serving. */
  serving: boolean;
  /** conditions.terminating. */
  terminating: boolean;
  nodeName?: string;
  /** Whether the endpoint runs on this proxy's node. */
  isLocal: boolean;
}

/** Everything the node's proxy makes reachable. */
export interface ProxyState {
  /** By ServicePort.key. */
  services: ReadonlyMap<string, ServicePort>;
  /** Endpoints by ServicePort.key (absent: none). */
  endpoints: ReadonlyMap<string, readonly Endpoint[]>;
}

/** What one sync did. */
export interface SyncResult {
  /** How the sync went about it: everything rewritten, or only the changed service ports. */
  kind: 'full' | 'partial';
  /** Wall time of the sync in milliseconds. */
  durationMs: number;
}

/** How one sync goes about it. */
export interface SyncOptions {
  /** Rewrite everything, not only the changed service ports. */
  full?: boolean;
}

/** Told how the sync loop fares (kube-proxy's health servers, healthcheck/). */
export interface SyncHealth {
  /** A sync is due (changes wait, or the periodic or a retried sync). */
  queued(): void;
  /** A sync succeeded: traffic sees `state` now. */
  synced(state: ProxyState): void;
}

/** The proxy modes, as `--proxy-mode` spells them. */
export type ProxyMode = 'iptables' | 'nftables' | 'userspace';

/** A proxy mode. */
export interface Proxier {
  /** The mode's name as `--proxy-mode` spells it. */
  readonly mode: ProxyMode;
  /**
   * Makes traffic see `state`. `changed` names the service ports whose Service or endpoints
   * changed since the previous sync (removed ones included); a full sync (the first, the periodic
   * full resync, the retry after a failed sync) is told every key and `full: true`, and rewrites
   * everything instead of only what changed.
   */
  sync(state: ProxyState, changed: ReadonlySet<string>, options?: SyncOptions): Promise<SyncResult>;
  /** Removes everything this proxier made on the node (rules, chains, devices, sockets). */
  cleanup(): Promise<void>;
}
