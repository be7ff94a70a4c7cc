/** Builders of ProxyState pieces for the userspace proxier's unit tests. */
import type { Endpoint, ServicePort } from '../interface.js';

/** A TCP ClusterIP service port `default/<name>:` with upstream's defaults; `over` overrides. */
export function servicePort(name: string, over: Partial<ServicePort> = {}): ServicePort {
  return {
    key: `default/${name}:`,
    namespace: 'default',
    name,
    portName: '',
    protocol: 'TCP',
    clusterIPs: [],
    port: 80,
    externalIPs: [],
    loadBalancerIPs: [],
    externalPolicyLocal: false,
    internalPolicyLocal: false,
    ...over,
  };
}

/** A ready endpoint on another node; `over` overrides. */
export function endpoint(ip: string, port: number, over: Partial<Endpoint> = {}): Endpoint {
  return { ip, port, ready: true, serving: true, terminating: false, isLocal: false, ...over };
}
