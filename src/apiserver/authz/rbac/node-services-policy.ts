/**
 * The roles of what runs on a node beside the kubelet, each bound to that component's own
 * identity: the service proxy (upstream's system:node-proxier for the user system:kube-proxy),
 * the cluster DNS (CoreDNS' system:coredns for the ServiceAccount kube-system/coredns, plus
 * publishing its own endpoint slices of kube-dns), the ingress controller (ingress-nginx's
 * ClusterRole, plus its default IngressClass and the serving-node label), the NetworkPolicy
 * controller (kube-router's), the local-path provisioner (k3s'), and the simulated nodes, whose
 * one shared client acts for all of them (system:node's rules, as RBAC grants them without the
 * Node authorizer's graph).
 */
import type { KubeObject } from '../../../machinery/object.js';
import { binding, clusterRole, READ, rule } from './policy-builders.js';
import type { PolicyRule, Subject } from './rules.js';
import { serviceAccountUsername } from './rules.js';

const RBAC = 'rbac.authorization.k8s.io';
const LIST_WATCH = ['list', 'watch'];
const EVENTS = rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']);

/** The client identities (certificate CN and O) of the node's components. */
export const NODE_SERVICE_USERS = {
  proxy: { user: 'system:kube-proxy', groups: [] as string[] },
  dns: { user: serviceAccountUsername('kube-system', 'coredns'), groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'] },
  ingress: { user: 'system:k8ts-ingress', groups: [] as string[] },
  networkPolicy: { user: 'system:k8ts-network-policy', groups: [] as string[] },
  localPath: { user: 'system:k8ts-local-path-provisioner', groups: [] as string[] },
  simulatedNodes: { user: 'system:k8ts-simulated-nodes', groups: [] as string[] },
};

const PROXIER_RULES: PolicyRule[] = [
  rule(LIST_WATCH, [''], ['services', 'endpoints']),
  rule(READ, [''], ['nodes']),
  EVENTS,
  rule(LIST_WATCH, ['discovery.k8s.io'], ['endpointslices']),
];

const COREDNS_RULES: PolicyRule[] = [
  rule(LIST_WATCH, [''], ['endpoints', 'services', 'pods', 'namespaces']),
  rule(LIST_WATCH, ['discovery.k8s.io'], ['endpointslices']),
  // k8ts' node DNS publishes itself among kube-dns' endpoints
  rule(['get'], [''], ['nodes']),
  rule(['get', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']),
];

const INGRESS_RULES: PolicyRule[] = [
  rule(LIST_WATCH, [''], ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces']),
  rule(LIST_WATCH, ['coordination.k8s.io'], ['leases']),
  rule(['get'], [''], ['nodes']),
  rule(READ, [''], ['services']),
  rule(READ, ['networking.k8s.io'], ['ingresses']),
  rule(['create', 'patch'], [''], ['events']),
  rule(['update'], ['networking.k8s.io'], ['ingresses/status']),
  rule(READ, ['networking.k8s.io'], ['ingressclasses']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  // k8ts' controller ensures the default IngressClass and labels the nodes that serve
  rule(['create'], ['networking.k8s.io'], ['ingressclasses']),
  rule(['patch'], [''], ['nodes']),
];

const NETWORK_POLICY_RULES: PolicyRule[] = [
  rule(READ, ['', 'discovery.k8s.io'], ['namespaces', 'pods', 'services', 'nodes', 'endpoints', 'endpointslices']),
  rule(READ, ['networking.k8s.io'], ['networkpolicies']),
];

const LOCAL_PATH_RULES: PolicyRule[] = [
  rule(READ, [''], ['nodes', 'persistentvolumeclaims', 'configmaps', 'pods']),
  rule([...READ, 'create', 'patch', 'update', 'delete'], [''], ['persistentvolumes']),
  rule(['get', 'patch', 'update'], [''], ['persistentvolumeclaims/status']),
  EVENTS,
  rule(READ, ['storage.k8s.io'], ['storageclasses']),
];

const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC, name });

export function nodeServiceClusterRoles(): KubeObject[] {
  return [
    clusterRole('system:node-proxier', PROXIER_RULES),
    clusterRole('system:coredns', COREDNS_RULES),
    clusterRole('system:k8ts-ingress', INGRESS_RULES),
    clusterRole('system:k8ts-network-policy', NETWORK_POLICY_RULES),
    clusterRole('system:k8ts-local-path-provisioner', LOCAL_PATH_RULES),
  ];
}

export function nodeServiceClusterRoleBindings(): KubeObject[] {
  const u = NODE_SERVICE_USERS;
  return [
    binding('system:node-proxier', [user(u.proxy.user)]),
    binding('system:coredns', [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }]),
    binding('system:k8ts-ingress', [user(u.ingress.user)]),
    binding('system:k8ts-network-policy', [user(u.networkPolicy.user)]),
    binding('system:k8ts-local-path-provisioner', [user(u.localPath.user), user(u.simulatedNodes.user)]),
    binding('system:node', [user(u.simulatedNodes.user)], 'system:k8ts-simulated-nodes'),
  ];
}
