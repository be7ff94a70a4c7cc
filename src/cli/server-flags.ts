/** The flags of `k8ts server`. */
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { firstHostIPv4 } from '../kubelet/host-node.js';
import { parseGoDuration } from '../machinery/protobuf/go-duration.js';
import type { GarbageCollectionPolicy } from '../kubelet/gc/node-gc.js';
import { AUDIT_FLAG_OPTIONS, type AuditFlags, parseAuditFlags } from './audit-flags.js';
import { AUTHN_FLAG_OPTIONS, type AuthenticationFlags, parseAuthenticationFlags } from './authn-flags.js';
import { FLOWCONTROL_FLAG_OPTIONS, type FlowControlFlags, parseFlowControlFlags } from './flowcontrol-flags.js';
import { AUTOSCALING_FLAG_OPTIONS, type AutoscalingFlags, parseAutoscalingFlags } from './autoscaling-flags.js';
import { GC_FLAG_OPTIONS, parseGarbageCollectionFlags } from './gc-flags.js';
import { unixEndpointPath } from './images.js';
import type { UpstreamAddress } from '../dns/forwarder.js';
import { parseDNSUpstreams } from '../dns/upstreams.js';
import type { FlannelBackendType } from '../kubelet/network/interface.js';
import { INGRESS_FLAG_OPTIONS, type IngressFlags, parseIngressFlags } from './ingress-flags.js';
import type { ProxyMode } from '../proxy/interface.js';
import { parseProxyMode } from '../proxy/proxier-factory.js';
import { PROXY_FLAG_OPTIONS, parseHealthzBindAddress } from './proxy-flags.js';

export interface ServerFlags extends DNSFlags {
  dataDir: string;
  bindAddress: string;
  securePort: number;
  datastoreEndpoint: string | undefined;
  serviceCIDR: string;
  clusterCIDR: string;
  clusterDomain: string;
  /** --cluster-dns: the DNS servers of ClusterFirst pods (default the 10th address of the service CIDR, e.g. 10.96.0.10). */
  clusterDNS: string[];
  serviceNodePortRange: string;
  /** The IP other members of the cluster reach the apiserver at (the `kubernetes` Endpoints). */
  advertiseAddress: string | undefined;
  /**
   * The container runtime of the embedded agent: `fake` runs simulated nodes, `containerd` makes
   * this machine a node on k8ts' own containerd, `auto` (no --runtime) does so when it can (root,
   * the packages installed) and says why not otherwise, `none` (--disable-agent) runs a control
   * plane only.
   */
  runtime: 'fake' | 'containerd' | 'auto' | 'none';
  /** --node-name: the real node's name (default the host name, lowercased). */
  nodeName: string | undefined;
  /** --node-ip: the real node's InternalIP (default the host's first non-internal IPv4). */
  nodeIP: string | undefined;
  /** --cni-bridge: the Linux bridge of the real node's pod network (default k8ts0). */
  cniBridge: string | undefined;
  /** --container-runtime-endpoint unix:///SOCKET: the real node's running CRI runtime (the socket path); k8ts starts no containerd. */
  runtimeSocket: string | undefined;
  /** --cni-conf-dir: that runtime's CNI conf dir, where the node's conflist goes (default /etc/cni/net.d). */
  cniConfDir: string | undefined;
  /**
   * --flannel-backend: how pods reach other nodes' pods (kubelet/network): vxlan (default, as
   * k3s: works whether or not the nodes share an L2 segment), host-gw, or none.
   */
  flannelBackend: FlannelBackendType | 'none';
  /** --kubelet-port: the embedded agent's kubelet server port (10250; 0 = any free port). */
  kubeletPort: number;
  /** The real node's garbage collection flags (gc-flags.ts). */
  garbageCollection: GarbageCollectionPolicy;
  /** --kubelet-preferred-address-types: which node address the apiserver dials a kubelet at first. */
  kubeletPreferredAddressTypes: string[];
  /** --proxy-mode: the real node's service proxy (iptables, the default, nftables or userspace). */
  proxyMode: ProxyMode;
  /** --healthz-bind-address: the real node's kube-proxy /healthz (default 0.0.0.0:10256; undefined: disabled). */
  healthzBindAddress: { host: string; port: number } | undefined;
  /** --disable-kube-proxy (k3s' flag): the real node runs no service proxy. */
  disableKubeProxy: boolean;
  /** How many simulated nodes the embedded agent runs (--runtime fake). */
  fakeNodes: number;
  /** Run the controller manager and the scheduler in this process (default true). */
  controllers: boolean;
  /** --use-service-account-credentials: each controller acts as its own kube-system ServiceAccount (default true, as kubeadm sets it). */
  useServiceAccountCredentials: boolean;
  /** --node-monitor-grace-period: how long a node may go unheard of before it is marked Unknown (40 s). */
  nodeMonitorGracePeriodMs: number;
  /** --resource-quota-sync-period: how often the resource quota controller recomputes every quota (5 m). */
  resourceQuotaSyncPeriodMs: number;
  /** --cluster-signing-duration: how long the certificates the CSR signer issues are valid (8760h). */
  clusterSigningDurationMs: number;
  /** The real node enforces NetworkPolicies (false: --disable-network-policy, as k3s' flag). */
  networkPolicy: boolean;
  /** The real node's ingress controller ports; undefined with --disable-ingress. */
  ingress: IngressFlags | undefined;
  /** --metric-resolution and the --horizontal-pod-autoscaler-* flags. */
  autoscaling: AutoscalingFlags;
  /** --admission-control-config-file: an AdmissionConfiguration with plugins' configurations (PodSecurity). */
  admissionControlConfigFile: string | undefined;
  /** --encryption-provider-config: the EncryptionConfiguration file of encryption at rest. */
  encryptionProviderConfig: string | undefined;
  /** The --audit-* flags; undefined without --audit-log-path. */
  audit: AuditFlags | undefined;
  /** --anonymous-auth, --token-auth-file, --enable-bootstrap-token-auth, --service-account-issuer, … */
  authentication: AuthenticationFlags;
  /** --max-requests-inflight, --max-mutating-requests-inflight, --enable-priority-and-fairness. */
  flowControl: FlowControlFlags;
}

export function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/k8ts' : join(homedir(), '.k8ts');
}

export function parseServerFlags(argv: string[]): ServerFlags {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      'secure-port': { type: 'string', default: '6443' },
      'datastore-endpoint': { type: 'string' },
      'service-cidr': { type: 'string', default: '10.96.0.0/12' },
      'cluster-cidr': { type: 'string', default: '10.244.0.0/16' },
      'cluster-domain': { type: 'string', default: 'cluster.local' },
      'cluster-dns': { type: 'string' },
      ...DNS_FLAG_OPTIONS,
      'service-node-port-range': { type: 'string', default: '30000-32767' },
      'advertise-address': { type: 'string' },
      runtime: { type: 'string' },
      'node-name': { type: 'string' },
      'node-ip': { type: 'string' },
      'cni-bridge': { type: 'string' },
      'container-runtime-endpoint': { type: 'string' },
      'cni-conf-dir': { type: 'string' },
      'flannel-backend': { type: 'string', default: 'vxlan' },
      'fake-nodes': { type: 'string', default: '0' },
      'proxy-mode': { type: 'string' },
      'disable-kube-proxy': { type: 'boolean', default: false },
      ...PROXY_FLAG_OPTIONS,
      'kubelet-port': { type: 'string', default: '10250' },
      'kubelet-preferred-address-types': { type: 'string', default: 'Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP' },
      'disable-controllers': { type: 'boolean', default: false },
      'disable-agent': { type: 'boolean', default: false },
      'node-monitor-grace-period': { type: 'string', default: '40s' },
      'resource-quota-sync-period': { type: 'string', default: '5m0s' },
      'cluster-signing-duration': { type: 'string', default: '8760h0m0s' },
      'use-service-account-credentials': { type: 'string', default: 'true' },
      'disable-network-policy': { type: 'boolean', default: false },
      ...INGRESS_FLAG_OPTIONS,
      ...GC_FLAG_OPTIONS,
      ...AUTOSCALING_FLAG_OPTIONS,
      'admission-control-config-file': { type: 'string' },
      'encryption-provider-config': { type: 'string' },
      ...AUDIT_FLAG_OPTIONS,
      ...AUTHN_FLAG_OPTIONS,
      ...FLOWCONTROL_FLAG_OPTIONS,
    },
  });
  const runtime = parseRuntime(values.runtime, values['disable-agent'] === true);
  const endpoint = parseRuntimeEndpoint(values['container-runtime-endpoint'], values['cni-conf-dir']);
  if (endpoint.runtimeSocket !== undefined && (runtime === 'fake' || runtime === 'none')) {
    throw new Error(`--container-runtime-endpoint: does not apply to ${runtime === 'none' ? '--disable-agent' : '--runtime fake'}`);
  }
  if (values['proxy-mode'] !== undefined && (runtime === 'fake' || runtime === 'none')) {
    throw new Error(
      `--proxy-mode: does not apply to ${runtime === 'none' ? '--disable-agent' : '--runtime fake'} (simulated nodes run no proxy)`,
    );
  }
  const port = Number(values['secure-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--secure-port: invalid port ${values['secure-port']}`);
  return {
    dataDir: values['data-dir'] ?? defaultDataDir(),
    bindAddress: values['bind-address'] as string,
    securePort: port,
    datastoreEndpoint: values['datastore-endpoint'],
    serviceCIDR: values['service-cidr'] as string,
    clusterCIDR: values['cluster-cidr'] as string,
    clusterDomain: values['cluster-domain'] as string,
    clusterDNS: parseClusterDNS(values['cluster-dns'], values['service-cidr'] as string),
    ...parseDNSFlags(values),
    serviceNodePortRange: values['service-node-port-range'] as string,
    advertiseAddress: values['advertise-address'] ?? defaultAdvertiseAddress(values['bind-address'] as string),
    runtime,
    ...endpoint,
    nodeName: values['node-name'],
    nodeIP: parseIPv4Flag('--node-ip', values['node-ip']),
    cniBridge: parseBridge(values['cni-bridge']),
    flannelBackend: parseFlannelBackend(values['flannel-backend'] as string),
    kubeletPort: parsePort('--kubelet-port', values['kubelet-port'] as string),
    garbageCollection: parseGarbageCollectionFlags(values),
    kubeletPreferredAddressTypes: parseAddressTypes(values['kubelet-preferred-address-types'] as string),
    proxyMode: parseProxyMode(values['proxy-mode']),
    healthzBindAddress: parseHealthzBindAddress(values['healthz-bind-address']),
    disableKubeProxy: values['disable-kube-proxy'] === true,
    fakeNodes: parseCount('--fake-nodes', values['fake-nodes'] as string),
    controllers: !values['disable-controllers'],
    useServiceAccountCredentials: parseBool('--use-service-account-credentials', values['use-service-account-credentials'] as string),
    nodeMonitorGracePeriodMs: parsePositiveDuration('--node-monitor-grace-period', values['node-monitor-grace-period'] as string),
    resourceQuotaSyncPeriodMs: parsePositiveDuration('--resource-quota-sync-period', values['resource-quota-sync-period'] as string),
    clusterSigningDurationMs: parsePositiveDuration('--cluster-signing-duration', values['cluster-signing-duration'] as string),
    networkPolicy: !values['disable-network-policy'],
    ingress: parseIngressFlags(values),
    autoscaling: parseAutoscalingFlags(values),
    admissionControlConfigFile: values['admission-control-config-file'],
    encryptionProviderConfig: values['encryption-provider-config'],
    audit: parseAuditFlags(values),
    authentication: parseAuthenticationFlags(values),
    flowControl: parseFlowControlFlags(values),
  };
}

/** A Go-style boolean flag value: true or false. */
function parseBool(flag: string, value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`${flag}: want true or false, got "${value}"`);
}

/** The 10th address of an IPv4 CIDR (kubeadm's cluster DNS address: 10.96.0.0/12 → 10.96.0.10). */
export function defaultClusterDNS(serviceCIDR: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(serviceCIDR);
  if (!m) throw new Error(`--service-cidr: want an IPv4 CIDR, got "${serviceCIDR}"`);
  const [a, b, c, d, bits] = m.slice(1).map(Number) as [number, number, number, number, number];
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const ip = ((((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & mask) + 10;
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

/** --cluster-dns: comma-separated IPv4 addresses; by default the service CIDR's 10th address. */
export function parseClusterDNS(value: string | undefined, serviceCIDR: string): string[] {
  if (value === undefined) return [defaultClusterDNS(serviceCIDR)];
  return value
    .split(',')
    .filter(Boolean)
    .map((ip) => parseIPv4Flag('--cluster-dns', ip) as string);
}

/**
 * kube-apiserver's default: the bind address when it is a specific non-loopback IPv4,
 * otherwise the first non-internal IPv4 address of the machine (undefined when it has none).
 */
export function defaultAdvertiseAddress(bindAddress: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bindAddress) && bindAddress !== '0.0.0.0' && !bindAddress.startsWith('127.')) return bindAddress;
  return firstHostIPv4();
}

function parseRuntime(value: string | undefined, disableAgent: boolean): ServerFlags['runtime'] {
  if (disableAgent) {
    if (value !== undefined) throw new Error('--runtime: may not be given with --disable-agent');
    return 'none';
  }
  if (value === undefined) return 'auto';
  if (value === 'fake' || value === 'containerd') return value;
  throw new Error(`--runtime: unsupported runtime "${value}" (supported: fake, containerd)`);
}

export function parseIPv4Flag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const octets = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(value)?.slice(1).map(Number);
  if (!octets || octets.some((o) => o > 255)) throw new Error(`${flag}: want an IPv4 address, got "${value}"`);
  return value;
}

/** --flannel-backend: host-gw, vxlan or none. */
export function parseFlannelBackend(value: string): FlannelBackendType | 'none' {
  if (value === 'host-gw' || value === 'vxlan' || value === 'none') return value;
  throw new Error(`--flannel-backend: unsupported backend "${value}" (supported: vxlan, host-gw, none)`);
}

/** A Linux interface name: 1–15 characters, no slash, colon or white space. */
export function parseBridge(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(value))
    throw new Error(`--cni-bridge: want an interface name of 1–15 letters, digits, _ . -, got "${value}"`);
  return value;
}

/** --container-runtime-endpoint (a unix:/// socket) and --cni-conf-dir, which only goes with it. */
export function parseRuntimeEndpoint(
  endpoint: string | undefined,
  cniConfDir: string | undefined,
): { runtimeSocket: string | undefined; cniConfDir: string | undefined } {
  if (cniConfDir !== undefined && endpoint === undefined) {
    throw new Error("--cni-conf-dir: only with --container-runtime-endpoint (k8ts' own containerd has its own)");
  }
  if (cniConfDir !== undefined && !isAbsolute(cniConfDir)) throw new Error(`--cni-conf-dir: want an absolute path, got "${cniConfDir}"`);
  return {
    runtimeSocket: endpoint === undefined ? undefined : unixEndpointPath('--container-runtime-endpoint', endpoint),
    cniConfDir,
  };
}

const NODE_ADDRESS_TYPES = ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP'];

/** A comma-separated list of node address types. */
function parseAddressTypes(text: string): string[] {
  const types = text.split(',').map((t) => t.trim());
  const bad = types.find((t) => !NODE_ADDRESS_TYPES.includes(t));
  if (bad !== undefined)
    throw new Error(`--kubelet-preferred-address-types: unknown address type "${bad}" (known: ${NODE_ADDRESS_TYPES.join(', ')})`);
  return types;
}

/** A TCP port, 0–65535 (0: any free port). */
export function parsePort(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new Error(`${flag}: invalid port ${text}`);
  return n;
}

function parseCount(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: invalid count ${text}`);
  return n;
}

/** A Go duration ("40s", "1m30s", "500ms") as milliseconds; must be positive. */
export function parsePositiveDuration(flag: string, text: string): number {
  let ns: bigint;
  try {
    ns = parseGoDuration(text);
  } catch (err) {
    throw new Error(`${flag}: ${(err as Error).message}`);
  }
  if (ns <= 0n) throw new Error(`${flag}: must be positive, got ${text}`);
  return Number(ns / 1_000_000n);
}

/**
 * The real node's DNS flags, the same on `k8ts server` and `k8ts agent`: `--dns-upstream
 * IP[:PORT],…` (the node DNS server's resolvers), `--disable-dns` (no DNS server on the node) and
 * `--node-local-dns IP` (the node-local cache's link-local address, which pods then get as their
 * nameserver).
 */
export interface DNSFlags {
  /** --dns-upstream; undefined: the node's resolv.conf. */
  dnsUpstreams: UpstreamAddress[] | undefined;
  disableDNS: boolean;
  /** --node-local-dns, e.g. 169.254.20.10. */
  nodeLocalDNS: string | undefined;
}

/** For parseArgs' options. */
export const DNS_FLAG_OPTIONS = {
  'dns-upstream': { type: 'string' },
  'disable-dns': { type: 'boolean' },
  'node-local-dns': { type: 'string' },
} as const;

export function parseDNSFlags(values: {
  'dns-upstream'?: string | undefined;
  'disable-dns'?: boolean | undefined;
  'node-local-dns'?: string | undefined;
}): DNSFlags {
  const disableDNS = values['disable-dns'] === true;
  const nodeLocalDNS = parseIPv4Flag('--node-local-dns', values['node-local-dns']);
  if (disableDNS && nodeLocalDNS) throw new Error('--node-local-dns: not with --disable-dns');
  return {
    dnsUpstreams: values['dns-upstream'] === undefined ? undefined : parseDNSUpstreams(values['dns-upstream']),
    disableDNS,
    nodeLocalDNS,
  };
}
