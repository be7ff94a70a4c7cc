/**
 * What Services and Pods say about endpoints, shared by the endpoints and endpointslice
 * controllers (upstream pkg/api/v1/pod, endpointutil and endpointsliceutil helpers).
 */
import type { KubeObject } from '../../machinery/object.js';
import { selectorFromSet } from '../../machinery/labels.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
}

export interface ServiceSpec {
  selector?: Record<string, string> | null;
  ports?: ServicePort[];
  clusterIP?: string;
  ipFamilies?: string[];
  type?: string;
  publishNotReadyAddresses?: boolean;
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface PodSpec {
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
  restartPolicy?: string;
  containers?: Array<{ ports?: ContainerPort[] }>;
}

interface PodStatus {
  phase?: string;
  podIP?: string;
  podIPs?: Array<{ ip: string }>;
  conditions?: Array<{ type: string; status: string }>;
}

export const serviceSpec = (svc: KubeObject): ServiceSpec => (svc['spec'] as ServiceSpec | undefined) ?? {};
export const podSpec = (pod: KubeObject): PodSpec => (pod['spec'] as PodSpec | undefined) ?? {};
export const podStatus = (pod: KubeObject): PodStatus => (pod['status'] as PodStatus | undefined) ?? {};

/** The label selector of a Service that selects pods; undefined when it has none (endpoints are managed by hand). */
export function serviceSelector(svc: KubeObject): Record<string, string> | undefined {
  const sel = serviceSpec(svc).selector;
  return sel && Object.keys(sel).length > 0 ? sel : undefined;
}

/** Whether the Service's selector picks this pod (same namespace, labels match). */
export function selectsPod(svc: KubeObject, pod: KubeObject): boolean {
  const sel = serviceSelector(svc);
  return sel !== undefined && svc.metadata.namespace === pod.metadata.namespace && selectorFromSet(sel).matches(pod.metadata.labels);
}

export function isHeadless(svc: KubeObject): boolean {
  return serviceSpec(svc).clusterIP === 'None';
}

/** podutil.IsPodReady. */
export function isPodReady(pod: KubeObject): boolean {
  return podStatus(pod).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** endpointsliceutil.ShouldPodBeInEndpoints: has an IP, not terminal, not terminating unless asked. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const status = podStatus(pod);
  if (!status.podIP && !status.podIPs?.length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const restart = podSpec(pod).restartPolicy;
  if (restart === 'Never') return status.phase !== 'Failed' && status.phase !== 'Succeeded';
  if (restart === 'OnFailure') return status.phase !== 'Succeeded';
  return true;
}

export type IPFamily = 'IPv4' | 'IPv6';
export const familyOf = (ip: string): IPFamily => (ip.includes(':') ? 'IPv6' : 'IPv4');

/** The pod's IPs of one family (status.podIPs, else status.podIP). */
export function podIPs(pod: KubeObject, family?: IPFamily): string[] {
  const status = podStatus(pod);
  const all = status.podIPs?.length ? status.podIPs.map((p) => p.ip) : status.podIP ? [status.podIP] : [];
  return family ? all.filter((ip) => familyOf(ip) === family) : all;
}

/** The IP family whose addresses a Service publishes (upstream podToEndpointAddressForService). */
export function serviceIPFamily(svc: KubeObject, pod: KubeObject): IPFamily | undefined {
  const spec = serviceSpec(svc);
  const first = spec.ipFamilies?.[0];
  if (first === 'IPv4' || first === 'IPv6') return first;
  if (spec.clusterIP && spec.clusterIP !== 'None') return familyOf(spec.clusterIP);
  const ip = podIPs(pod)[0];
  return ip ? familyOf(ip) : undefined;
}

/** podutil.FindPort: a number, or the containerPort of the pod's port with that name and protocol. */
export function findPort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of podSpec(pod).containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** endpointutil.ShouldSetHostname: hostname published when the pod's subdomain names the Service. */
export function shouldSetHostname(pod: KubeObject, svc: KubeObject): boolean {
  const spec = podSpec(pod);
  return Boolean(spec.hostname) && spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

export function podTargetRef(pod: KubeObject): { kind: string; namespace: string; name: string; uid: string } {
  return { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
}
