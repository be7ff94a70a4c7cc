/**
 * The node-local DNS cache (upstream's NodeLocal DNSCache, seed 000's node-local-dns), with
 * `--node-local-dns 169.254.20.10`: the agent puts that link-local address on a device it owns,
 * k8ts-dns0 (a dummy device; on a kernel without dummy devices, the address goes on `lo`), and
 * listens there on port 53; kubelets give pods that address as their nameserver. Names in the
 * cluster domain and the reverse zones go to kube-dns' cluster IP, everything else to the upstream
 * resolvers, and both kinds of answers are cached. On stop the server closes and the address and
 * device go.
 *
 *   startNodeLocalDNS(options: NodeLocalDNSOptions, signal: AbortSignal): Promise<NodeLocalDNS>
 */
import type { DecodedPacket, Question } from 'dns-packet';
import { runCommand } from '../kubelet/command.js';
import { DnsServer } from './dns-server.js';
import { Forwarder, type UpstreamAddress } from './forwarder.js';
import type { ClusterZone, Upstream } from './interface.js';
import { canonicalName, inZone } from './names.js';

/** The device holding the node-local address. */
export const NODE_LOCAL_DNS_DEVICE = 'k8ts-dns0';

export interface NodeLocalDNSOptions {
  /** The link-local address to listen on (169.254.20.10). */
  address: string;
  /** kube-dns' cluster IP, where cluster names go. */
  kubeDNS: string;
  clusterDomain: string;
  /** Where other names go. */
  upstreams: UpstreamAddress[];
  /** Default 53. */
  port?: number;
  log: (message: string) => void;
}

export interface NodeLocalDNS {
  readonly port: number;
  /** Resolves once the signal aborted, the server closed and the address is gone. */
  readonly done: Promise<void>;
}

/** Cluster names (the domain, in-addr.arpa, ip6.arpa) to kube-dns, the rest to the upstream resolvers. */
export class SplitUpstream implements Upstream {
  readonly #domain: string;
  readonly #cluster: Upstream;
  readonly #other: Upstream;

  constructor(options: { clusterDomain: string; cluster: Upstream; other: Upstream }) {
    this.#domain = canonicalName(options.clusterDomain);
    this.#cluster = options.cluster;
    this.#other = options.other;
  }

  /** Whether a question goes to kube-dns. */
  isCluster(question: Question): boolean {
    const name = canonicalName(question.name);
    return inZone(name, this.#domain) || inZone(name, 'in-addr.arpa') || inZone(name, 'ip6.arpa');
  }

  resolve(query: DecodedPacket, signal?: AbortSignal): Promise<Buffer> {
    const question = query.questions?.[0];
    return (question && this.isCluster(question) ? this.#cluster : this.#other).resolve(query, signal);
  }
}

/** A zone with no names of its own: the node-local cache forwards every question. */
const NO_ZONE: ClusterZone = { domain: '', generation: 0, answer: () => undefined };

/** Puts `address` on k8ts-dns0 (made here), or on lo when the kernel has no dummy devices; returns its removal. */
async function addLinkLocalAddress(address: string, log: (message: string) => void): Promise<() => Promise<void>> {
  const ip = (...args: string[]) => runCommand('ip', args);
  await ip('link', 'del', NODE_LOCAL_DNS_DEVICE).catch(() => undefined);
  const dummy = await ip('link', 'add', NODE_LOCAL_DNS_DEVICE, 'type', 'dummy').then(
    () => true,
    (err: Error) => {
      log(`node-local DNS: no dummy device (${err.message}): ${address} goes on lo`);
      return false;
    },
  );
  const device = dummy ? NODE_LOCAL_DNS_DEVICE : 'lo';
  await ip('addr', 'replace', `${address}/32`, 'dev', device);
  if (dummy) await ip('link', 'set', NODE_LOCAL_DNS_DEVICE, 'up');
  return async () => {
    if (dummy) await ip('link', 'del', NODE_LOCAL_DNS_DEVICE).catch(() => undefined);
    else await ip('addr', 'del', `${address}/32`, 'dev', 'lo').catch(() => undefined);
  };
}

/** For `k8ts killall`: removes k8ts-dns0 if a node left it (an agent killed before it could). */
export async function removeNodeLocalDNSDevice(report: (line: string) => void): Promise<void> {
  const shown = await runCommand('ip', ['-o', 'link', 'show', NODE_LOCAL_DNS_DEVICE]).catch(() => undefined);
  if (!shown) return;
  await runCommand('ip', ['link', 'del', NODE_LOCAL_DNS_DEVICE]);
  report(`removed node-local DNS device ${NODE_LOCAL_DNS_DEVICE}`);
}

export async function startNodeLocalDNS(options: NodeLocalDNSOptions, signal: AbortSignal): Promise<NodeLocalDNS> {
  const removeAddress = await addLinkLocalAddress(options.address, options.log);
  const server = new DnsServer({
    zone: NO_ZONE,
    upstream: new SplitUpstream({
      clusterDomain: options.clusterDomain,
      cluster: new Forwarder({ upstreams: [{ host: options.kubeDNS, port: 53 }] }),
      other: new Forwarder({ upstreams: options.upstreams }),
    }),
    onError: (err) => options.log(`node-local DNS: ${(err as Error).message}`),
  });
  let port: number;
  try {
    port = await server.listen(options.port ?? 53, options.address);
  } catch (err) {
    await removeAddress();
    throw err;
  }
  options.log(`node-local DNS cache on ${options.address}:${port} (cluster names via ${options.kubeDNS})`);
  const done = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  }).then(async () => {
    await server.close();
    await removeAddress();
  });
  return { port, done };
}
