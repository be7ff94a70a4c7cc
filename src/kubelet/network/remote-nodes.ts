/**
 * The other nodes of the cluster as a backend sees them, read from their Node objects: the
 * podCIDR, the address to send to (flannel's public-ip annotation, else the InternalIP) and the
 * backend data flannel publishes (backend-type, backend-data's VtepMAC). Nodes without a podCIDR
 * or an address, and nodes of another backend, are left out (flannel pays no attention to them).
 *
 *   remoteNodes(nodes, localName, backendType): RemoteNode[]
 */
import type { KubeObject } from '../../machinery/object.js';
import type { FlannelBackendType, RemoteNode } from './interface.js';

export const BACKEND_TYPE_ANNOTATION = 'flannel.alpha.coreos.com/backend-type';
export const BACKEND_DATA_ANNOTATION = 'flannel.alpha.coreos.com/backend-data';
export const PUBLIC_IP_ANNOTATION = 'flannel.alpha.coreos.com/public-ip';

type Obj = Record<string, unknown>;

function vtepMACOf(data: string | undefined): string | undefined {
  if (!data) return undefined;
  try {
    const mac = (JSON.parse(data) as Obj | null)?.['VtepMAC'];
    return typeof mac === 'string' ? mac : undefined;
  } catch {
    return undefined;
  }
}

/** One Node as a RemoteNode, or undefined when it has no podCIDR or address yet. */
export function remoteNodeOf(node: KubeObject): RemoteNode | undefined {
  const annotations = (node.metadata.annotations ?? {}) as Record<string, string>;
  const podCIDR = ((node['spec'] ?? {}) as Obj)['podCIDR'];
  const addresses = (((node['status'] ?? {}) as Obj)['addresses'] ?? []) as { type?: string; address?: string }[];
  const publicIP = annotations[PUBLIC_IP_ANNOTATION] ?? addresses.find((a) => a.type === 'InternalIP')?.address;
  if (typeof podCIDR !== 'string' || !publicIP || !node.metadata.name) return undefined;
  const vtepMAC = vtepMACOf(annotations[BACKEND_DATA_ANNOTATION]);
  const backendType = annotations[BACKEND_TYPE_ANNOTATION];
  return { name: node.metadata.name, podCIDR, publicIP, ...(backendType ? { backendType } : {}), ...(vtepMAC ? { vtepMAC } : {}) };
}

/** Every other node that runs the same backend and has a podCIDR and an address, by name. */
export function remoteNodes(nodes: readonly KubeObject[], localName: string, backendType: FlannelBackendType): RemoteNode[] {
  return nodes
    .filter((n) => n.metadata.name !== localName)
    .map(remoteNodeOf)
    .filter((r): r is RemoteNode => r !== undefined && r.backendType === backendType)
    .sort((a, b) => a.name.localeCompare(b.name));
}
