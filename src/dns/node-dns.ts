/**
 * The node's DNS server as the agent runs it: informers on Services and EndpointSlices feeding
 * the cluster zone (each change a new zone generation), the server on the node IP's port 53 (UDP
 * and TCP) forwarding everything else to the upstream resolvers, and — once it answers — the
 * node's endpoint of kube-dns (endpoint-publisher.ts), removed again when the agent stops; its
 * metrics (metrics.ts) on the node IP's port 9153.
 * startNodeDNSBeside starts it (and the node-local cache, node-local-dns.ts) for a real node.
 *
 *   startNodeDNS(options: NodeDNSOptions, signal: AbortSignal): Promise<NodeDNS>
 *   startNodeDNSBeside(node, settings: NodeDNSSettings, signal): Promise<{ done: Promise<void> }>
 */
import { InformerFactory } from '../client/informer-factory.js';
import { dropManagedFields } from '../client/informer.js';
import type { Clientset, SharedInformerFactory } from '../client/interface.js';
import { addClusterDNSIndexers, ClusterRecords } from './cluster-records.js';
import { DnsServer } from './dns-server.js';
import { publishDNSEndpoint } from './endpoint-publisher.js';
import { DnsMetrics, serveMetrics } from './metrics.js';
import { Forwarder, type UpstreamAddress } from './forwarder.js';
import { startNodeLocalDNS } from './node-local-dns.js';
import { resolvConfUpstreams } from './upstreams.js';

export interface NodeDNSOptions {
  clientset: Clientset;
  /** The Service and EndpointSlice informers' factory (default one of its own on `clientset`). */
  informers?: SharedInformerFactory;
  nodeName: string;
  /** Where the server listens, and the address kube-dns' endpoint gives. */
  nodeIP: string;
  /** --cluster-domain (cluster.local). */
  clusterDomain: string;
  /** --dns-upstream; default the nameservers of /etc/resolv.conf. */
  upstreams?: UpstreamAddress[];
  /** Default 53. */
  port?: number;
  /** The metrics' port (default 9153). */
  metricsPort?: number;
  log: (message: string) => void;
}

export interface NodeDNS {
  /** The port the server listens on. */
  readonly port: number;
  /** The port of its metrics; undefined when they could not be served (9153 taken). */
  readonly metricsPort: number | undefined;
  /** Resolves once the signal aborted, the endpoint is removed and the server closed. */
  readonly done: Promise<void>;
}

/** What the server's and the agent's flags say about a real node's DNS. */
export interface NodeDNSSettings {
  clientset: Clientset;
  clusterDomain?: string | undefined;
  /** --dns-upstream; default the nameservers of /etc/resolv.conf. */
  upstreams?: UpstreamAddress[] | undefined;
  /** --node-local-dns: the node-local cache's address, and kube-dns' cluster IP it forwards cluster names to. */
  nodeLocal?: { address: string; kubeDNS: string } | undefined;
}

/**
 * The DNS servers of a real node that just registered: the cluster DNS server, and the node-local
 * cache when asked for. A server that cannot start (port 53 taken) is logged and the node runs
 * without it. `done` resolves once both stopped after `signal` aborted.
 */
export async function startNodeDNSBeside(
  node: { nodeName: string; nodeIP: string },
  settings: NodeDNSSettings,
  signal: AbortSignal,
): Promise<{ done: Promise<void> }> {
  const log = (message: string): void => console.error(`k8ts node ${node.nodeName}: ${message}`);
  const clusterDomain = settings.clusterDomain ?? 'cluster.local';
  const upstreams = settings.upstreams ?? (await resolvConfUpstreams());
  const running: Promise<void>[] = [];
  try {
    const dns = await startNodeDNS(
      { clientset: settings.clientset, nodeName: node.nodeName, nodeIP: node.nodeIP, clusterDomain, upstreams, log },
      signal,
    );
    running.push(dns.done);
  } catch (err) {
    log(`no cluster DNS server: ${(err as Error).message}`);
  }
  if (settings.nodeLocal) {
    try {
      const local = await startNodeLocalDNS({ ...settings.nodeLocal, clusterDomain, upstreams, log }, signal);
      running.push(local.done);
    } catch (err) {
      log(`no node-local DNS cache: ${(err as Error).message}`);
    }
  }
  return { done: Promise.all(running).then(() => undefined) };
}

export async function startNodeDNS(options: NodeDNSOptions, signal: AbortSignal): Promise<NodeDNS> {
  const factory =
    options.informers ??
    new InformerFactory({
      clientset: options.clientset,
      transform: dropManagedFields,
      onError: (err) => options.log(`cluster DNS informer: ${(err as Error).message}`),
    });
  const services = factory.forResource({ group: '', version: 'v1', resource: 'services' });
  const endpointSlices = factory.forResource({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
  addClusterDNSIndexers(services, endpointSlices);
  const zone = new ClusterRecords({ domain: options.clusterDomain, services: services.lister, endpointSlices: endpointSlices.lister });
  const changed = (): void => zone.noteChange();
  const onChange = { onAdd: changed, onUpdate: changed, onDelete: changed };
  services.addEventHandler(onChange);
  endpointSlices.addEventHandler(onChange);
  factory.start(signal);
  await factory.waitForCacheSync(signal);
  const upstreams = options.upstreams ?? (await resolvConfUpstreams());
  if (upstreams.length === 0)
    options.log('cluster DNS: no upstream resolvers (--dns-upstream, /etc/resolv.conf): names outside the cluster fail');
  const metrics = new DnsMetrics({ server: `dns://${options.nodeIP}:${options.port ?? 53}` });
  const server = new DnsServer({
    zone,
    metrics,
    upstream: new Forwarder({ upstreams }),
    onError: (err) => options.log(`cluster DNS: ${(err as Error).message}`),
  });
  const port = await server.listen(options.port ?? 53, options.nodeIP);
  options.log(`cluster DNS on ${options.nodeIP}:${port} (upstream ${upstreams.map((u) => `${u.host}:${u.port}`).join(', ') || 'none'})`);
  const served = await serveMetrics(metrics, options.nodeIP, options.metricsPort ?? 9153).catch((err: Error) => {
    options.log(`cluster DNS metrics: ${err.message}`);
    return undefined;
  });
  const published = publishDNSEndpoint(
    {
      clientset: options.clientset,
      nodeName: options.nodeName,
      nodeIP: options.nodeIP,
      port,
      ...(served ? { metricsPort: served.port } : {}),
      log: options.log,
    },
    signal,
  );
  const done = published.then(() => Promise.all([server.close(), served?.close()])).then(() => undefined);
  return { port, metricsPort: served?.port, done };
}
