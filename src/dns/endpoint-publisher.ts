/**
 * How a node's DNS server joins the kube-dns Service (which has no selector): the agent keeps an
 * EndpointSlice kube-system/kube-dns-<node> with its node IP, DNS ports and metrics port, labelled as kube-dns'
 * and managed by agent.k8ts.io, owned by its Node (the garbage collector removes it with the
 * node). It is checked again every 30 s (recreated if someone deleted it) and removed when the
 * agent stops cleanly, so the service proxy stops sending queries to a node that has gone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clientset, GroupVersionResource } from '../client/interface.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import { SERVICE_NAME_LABEL } from './cluster-records.js';

export const KUBE_DNS_NAMESPACE = 'kube-system';
export const KUBE_DNS_SERVICE = 'kube-dns';
/** The managed-by label's value (a label value has no '/': upstream's look like endpointslice-controller.k8s.io). */
export const DNS_MANAGED_BY = 'agent.k8ts.io';

const ENDPOINT_SLICES: GroupVersionResource = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
const RECHECK_MS = 30_000;
const RETRY_MS = 2_000;
const DELETE_TIMEOUT_MS = 5_000;

export interface DNSEndpointOptions {
  clientset: Clientset;
  nodeName: string;
  nodeIP: string;
  /** The port the node's DNS server listens on (53). */
  port: number;
  /** The port of its metrics (9153), if it serves them. */
  metricsPort?: number;
  log: (message: string) => void;
}

/** The node's EndpointSlice of kube-dns. */
export function dnsEndpointSlice(node: KubeObject, nodeIP: string, port: number, metricsPort?: number): KubeObject {
  const nodeName = node.metadata.name ?? '';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${KUBE_DNS_SERVICE}-${nodeName}`,
      namespace: KUBE_DNS_NAMESPACE,
      labels: { [SERVICE_NAME_LABEL]: KUBE_DNS_SERVICE, 'endpointslice.kubernetes.io/managed-by': DNS_MANAGED_BY },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid ?? '' }],
    },
    addressType: nodeIP.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [nodeIP], conditions: { ready: true, serving: true, terminating: false }, nodeName }],
    ports: [
      { name: 'dns', port, protocol: 'UDP' },
      { name: 'dns-tcp', port, protocol: 'TCP' },
      ...(metricsPort === undefined ? [] : [{ name: 'metrics', port: metricsPort, protocol: 'TCP' }]),
    ],
  };
}

function sameSlice(a: KubeObject, b: KubeObject): boolean {
  const view = (s: KubeObject) =>
    JSON.stringify([s.metadata.labels, s.metadata.ownerReferences, s['addressType'], s['endpoints'], s['ports']]);
  return view(a) === view(b);
}

/** Creates or corrects the node's slice. */
async function ensureSlice(options: DNSEndpointOptions): Promise<void> {
  const node = await options.clientset.resource(NODES).get('', options.nodeName);
  const desired = dnsEndpointSlice(node, options.nodeIP, options.port, options.metricsPort);
  const slices = options.clientset.resource(ENDPOINT_SLICES);
  const name = desired.metadata.name ?? '';
  try {
    const current = await slices.get(KUBE_DNS_NAMESPACE, name);
    if (sameSlice(current, desired)) return;
    await slices.update(KUBE_DNS_NAMESPACE, {
      ...desired,
      metadata: { ...desired.metadata, resourceVersion: current.metadata.resourceVersion },
    });
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
    await slices.create(KUBE_DNS_NAMESPACE, desired);
  }
}

/**
 * Keeps the node's slice in place until `signal` aborts, then deletes it (bounded). Failures
 * are logged and retried 2 s later.
 */
export async function publishDNSEndpoint(options: DNSEndpointOptions, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    let wait = RECHECK_MS;
    try {
      await ensureSlice(options);
    } catch (err) {
      if (!signal.aborted) options.log(`kube-dns endpoint of ${options.nodeName}: ${(err as Error).message}`);
      wait = RETRY_MS;
    }
    await sleep(wait, undefined, { signal }).catch(() => undefined);
  }
  const name = `${KUBE_DNS_SERVICE}-${options.nodeName}`;
  const timeout = new AbortController();
  const deleted = options.clientset.resource(ENDPOINT_SLICES).delete(KUBE_DNS_NAMESPACE, name);
  await Promise.race([
    deleted.catch(() => undefined),
    sleep(DELETE_TIMEOUT_MS, undefined, { signal: timeout.signal }).catch(() => undefined),
  ]);
  timeout.abort();
}
