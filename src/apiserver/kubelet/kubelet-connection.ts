/**
 * The apiserver's connection to a node's kubelet (upstream pkg/kubelet/client and
 * staging/…/util/proxy/upgradeaware.go): the node's address by --kubelet-preferred-address-types
 * (default Hostname, InternalDNS, InternalIP, ExternalDNS, ExternalIP) and
 * status.daemonEndpoints.kubeletEndpoint.Port, TLS with the apiserver's kubelet-client
 * certificate (CN kube-apiserver-kubelet-client), the kubelet's serving certificate not verified
 * (upstream's default without --kubelet-certificate-authority).
 *
 * Unlike upstream, which dials only the first preferred address, the addresses are tried in
 * order while a name does not resolve or the connection is refused: a real node named other
 * than its host still answers on its InternalIP. Simulated nodes put their engine's server
 * address in Hostname. The Host header names the node (`<node>:<port>`), which is how one
 * engine server serving many simulated nodes tells them apart on node-level paths.
 */
import { connect, type TLSSocket } from 'node:tls';
import { asObj, objs, str } from '../../api/core/access.js';
import { StatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';

export interface KubeletClientConfig {
  /** PEM of the apiserver's kubelet-client certificate and key. */
  cert: string;
  key: string;
  preferredAddressTypes?: readonly string[];
  /** The Node object by name (the watch cache's). */
  node(name: string): KubeObject | undefined;
}

export const DEFAULT_PREFERRED_ADDRESS_TYPES = ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP'] as const;
const DIAL_TIMEOUT_MS = 10_000;

export interface KubeletEndpoint {
  nodeName: string;
  hosts: string[];
  port: number;
}

/** What upstream answers for an error that is not an API error (ErrorToAPIStatus): 500 with the bare message. */
export function newKubeletConnectionError(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

/** The node's kubelet addresses, in preferred order, and its port. */
export function kubeletEndpoint(node: KubeObject, preferred: readonly string[] = DEFAULT_PREFERRED_ADDRESS_TYPES): KubeletEndpoint {
  const status = asObj(node['status']);
  const addresses = objs(status?.['addresses']);
  const hosts: string[] = [];
  for (const type of preferred) {
    for (const a of addresses)
      if (a['type'] === type && str(a['address']) && !hosts.includes(str(a['address']))) hosts.push(str(a['address']));
  }
  const port = asObj(asObj(status?.['daemonEndpoints'])?.['kubeletEndpoint'])?.['Port'];
  return { nodeName: node.metadata.name ?? '', hosts, port: typeof port === 'number' && port > 0 ? port : 10250 };
}

/** Errors after which a node's next address is tried. */
export const NEXT_ADDRESS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EADDRNOTAVAIL']);

/** A TLS connection to the kubelet: the first address that resolves and accepts. */
export async function dialKubelet(endpoint: KubeletEndpoint, client: KubeletClientConfig): Promise<TLSSocket> {
  let last: Error | undefined;
  for (const host of endpoint.hosts) {
    try {
      return await dialOne(host, endpoint.port, client);
    } catch (err) {
      last = err as Error;
      if (!NEXT_ADDRESS.has((err as NodeJS.ErrnoException).code ?? '')) break;
    }
  }
  if (!last) throw newKubeletConnectionError(`no preferred addresses found; known addresses: []`);
  throw newKubeletConnectionError(`error dialing backend: ${last.message}`);
}

function dialOne(host: string, port: number, client: KubeletClientConfig): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, cert: client.cert, key: client.key, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error(`dial tcp ${host}:${port}: i/o timeout`), { code: 'ETIMEDOUT' })),
      DIAL_TIMEOUT_MS,
    );
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
