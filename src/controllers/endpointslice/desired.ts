/**
 * The endpoints a Service's pods call for, grouped by address type and port set (a pod whose
 * named targetPorts resolve differently lands in a group of its own), as the endpointslice
 * controller's podToEndpoint and getEndpointPorts compute them.
 */
import type { KubeObject } from '../../machinery/object.js';
import {
  findPort,
  type IPFamily,
  isPodReady,
  podIPs,
  podSpec,
  podTargetRef,
  serviceSpec,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from '../endpoints/pod-endpoints.js';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef: { kind: string; namespace: string; name: string; uid: string };
}

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointGroup {
  addressType: IPFamily;
  ports: SlicePort[];
  /** Endpoints keyed by pod uid. */
  endpoints: Map<string, SliceEndpoint>;
}

/** `addressType/ports` — slices are shared only within one group. */
export function groupKey(addressType: string, ports: readonly SlicePort[]): string {
  const p = ports.map((x) => `${x.name}:${x.port}/${x.protocol}/${x.appProtocol ?? ''}`).sort();
  return `${addressType}/${p.join(',')}`;
}

/** The address types a Service publishes (its ipFamilies; IPv4 when unset). */
export function addressTypes(svc: KubeObject): IPFamily[] {
  const fams = (serviceSpec(svc).ipFamilies ?? []).filter((f): f is IPFamily => f === 'IPv4' || f === 'IPv6');
  return fams.length > 0 ? fams : ['IPv4'];
}

/** The endpoint ports of a pod for a Service (ports that do not resolve are left out). */
export function endpointPorts(svc: KubeObject, pod: KubeObject): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of serviceSpec(svc).ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** upstream podToEndpoint. */
export function podToEndpoint(
  pod: KubeObject,
  svc: KubeObject,
  family: IPFamily,
  zoneOf?: (node: string) => string | undefined,
): SliceEndpoint | undefined {
  const addresses = podIPs(pod, family);
  if (addresses.length === 0) return undefined;
  const serving = isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  // for compatibility, a terminating pod is never ready unless publishNotReadyAddresses
  const ready = serviceSpec(svc).publishNotReadyAddresses === true || (serving && !terminating);
  const ep: SliceEndpoint = { addresses: [addresses[0]!], conditions: { ready, serving, terminating }, targetRef: podTargetRef(pod) };
  const nodeName = podSpec(pod).nodeName;
  if (nodeName) {
    ep.nodeName = nodeName;
    const zone = zoneOf?.(nodeName);
    if (zone) ep.zone = zone;
  }
  if (shouldSetHostname(pod, svc)) ep.hostname = podSpec(pod).hostname;
  return ep;
}

/** Every group of endpoints the Service's pods call for. */
export function desiredGroups(
  svc: KubeObject,
  pods: readonly KubeObject[],
  zoneOf?: (node: string) => string | undefined,
): Map<string, EndpointGroup> {
  const groups = new Map<string, EndpointGroup>();
  for (const addressType of addressTypes(svc)) {
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ep = podToEndpoint(pod, svc, addressType, zoneOf);
      if (!ep) continue;
      const ports = endpointPorts(svc, pod);
      const key = groupKey(addressType, ports);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { addressType, ports, endpoints: new Map() }));
      g.endpoints.set(pod.metadata.uid ?? ep.addresses[0]!, ep);
    }
  }
  return groups;
}
