/**
 * The client identities of what `k8ts server` runs as a node, each a kubeconfig under the data
 * dir with a certificate of its own and none in system:masters: the real node's kubelet
 * (`system:node:<name>` in `system:nodes`, held by the Node authorizer and NodeRestriction),
 * its service proxy, DNS, ingress controller, NetworkPolicy controller and local-path
 * provisioner (their ClusterRoles: authz/rbac/node-services-policy.ts), and the simulated
 * nodes' one shared client (bound to system:node's rules for every simulated node at once).
 *
 *   ensureRealNodeKubeconfigs(dataDir, url, pki, nodeName): { kubelet, identities }
 *   ensureSimulatedNodesKubeconfig(dataDir, url, pki): the shared client's kubeconfig
 */
import { NODE_SERVICE_USERS } from '../apiserver/authz/rbac/node-services-policy.js';
import { NODE_USER_PREFIX, NODES_GROUP } from '../apiserver/authz/node/node-identity.js';
import { ensureKubeconfig, type PkiPaths } from '../pki/index.js';
import type { NodeComponentKubeconfigs } from './node-services.js';

export async function ensureRealNodeKubeconfigs(
  dataDir: string,
  url: string,
  pki: PkiPaths,
  nodeName: string,
): Promise<{ kubelet: string; identities: NodeComponentKubeconfigs }> {
  const u = NODE_SERVICE_USERS;
  const [kubelet, proxy, dns, ingress, networkPolicy, localPath] = await Promise.all([
    ensureKubeconfig(dataDir, url, pki, { file: 'kubelet-containerd.conf', user: `${NODE_USER_PREFIX}${nodeName}`, groups: [NODES_GROUP] }),
    ensureKubeconfig(dataDir, url, pki, { file: 'kube-proxy.conf', ...u.proxy }),
    ensureKubeconfig(dataDir, url, pki, { file: 'coredns.conf', ...u.dns }),
    ensureKubeconfig(dataDir, url, pki, { file: 'ingress.conf', ...u.ingress }),
    ensureKubeconfig(dataDir, url, pki, { file: 'network-policy.conf', ...u.networkPolicy }),
    ensureKubeconfig(dataDir, url, pki, { file: 'local-path-provisioner.conf', ...u.localPath }),
  ]);
  return { kubelet, identities: { proxy, dns, ingress, networkPolicy, localPath } };
}

/**
 * One client for all simulated nodes (rather than one per node: a thousand TLS identities and
 * connection pools for what is one process): an identity RBAC grants system:node's rules, as
 * upstream kwok's nodes share one client too.
 */
export function ensureSimulatedNodesKubeconfig(dataDir: string, url: string, pki: PkiPaths): Promise<string> {
  return ensureKubeconfig(dataDir, url, pki, { file: 'kubelet.conf', ...NODE_SERVICE_USERS.simulatedNodes });
}
