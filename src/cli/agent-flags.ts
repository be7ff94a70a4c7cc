/**
 * The flags of `k8ts agent`: simulated nodes (`--runtime fake`, the default) or this machine as
 * a real node on k8ts' own containerd (`--runtime containerd`).
 *
 *   parseAgentFlags(argv: string[], env?: NodeJS.ProcessEnv): AgentFlags
 */
import { parseArgs } from 'node:util';
import type { NodeCapacity } from '../kubelet/node-status.js';
import type { GarbageCollectionPolicy } from '../kubelet/gc/node-gc.js';
import type { FlannelBackendType } from '../kubelet/network/interface.js';
import type { ProxyMode } from '../proxy/interface.js';
import { parseProxyMode } from '../proxy/proxier-factory.js';
import { GC_FLAG_OPTIONS, GC_FLAGS, parseGarbageCollectionFlags } from './gc-flags.js';
import { INGRESS_FLAG_NAMES, INGRESS_FLAG_OPTIONS, type IngressFlags, parseIngressFlags } from './ingress-flags.js';
import { PROXY_FLAG_NAMES, PROXY_FLAG_OPTIONS, parseHealthzBindAddress } from './proxy-flags.js';
import {
  DNS_FLAG_OPTIONS,
  type DNSFlags,
  parseDNSFlags,
  defaultClusterDNS,
  defaultDataDir,
  parseBridge,
  parseClusterDNS,
  parseFlannelBackend,
  parseIPv4Flag,
  parsePort,
  parseRuntimeEndpoint,
} from './server-flags.js';

/** The flags both runtimes share. */
interface CommonAgentFlags {
  kubeconfig: string;
  /** --bootstrap-kubeconfig: TLS bootstrap of the kubelet's --kubeconfig (kubelet/certificate/bootstrap.ts). */
  bootstrapKubeconfig?: string;
}

export interface FakeAgentFlags extends CommonAgentFlags {
  runtime: 'fake';
  nodes: number;
  nodeNamePrefix: string;
  firstIndex: number;
  capacity: Partial<NodeCapacity>;
  events: boolean;
  /** --kubelet-port: the kubelet server's port (10250; 0 = any free port). */
  kubeletPort: number;
}

export interface ContainerdAgentFlags extends DNSFlags, CommonAgentFlags {
  runtime: 'containerd';
  /** The node keeps everything under DATA/agent (as the server's embedded node does). */
  dataDir: string;
  nodeName: string | undefined;
  nodeIP: string | undefined;
  cniBridge: string | undefined;
  /** --container-runtime-endpoint: a running CRI runtime's socket (k8ts starts no containerd). */
  runtimeSocket: string | undefined;
  /** --cni-conf-dir: that runtime's CNI conf dir. */
  cniConfDir: string | undefined;
  /** --service-cidr: the cluster's service CIDR, as the server's flag (default 10.96.0.0/12). */
  serviceCIDR: string;
  /**
   * --cluster-cidr: the pod network, as the server's flag (default 10.244.0.0/16): the proxy
   * masquerades service traffic from outside it, the pod network masquerades what leaves it.
   */
  clusterCIDR: string;
  /** --proxy-mode: the node's service proxy (iptables, the default, nftables or userspace). */
  proxyMode: ProxyMode;
  /** --healthz-bind-address: kube-proxy's /healthz (default 0.0.0.0:10256; undefined: disabled). */
  healthzBindAddress: { host: string; port: number } | undefined;
  /** --disable-kube-proxy (k3s' flag): the node runs no service proxy. */
  disableKubeProxy: boolean;
  /** --cluster-dns (default the service CIDR's 10th address, 10.96.0.10). */
  clusterDNS: string[];
  /** --cluster-domain (default cluster.local). */
  clusterDomain: string;
  /** --flannel-backend (default vxlan, the server's default). */
  flannelBackend: FlannelBackendType | 'none';
  kubeletPort: number;
  /** The node enforces NetworkPolicies (false: --disable-network-policy). */
  networkPolicy: boolean;
  /** The node's ingress controller ports; undefined with --disable-ingress. */
  ingress: IngressFlags | undefined;
  /** The garbage collection flags (gc-flags.ts). */
  garbageCollection: GarbageCollectionPolicy;
}

export type AgentFlags = FakeAgentFlags | ContainerdAgentFlags;

const FAKE_ONLY = ['nodes', 'node-name-prefix', 'first-index', 'cpu', 'memory', 'max-pods', 'events'] as const;
const CONTAINERD_ONLY = [
  'data-dir',
  'node-name',
  'node-ip',
  'cni-bridge',
  'container-runtime-endpoint',
  'cni-conf-dir',
  'cluster-dns',
  'cluster-domain',
  ...(Object.keys(DNS_FLAG_OPTIONS) as (keyof typeof DNS_FLAG_OPTIONS)[]),
  'disable-network-policy',
  'flannel-backend',
  ...INGRESS_FLAG_NAMES,
  'service-cidr',
  'cluster-cidr',
  'proxy-mode',
  'disable-kube-proxy',
  ...PROXY_FLAG_NAMES,
  ...GC_FLAGS,
] as const;

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag}: want a non-negative integer, got "${value}"`);
  return n;
}

export function parseAgentFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): AgentFlags {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      runtime: { type: 'string', default: 'fake' },
      kubeconfig: { type: 'string' },
      'bootstrap-kubeconfig': { type: 'string' },
      nodes: { type: 'string' },
      'node-name-prefix': { type: 'string' },
      'first-index': { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      'max-pods': { type: 'string' },
      events: { type: 'string' },
      'data-dir': { type: 'string' },
      'node-name': { type: 'string' },
      'node-ip': { type: 'string' },
      'cni-bridge': { type: 'string' },
      'container-runtime-endpoint': { type: 'string' },
      'cni-conf-dir': { type: 'string' },
      'cluster-dns': { type: 'string' },
      'cluster-domain': { type: 'string' },
      ...DNS_FLAG_OPTIONS,
      'flannel-backend': { type: 'string' },
      'service-cidr': { type: 'string' },
      'cluster-cidr': { type: 'string' },
      'proxy-mode': { type: 'string' },
      'disable-kube-proxy': { type: 'boolean' },
      ...PROXY_FLAG_OPTIONS,
      'kubelet-port': { type: 'string', default: '10250' },
      'disable-network-policy': { type: 'boolean' },
      ...INGRESS_FLAG_OPTIONS,
      ...GC_FLAG_OPTIONS,
    },
  });
  const runtime = values.runtime;
  if (runtime !== 'fake' && runtime !== 'containerd') {
    throw new Error(`--runtime: unsupported runtime "${runtime}" (supported: fake, containerd)`);
  }
  const other = runtime === 'fake' ? CONTAINERD_ONLY : FAKE_ONLY;
  const misplaced = other.find((f) => values[f] !== undefined);
  if (misplaced) throw new Error(`--${misplaced} does not apply to --runtime ${runtime}`);
  const kubeconfig = values.kubeconfig ?? env['KUBECONFIG']?.split(':')[0];
  if (!kubeconfig) throw new Error('--kubeconfig is required (or set KUBECONFIG)');
  const kubeletPort = parsePort('--kubelet-port', values['kubelet-port'] as string);
  const bootstrapKubeconfig = values['bootstrap-kubeconfig'];
  if (bootstrapKubeconfig && runtime === 'fake' && positiveInt('nodes', values.nodes, 1) !== 1) {
    throw new Error('--bootstrap-kubeconfig: one node per agent (--nodes 1) bootstraps its own identity');
  }
  if (runtime === 'containerd') {
    const serviceCIDR = values['service-cidr'] ?? '10.96.0.0/12';
    defaultClusterDNS(serviceCIDR); // checks the CIDR
    const clusterCIDR = values['cluster-cidr'] ?? '10.244.0.0/16';
    if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(clusterCIDR)) throw new Error(`--cluster-cidr: want an IPv4 CIDR, got "${clusterCIDR}"`);
    return {
      runtime,
      kubeconfig,
      ...(bootstrapKubeconfig ? { bootstrapKubeconfig } : {}),
      dataDir: values['data-dir'] ?? defaultDataDir(),
      nodeName: values['node-name'],
      nodeIP: parseIPv4Flag('--node-ip', values['node-ip']),
      cniBridge: parseBridge(values['cni-bridge']),
      ...parseRuntimeEndpoint(values['container-runtime-endpoint'], values['cni-conf-dir']),
      serviceCIDR,
      clusterCIDR,
      proxyMode: parseProxyMode(values['proxy-mode']),
      healthzBindAddress: parseHealthzBindAddress(values['healthz-bind-address']),
      disableKubeProxy: values['disable-kube-proxy'] === true,
      clusterDNS: parseClusterDNS(values['cluster-dns'], serviceCIDR),
      clusterDomain: values['cluster-domain'] ?? 'cluster.local',
      ...parseDNSFlags(values),
      flannelBackend: parseFlannelBackend(values['flannel-backend'] ?? 'vxlan'),
      kubeletPort,
      networkPolicy: !values['disable-network-policy'],
      ingress: parseIngressFlags(values),
      garbageCollection: parseGarbageCollectionFlags(values),
    };
  }
  const events = values.events ?? 'true';
  if (events !== 'true' && events !== 'false') throw new Error(`--events: want true or false, got "${events}"`);
  const capacity: Partial<NodeCapacity> = {};
  if (values.cpu) capacity.cpu = values.cpu;
  if (values.memory) capacity.memory = values.memory;
  if (values['max-pods']) capacity.pods = String(positiveInt('max-pods', values['max-pods'], 110));
  return {
    runtime,
    nodes: positiveInt('nodes', values.nodes, 1),
    kubeconfig,
    ...(bootstrapKubeconfig ? { bootstrapKubeconfig } : {}),
    nodeNamePrefix: values['node-name-prefix'] ?? 'fake-node-',
    firstIndex: positiveInt('first-index', values['first-index'], 0),
    capacity,
    events: events === 'true',
    kubeletPort,
  };
}
