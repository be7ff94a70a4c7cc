/**
 * What a NetworkPolicy means in addresses and ports, before any iptables: which pods it selects,
 * which of its directions it isolates, and for each rule the peers (pod IPs, ipBlock CIDRs, or
 * anyone) and the ports (numbered, ranges with endPort, named ports resolved per pod).
 * Selectors as the API defines them: a peer's podSelector alone means the policy's namespace,
 * a namespaceSelector alone every pod of the namespaces it matches, both together the pods
 * matching the podSelector in those namespaces; an empty selector matches everything.
 */
import type { KubeObject } from '../machinery/object.js';
import { type LabelSelector, labelSelectorFromMeta, nothing, type Selector } from '../machinery/labels.js';
import { subtractCIDRs } from './cidr.js';
import type { PolicyInputs, PolicyPod, Protocol } from './interface.js';

type Obj = Record<string, unknown>;
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const asObj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

export type Direction = 'ingress' | 'egress';

/** One NetworkPolicyPort: a protocol and a port, a range, a name, or every port (port unset). */
export interface PolicyPort {
  protocol: Protocol;
  port?: number | string;
  endPort?: number;
}

/** One NetworkPolicyPeer: an address block (CIDRs, excepts taken out) or pods (with their addresses). */
export type Peer = { cidrs: readonly string[] } | { pods: readonly PolicyPod[] };

/** One rule of one direction. `peers` undefined: from/to anyone; `ports` undefined: every port. */
export interface PolicyRule {
  peers?: readonly Peer[];
  ports?: readonly PolicyPort[];
}

export interface ParsedPolicy {
  namespace: string;
  name: string;
  podSelector: Selector;
  /** The directions of spec.policyTypes. */
  types: ReadonlySet<Direction>;
  ingress: readonly Obj[];
  egress: readonly Obj[];
}

/** metav1.LabelSelectorAsSelector, with an invalid selector matching nothing. */
function selector(s: unknown): Selector {
  try {
    return labelSelectorFromMeta(asObj(s) as LabelSelector | undefined);
  } catch {
    return nothing();
  }
}

export function parsePolicy(policy: KubeObject): ParsedPolicy {
  const spec = (policy['spec'] ?? {}) as Obj;
  const listed = Array.isArray(spec['policyTypes']) ? (spec['policyTypes'] as string[]) : ['Ingress'];
  return {
    namespace: policy.metadata.namespace ?? '',
    name: policy.metadata.name ?? '',
    // podSelector is required; an empty one selects every pod of the namespace
    podSelector: selector(spec['podSelector'] ?? {}),
    types: new Set(listed.map((t) => t.toLowerCase() as Direction)),
    ingress: objs(spec['ingress']),
    egress: objs(spec['egress']),
  };
}

/** Whether the policy selects the pod (same namespace, podSelector matches). */
export function selects(policy: ParsedPolicy, pod: PolicyPod): boolean {
  return policy.namespace === pod.namespace && policy.podSelector.matches(pod.labels);
}

function resolvePeer(peer: Obj, policy: ParsedPolicy, inputs: PolicyInputs): Peer {
  const ipBlock = asObj(peer['ipBlock']);
  if (ipBlock) {
    const except = Array.isArray(ipBlock['except']) ? (ipBlock['except'] as string[]) : [];
    return { cidrs: subtractCIDRs(String(ipBlock['cidr'] ?? ''), except) ?? [] };
  }
  const podSelector = peer['podSelector'] === undefined ? undefined : selector(peer['podSelector']);
  if (peer['namespaceSelector'] === undefined) {
    const sel = podSelector ?? nothing();
    return { pods: inputs.pods.filter((p) => p.namespace === policy.namespace && sel.matches(p.labels)) };
  }
  const nsSelector = selector(peer['namespaceSelector']);
  const namespaces = new Set(inputs.namespaces.filter((ns) => nsSelector.matches(ns.labels)).map((ns) => ns.name));
  return { pods: inputs.pods.filter((p) => namespaces.has(p.namespace) && (podSelector?.matches(p.labels) ?? true)) };
}

function parsePort(port: Obj): PolicyPort {
  const p = port['port'];
  return {
    protocol: ((port['protocol'] as Protocol | undefined) ?? 'TCP') as Protocol,
    ...(typeof p === 'number' || typeof p === 'string' ? { port: p } : {}),
    ...(typeof port['endPort'] === 'number' ? { endPort: port['endPort'] } : {}),
  };
}

/** The rules of one direction of a policy, peers resolved against the pods and namespaces of `inputs`. */
export function policyRules(policy: ParsedPolicy, direction: Direction, inputs: PolicyInputs): PolicyRule[] {
  const peersField = direction === 'ingress' ? 'from' : 'to';
  return (direction === 'ingress' ? policy.ingress : policy.egress).map((rule) => {
    const peers = objs(rule[peersField]);
    const ports = objs(rule['ports']);
    return {
      ...(peers.length > 0 ? { peers: peers.map((peer) => resolvePeer(peer, policy, inputs)) } : {}),
      ...(ports.length > 0 ? { ports: ports.map(parsePort) } : {}),
    };
  });
}

/** The numbers a named port has on a pod (its containers' ports of that name and protocol). */
export function resolveNamedPort(pod: PolicyPod, name: string, protocol: Protocol): number[] {
  return pod.ports.filter((p) => p.name === name && p.protocol === protocol).map((p) => p.port);
}
