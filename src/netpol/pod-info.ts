/**
 * Pods and Namespaces as the network policy rules see them (interface.ts' PolicyPod and
 * PolicyNamespace): host-network pods (their address is the node's), finished pods and pods
 * without an IPv4 pod IP are no peers and get no firewall.
 */
import type { KubeObject } from '../machinery/object.js';
import { isIPv4 } from './cidr.js';
import type { NamedPort, PolicyNamespace, PolicyPod, Protocol } from './interface.js';

type Obj = Record<string, unknown>;
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function podIPs(status: Obj): string[] {
  const listed = objs(status['podIPs']).map((p) => String(p['ip'] ?? ''));
  const ips = listed.length > 0 ? listed : [String(status['podIP'] ?? '')];
  return ips.filter(isIPv4);
}

function namedPorts(spec: Obj): NamedPort[] {
  const ports: NamedPort[] = [];
  for (const container of objs(spec['containers'])) {
    for (const p of objs(container['ports'])) {
      if (typeof p['name'] !== 'string' || typeof p['containerPort'] !== 'number') continue;
      ports.push({ name: p['name'], port: p['containerPort'], protocol: ((p['protocol'] as Protocol | undefined) ?? 'TCP') as Protocol });
    }
  }
  return ports;
}

/** The pod as a PolicyPod, or undefined when policies do not apply to it. */
export function policyPod(pod: KubeObject): PolicyPod | undefined {
  const spec = (pod['spec'] ?? {}) as Obj;
  const status = (pod['status'] ?? {}) as Obj;
  if (spec['hostNetwork'] === true) return undefined;
  if (status['phase'] === 'Succeeded' || status['phase'] === 'Failed') return undefined;
  const ips = podIPs(status);
  if (ips.length === 0) return undefined;
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    labels: pod.metadata.labels ?? {},
    ips,
    nodeName: String(spec['nodeName'] ?? ''),
    ports: namedPorts(spec),
  };
}

export function policyNamespace(ns: KubeObject): PolicyNamespace {
  return { name: ns.metadata.name ?? '', labels: ns.metadata.labels ?? {} };
}

/** What of a pod the rules depend on, to skip syncs for status changes that change nothing. */
export function policyPodFingerprint(pod: KubeObject): string {
  return JSON.stringify(policyPod(pod) ?? null);
}
