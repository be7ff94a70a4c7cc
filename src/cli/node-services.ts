/**
 * A real node with what runs beside its kubelet, as both `k8ts server` (the embedded agent) and
 * `k8ts agent --runtime containerd` run it: the NetworkPolicy controller (netpol/, started first so
 * policies hold before pods start), then the node (kubelet/real-node.ts), then — once it
 * registered — its cluster DNS server (dns/), ingress controller (ingress/) and service proxy
 * (proxy/). Each is optional per the flags; one that fails is reported and the rest run on.
 *
 *   realNodeOptions(flags: RealNodeFlags, nodeName: string): the node's options from the flags
 *   nodeServices(flags: NodeServiceFlags, kubeDNS: string): NodeServices
 *   runRealNodeWithServices(options: RealNodeWithServicesOptions, signal: AbortSignal): Promise<void>
 */
import type { Clientset } from '../client/interface.js';
import { HttpsClientset } from '../client/rest.js';
import { componentUserAgent } from '../machinery/platform.js';
import type { UpstreamAddress } from '../dns/forwarder.js';
import { startNodeDNSBeside } from '../dns/node-dns.js';
import type { GarbageCollectionPolicy } from '../kubelet/gc/node-gc.js';
import type { FlannelBackendType } from '../kubelet/network/interface.js';
import { type RealNode, type RealNodeOptions, startRealNode } from '../kubelet/real-node.js';
import { runNetworkPolicy } from '../netpol/run.js';
import type { ProxyMode } from '../proxy/interface.js';
import { runNodeProxy } from '../proxy/node-proxy.js';
import type { IngressFlags } from './ingress-flags.js';
import { startNodeIngress } from './node-ingress.js';

/** What the flags say runs beside the node. */
export interface NodeServices {
  /** Enforce NetworkPolicies for the node's pods (false: --disable-network-policy). */
  networkPolicy: boolean;
  /** The cluster DNS server (none: --disable-dns): --dns-upstream, --node-local-dns with kube-dns' cluster IP. */
  dns?: { upstreams?: UpstreamAddress[]; nodeLocal?: { address: string; kubeDNS: string } };
  /** The ingress controller's ports (none: --disable-ingress). */
  ingress?: IngressFlags;
  /** The service proxy (none: --disable-kube-proxy): --proxy-mode, --service-cidr, --cluster-cidr, --healthz-bind-address. */
  proxy?: { mode: ProxyMode; serviceCIDR: string; clusterCIDR: string; healthzBindAddress?: { host: string; port: number } | undefined };
}

/** The flags `k8ts server` and `k8ts agent` share about them. */
export interface NodeServiceFlags {
  networkPolicy: boolean;
  disableDNS: boolean;
  dnsUpstreams?: UpstreamAddress[] | undefined;
  nodeLocalDNS?: string | undefined;
  ingress: IngressFlags | undefined;
  disableKubeProxy: boolean;
  proxyMode: ProxyMode;
  healthzBindAddress?: { host: string; port: number } | undefined;
  serviceCIDR: string;
  clusterCIDR: string;
}

/** What runs beside the node, from the flags; `kubeDNS` is kube-dns' cluster IP (the node-local cache forwards to it). */
export function nodeServices(flags: NodeServiceFlags, kubeDNS: string): NodeServices {
  const { serviceCIDR, clusterCIDR } = flags;
  return {
    networkPolicy: flags.networkPolicy,
    ...(flags.disableDNS
      ? {}
      : {
          dns: {
            ...(flags.dnsUpstreams ? { upstreams: flags.dnsUpstreams } : {}),
            ...(flags.nodeLocalDNS ? { nodeLocal: { address: flags.nodeLocalDNS, kubeDNS } } : {}),
          },
        }),
    ...(flags.ingress ? { ingress: flags.ingress } : {}),
    ...(flags.disableKubeProxy
      ? {}
      : { proxy: { mode: flags.proxyMode, serviceCIDR, clusterCIDR, healthzBindAddress: flags.healthzBindAddress } }),
  };
}

/** The node flags `k8ts server` and `k8ts agent --runtime containerd` share. */
export interface RealNodeFlags {
  dataDir: string;
  nodeIP?: string | undefined;
  cniBridge?: string | undefined;
  runtimeSocket?: string | undefined;
  cniConfDir?: string | undefined;
  clusterDNS: string[];
  clusterDomain: string;
  nodeLocalDNS?: string | undefined;
  flannelBackend: FlannelBackendType | 'none';
  clusterCIDR: string;
  garbageCollection: GarbageCollectionPolicy;
}

/** The real node's options from the flags (without its client and kubelet server). */
export function realNodeOptions(flags: RealNodeFlags, nodeName: string): Omit<RealNodeOptions, 'clientset'> & { nodeName: string } {
  return {
    dataDir: flags.dataDir,
    nodeName,
    ...(flags.nodeIP ? { nodeIP: flags.nodeIP } : {}),
    ...(flags.cniBridge ? { cniBridge: flags.cniBridge } : {}),
    ...(flags.runtimeSocket ? { runtimeSocket: flags.runtimeSocket } : {}),
    ...(flags.cniConfDir ? { cniConfDir: flags.cniConfDir } : {}),
    // with a node-local cache, pods ask it (and it asks kube-dns)
    clusterDNS: flags.nodeLocalDNS ? [flags.nodeLocalDNS] : flags.clusterDNS,
    clusterDomain: flags.clusterDomain,
    podNetwork: { backend: flags.flannelBackend, clusterCIDR: flags.clusterCIDR },
    garbageCollection: flags.garbageCollection,
  };
}

/**
 * The kubeconfigs of the components beside the kubelet that have identities of their own
 * (`k8ts server` writes them, node-identities.ts); a component without one uses the node's.
 */
export interface NodeComponentKubeconfigs {
  proxy?: string;
  dns?: string;
  ingress?: string;
  networkPolicy?: string;
  localPath?: string;
}

export interface RealNodeWithServicesOptions {
  /** The node's kubeconfig: the proxy and the ingress open clients of their own on it. */
  kubeconfig: string;
  /** Their own identities' kubeconfigs, where they have them. */
  identities?: NodeComponentKubeconfigs;
  /** The kubelet's client (the node, its DNS and the policy controller share it). */
  clientset: Clientset;
  node: Omit<RealNodeOptions, 'clientset'> & { nodeName: string };
  services: NodeServices;
  /** Told once the node registered. */
  onReady?: (node: RealNode) => void;
  /** Told when a component stops with an error. */
  report: (component: string) => (err: unknown) => void;
}

/** Runs until `signal` aborts (or the node fails to start, which rejects). */
export async function runRealNodeWithServices(options: RealNodeWithServicesOptions, signal: AbortSignal): Promise<void> {
  const { kubeconfig, clientset, services, report } = options;
  const { nodeName } = options.node;
  const own = options.identities ?? {};
  const opened: HttpsClientset[] = [];
  const clientFor = (file: string | undefined, component: string): Clientset => {
    if (!file) return clientset;
    const client = new HttpsClientset({ kubeconfig: file, userAgent: componentUserAgent(component) });
    opened.push(client);
    return client;
  };
  // stops with the node, or when the node fails to start
  const stopPolicy = new AbortController();
  const networkPolicy = runNetworkPolicy(
    {
      clientset: clientFor(own.networkPolicy, 'k8ts-network-policy'),
      nodeName,
      enabled: services.networkPolicy,
      log: (m) => console.error(`k8ts network policy: ${m}`),
    },
    AbortSignal.any([signal, stopPolicy.signal]),
  ).catch(report('network policy controller'));
  try {
    const localPathClientset = clientFor(own.localPath, 'k8ts-local-path-provisioner');
    const node = await startRealNode({ clientset, localPathClientset, ...options.node }, signal);
    options.onReady?.(node);
    const { nodeIP } = node;
    const dns = services.dns
      ? await startNodeDNSBeside(
          node,
          { clientset: clientFor(own.dns, 'coredns'), clusterDomain: options.node.clusterDomain, ...services.dns },
          signal,
        )
      : undefined;
    // the node's addresses, not the wildcard: a wildcard :443 would keep the userspace proxy off
    // the kubernetes Service's cluster IP port 443
    const ingress =
      services.ingress &&
      startNodeIngress(
        { kubeconfig: own.ingress ?? kubeconfig, nodeName, hosts: [nodeIP, '127.0.0.1'], ...services.ingress },
        signal,
      ).catch(report('ingress'));
    const proxy =
      services.proxy &&
      runNodeProxy({ kubeconfig: own.proxy ?? kubeconfig, ...services.proxy, nodeName, nodeIPs: [nodeIP] }, signal).catch(
        report('service proxy'),
      );
    await Promise.all([node.done, dns?.done, ingress, proxy]);
  } finally {
    stopPolicy.abort();
    await networkPolicy;
    for (const client of opened) client.close();
  }
}
