/**
 * For the proxy modes' unit tests: a service port and an endpoint as the change tracker hands
 * them to a proxier, with upstream's test names (ns1/svc1:p80 on 172.30.0.41, so chain names
 * match upstream's fixtures) and overrides per test.
 */
import type { Endpoint, ServicePort } from '../interface.js';

export function servicePort(o: Partial<ServicePort> = {}): ServicePort {
  return {
    key: 'ns1/svc1:p80',
    namespace: 'ns1',
    name: 'svc1',
    portName: 'p80',
    protocol: 'TCP',
    clusterIPs: ['172.30.0.41'],
    port: 80,
    externalIPs: [],
    loadBalancerIPs: [],
    externalPolicyLocal: false,
    internalPolicyLocal: false,
    ...o,
  };
}

/** A ready, serving endpoint on port 80 of another node. */
export function endpoint(ip: string, o: Partial<Endpoint> = {}): Endpoint {
  return { ip, port: 80, ready: true, serving: true, terminating: false, isLocal: false, ...o };
}
